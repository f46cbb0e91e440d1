import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** Base URLs the tests mock (never reached: msw answers). */
export const API = 'https://api.fortnox.test';
export const AUTH = 'https://apps.fortnox.test';

/** A msw server that fails on any request no handler answers (msw 3's onUnhandledFrame: 'error', and a count checked after each test). */
export function useMockServer() {
  const server = setupServer();
  let unhandled = 0;
  beforeAll(() =>
    server.listen({
      onUnhandledFrame: ({ defaults }) => {
        unhandled += 1;
        defaults.error();
      },
    }),
  );
  afterEach(() => {
    server.resetHandlers();
    // The client turns an unhandled request into an error result: fail the test here as well.
    const count = unhandled;
    unhandled = 0;
    expect(count, 'requests that no msw handler answered').toBe(0);
  });
  afterAll(() => server.close());
  return server;
}

/** An unsigned JWT with the given claims (Fortnox's access tokens are JWTs carrying tenantId). */
export function makeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;
}

/** A full customer record as Fortnox returns it. */
export function customerRecord(overrides: Record<string, unknown> = {}) {
  return {
    '@url': 'https://api.fortnox.se/3/customers/1',
    CustomerNumber: '1',
    Name: 'Acme AB',
    Email: 'info@acme.se',
    Phone1: '070-123 45 67',
    OrganisationNumber: '556000-0001',
    Type: 'COMPANY',
    Active: true,
    ...overrides,
  };
}

/** A list item as `GET /3/customers` returns it. */
export function listItem(customerNumber: string, overrides: Record<string, unknown> = {}) {
  return {
    '@url': `https://api.fortnox.se/3/customers/${customerNumber}`,
    CustomerNumber: customerNumber,
    Name: `Customer ${customerNumber}`,
    Email: null,
    Phone: null,
    OrganisationNumber: null,
    Address1: null,
    Address2: null,
    ZipCode: null,
    City: null,
    ...overrides,
  };
}

/** A list response body. */
export function listBody(
  items: unknown[],
  totalPages: number,
  currentPage: number,
  totalResources = items.length,
) {
  return {
    Customers: items,
    MetaInformation: {
      '@TotalResources': totalResources,
      '@TotalPages': totalPages,
      '@CurrentPage': currentPage,
    },
  };
}

/** Fortnox's error body. */
export function errorBody(code: number, message: string, casing: 'lower' | 'upper' = 'lower') {
  return casing === 'lower'
    ? { ErrorInformation: { error: 1, message, code } }
    : { ErrorInformation: { Error: 1, Message: message, Code: code } };
}

export { HttpResponse, http };
