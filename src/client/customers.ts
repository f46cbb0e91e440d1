import { err, errAsync, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import {
  type FortnoxCustomer,
  type FortnoxCustomerCreate,
  FortnoxCustomerCreateSchema,
  type FortnoxCustomerListItem,
  type FortnoxCustomerWrite,
  FortnoxCustomerWriteSchema,
  MAX_PAGE_LIMIT,
} from '../fortnox/index.js';
import { type CustomerListQuery, parseCustomerListQuery } from './customer-query.js';
import { createSchemaValidationError, createValidationError } from './error-factory.js';
import type { FortnoxError, FortnoxValidationError } from './errors.js';
import { createExactFinders, type ExactFinders } from './exact-finders.js';
import {
  type CustomerPage,
  collectItems,
  iterateItems,
  iteratePages,
  type ListCallOptions,
} from './pagination.js';
import type { CallOptions, RequestPipeline } from './request-pipeline.js';
import { compiledCustomerPageBodySchema, fastCustomerBodySchema } from './response-schemas.js';

/** The query of `CustomersResource.pages` and `CustomersResource.all` ({@link CustomersResource}): paging is theirs. */
export type CustomerPagesQuery = Omit<CustomerListQuery, 'page' | 'limit' | 'offset'>;

/** `client.customers`: the Fortnox customer register. */
export type CustomersResource = ExactFinders & {
  /** One page of list items (`GET /3/customers`). */
  list(query?: CustomerListQuery, call?: CallOptions): ResultAsync<CustomerPage, FortnoxError>;
  /**
   * Every page at `limit=500`, in order. Yields `Result`s: `ok(page)` per page, or one `err(error)`
   * that ends the iteration. `call.onProgress` hears after each page how far the walk has come.
   * @example
   * for await (const page of client.customers.pages({ filter: 'active' })) {
   *   if (page.isErr()) throw new Error(page.error.message);
   *   handle(page.value.customers);
   * }
   */
  pages(
    query?: CustomerPagesQuery,
    call?: ListCallOptions,
  ): AsyncIterable<Result<CustomerPage, FortnoxError>>;
  /** Every list item of every page: `ok(item)` per item, or one `err(error)` that ends it. */
  all(
    query?: CustomerPagesQuery,
    call?: ListCallOptions,
  ): AsyncIterable<Result<FortnoxCustomerListItem, FortnoxError>>;
  /**
   * Every list item collected into one array (all pages), or the first error. A long read (20 000
   * customers are 40 pages, 8 s at Fortnox's 25 requests per 5 s) can report progress per page.
   * @example
   * const all = await client.customers.listAll({}, {
   *   onProgress: ({ pagesRead, totalPages, itemsRead, totalItems }) =>
   *     console.log(`page ${pagesRead}/${totalPages}: ${itemsRead}/${totalItems} customers`),
   * });
   */
  listAll(
    query?: CustomerPagesQuery,
    call?: ListCallOptions,
  ): ResultAsync<FortnoxCustomerListItem[], FortnoxError>;
  /** The full record (`GET /3/customers/{CustomerNumber}`). */
  get(customerNumber: string, call?: CallOptions): ResultAsync<FortnoxCustomer, FortnoxError>;
  /**
   * Creates a customer (`POST`). Never retried after an ambiguous failure: that returns an
   * `unknown-outcome` error, to be reconciled before trying again.
   */
  create(
    customer: FortnoxCustomerCreate,
    call?: CallOptions,
  ): ResultAsync<FortnoxCustomer, FortnoxError>;
  /** Partial update (`PUT`): only the fields given change; `API_BLANK` clears a field. */
  update(
    customerNumber: string,
    patch: FortnoxCustomerWrite,
    call?: CallOptions,
  ): ResultAsync<FortnoxCustomer, FortnoxError>;
  /** Deletes a customer permanently (`DELETE`, 204). */
  remove(customerNumber: string, call?: CallOptions): ResultAsync<void, FortnoxError>;
};

const ONE_CUSTOMER = '/3/customers/{CustomerNumber}';
const CUSTOMERS = '/3/customers';

const CustomerNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .regex(/^[^\p{Cc}]+$/u);

/** A customer number as a path segment, or a validation error. */
function customerPath(customerNumber: unknown): Result<string, FortnoxValidationError> {
  const parsed = CustomerNumberSchema.safeParse(customerNumber);
  if (!parsed.success)
    return err(
      createValidationError(
        'customerNumber',
        'must be a non-empty string without control characters',
      ),
    );
  return ok(`${CUSTOMERS}/${encodeURIComponent(parsed.data)}`);
}

/** Creates `client.customers` over a request pipeline. */
export function createCustomersResource(pipeline: RequestPipeline): CustomersResource {
  const list = (query: CustomerListQuery = {}, call?: CallOptions) => {
    const params = parseCustomerListQuery(query);
    if (params.isErr()) return errAsync<CustomerPage, FortnoxError>(params.error);
    return pipeline.send(
      {
        method: 'GET',
        path: CUSTOMERS,
        pathTemplate: CUSTOMERS,
        query: params.value,
        responseSchema: compiledCustomerPageBodySchema(),
      },
      call,
    );
  };
  const pages = (
    query: CustomerPagesQuery = {},
    call?: ListCallOptions,
  ): AsyncIterable<Result<CustomerPage, FortnoxError>> => {
    const paging = ['page', 'limit', 'offset'].filter((key) => key in (query ?? {}));
    if (paging.length > 0) {
      return iteratePages(() =>
        errAsync(
          createValidationError(
            paging.join(', '),
            'is set by pages()/all() itself; use list() to page by hand',
          ),
        ),
      );
    }
    const { onProgress, ...callOptions } = call ?? {};
    return iteratePages(
      (page) => list({ ...query, page, limit: MAX_PAGE_LIMIT }, callOptions),
      onProgress,
    );
  };
  const all = (query: CustomerPagesQuery = {}, call?: ListCallOptions) =>
    iterateItems(pages(query, call));
  return {
    list,
    pages,
    all,
    listAll: (query, call) => new ResultAsync(collectItems(all(query, call))),
    get(customerNumber, call) {
      const path = customerPath(customerNumber);
      if (path.isErr()) return errAsync(path.error);
      return pipeline.send(
        {
          method: 'GET',
          path: path.value,
          pathTemplate: ONE_CUSTOMER,
          responseSchema: fastCustomerBodySchema,
        },
        call,
      );
    },
    create(customer, call) {
      const parsed = FortnoxCustomerCreateSchema.safeParse(customer);
      if (!parsed.success)
        return errAsync(createSchemaValidationError('customer to create', parsed.error));
      return pipeline.send(
        {
          method: 'POST',
          path: CUSTOMERS,
          pathTemplate: CUSTOMERS,
          body: { Customer: parsed.data },
          responseSchema: fastCustomerBodySchema,
        },
        call,
      );
    },
    update(customerNumber, patch, call) {
      const path = customerPath(customerNumber);
      if (path.isErr()) return errAsync(path.error);
      const parsed = FortnoxCustomerWriteSchema.safeParse(patch);
      if (!parsed.success)
        return errAsync(createSchemaValidationError('customer update', parsed.error));
      if (Object.keys(parsed.data).length === 0)
        return errAsync(createValidationError('patch', 'has no field to change'));
      const renumbered = parsed.data.CustomerNumber;
      if (renumbered !== undefined && renumbered !== String(customerNumber).trim()) {
        return errAsync(
          createValidationError('CustomerNumber', 'cannot be changed after creation'),
        );
      }
      return pipeline.send(
        {
          method: 'PUT',
          path: path.value,
          pathTemplate: ONE_CUSTOMER,
          body: { Customer: parsed.data },
          responseSchema: fastCustomerBodySchema,
        },
        call,
      );
    },
    remove(customerNumber, call) {
      const path = customerPath(customerNumber);
      if (path.isErr()) return errAsync(path.error);
      return pipeline.send(
        {
          method: 'DELETE',
          path: path.value,
          pathTemplate: ONE_CUSTOMER,
          responseSchema: undefined,
          notFoundMeansDone: true,
        },
        call,
      );
    },
    ...createExactFinders((param, value, call) => all({ [param]: value }, call)),
  };
}
