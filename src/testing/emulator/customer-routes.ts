import { err, ok, type Result } from 'neverthrow';
import { parseCustomerListQuery, selectCustomers } from './customer-query.js';
import { type EmulatorCustomer, presentCustomer, presentListItem } from './customer-record.js';
import { validateCustomerWrite } from './customer-validation.js';
import type { ResolvedFortnoxEmulatorOptions } from './options.js';
import { type ApiError, apiError, jsonResponse } from './responses.js';
import type { TenantState } from './tenant-state.js';

/** What the customer routes need from the emulator. */
export type CustomerRouteContext = {
  readonly options: ResolvedFortnoxEmulatorOptions;
  /** Turns an {@link ApiError} into a response in the configured casing. */
  readonly fail: (error: ApiError) => Response;
};

/** A plain-text 404/405 like the one Fortnox's front server sends for a path it does not know. */
export function notFoundResponse(status = 404): Response {
  const text = status === 405 ? 'Method Not Allowed' : 'Not Found';
  return new Response(`<html><body><h1>${status} ${text}</h1></body></html>`, {
    status,
    headers: { 'Content-Type': 'text/html' },
  });
}

async function readJson(request: Request): Promise<Result<unknown, ApiError>> {
  const text = await request.text();
  if (text.trim() === '') return err(apiError(2001392));
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return err(apiError(2002115));
  }
}

function one(
  context: CustomerRouteContext,
  result: Result<EmulatorCustomer, ApiError>,
  origin: string,
  status: number,
) {
  return result.match(
    (record) => jsonResponse({ Customer: presentCustomer(record, origin) }, status),
    (error) => context.fail(error),
  );
}

/**
 * Answers `/3/customers` and `/3/customers/{CustomerNumber}` for one tenant. `rawNumber` is the
 * still URL-encoded path segment, or `undefined` for the collection.
 */
export async function handleCustomerRoute(
  context: CustomerRouteContext,
  request: Request,
  tenant: TenantState,
  rawNumber: string | undefined,
): Promise<Response> {
  const url = new URL(request.url);
  const origin = url.origin;
  const method = request.method.toUpperCase();
  const { readOnlyFields } = context.options;

  if (rawNumber === undefined) {
    if (method === 'GET') {
      return parseCustomerListQuery(url.searchParams).match((query) => {
        const page = selectCustomers(tenant, query, context.options);
        return jsonResponse({
          Customers: page.customers.map((record) => presentListItem(record, origin)),
          MetaInformation: {
            '@TotalResources': page.totalResources,
            '@TotalPages': page.totalPages,
            '@CurrentPage': page.currentPage,
          },
        });
      }, context.fail);
    }
    if (method !== 'POST') return notFoundResponse(405);
    const body = await readJson(request);
    const created = body
      .andThen((value) => validateCustomerWrite(value, { mode: 'create', readOnlyFields }))
      .andThen((patch) => tenant.create(patch));
    return one(context, created, origin, 201);
  }

  let customerNumber: string;
  try {
    customerNumber = decodeURIComponent(rawNumber);
  } catch {
    return context.fail(apiError(2000433));
  }
  switch (method) {
    case 'GET': {
      const stored = tenant.get(customerNumber);
      return stored === undefined
        ? context.fail(apiError(2000433))
        : jsonResponse({ Customer: presentCustomer(stored.record, origin) });
    }
    case 'PUT': {
      if (tenant.get(customerNumber) === undefined) return context.fail(apiError(2000433));
      const body = await readJson(request);
      const updated = body
        .andThen((value) => validateCustomerWrite(value, { mode: 'update', readOnlyFields }))
        .andThen((patch) => tenant.update(customerNumber, patch));
      return one(context, updated, origin, 200);
    }
    case 'DELETE':
      return tenant.remove(customerNumber).match(
        () => new Response(null, { status: 204 }),
        (error) => context.fail(error),
      );
    default:
      return notFoundResponse(405);
  }
}
