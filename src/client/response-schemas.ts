import { z } from 'zod';
import {
  CustomerListResponseSchema,
  CustomerResponseSchema,
  FortnoxCustomerSchema,
} from '../fortnox/index.js';
import { fastLooseObjectReader } from '../fortnox/read-values.js';
import type { CustomerPage } from './pagination.js';

/** The body of `GET`, `POST` and `PUT` on one customer, as the record it carries. */
export const CustomerBodySchema = CustomerResponseSchema.transform((body) => body.Customer);

/** The body of `GET /3/customers`, as a {@link CustomerPage}. */
export const CustomerPageBodySchema = CustomerListResponseSchema.transform(
  (body): CustomerPage => ({
    customers: body.Customers,
    totalResources: body.MetaInformation['@TotalResources'],
    totalPages: body.MetaInformation['@TotalPages'],
    currentPage: body.MetaInformation['@CurrentPage'],
  }),
);

/**
 * The schema compiled by zod (`z.compile`) when first asked for: a generated fast path for input
 * that matches, and zod's own parser (the same issues, word for word) for input that does not.
 * Compiled on first use, not at import (it takes ~10 ms); where code generation is unavailable
 * (no `new Function`), zod hands back the schema unchanged.
 */
function compiledOnFirstUse<T extends z.ZodType>(schema: T): () => T {
  let compiled: T | undefined;
  return () => {
    compiled ??= z.compile(schema);
    return compiled;
  };
}

const readRecord = fastLooseObjectReader(FortnoxCustomerSchema.shape);

/**
 * {@link CustomerBodySchema} with the readers' fast twins as zod's fast path (`z.withParser`): they
 * answer for a body that matches, and zod's own parser runs only for one that does not, so its
 * issues are zod's word for word. Not `z.compile`: for one record read between two network round
 * trips, its generated parser (one branch per field, 63 fields) measured slower than zod's runtime
 * parser; the small loop over the fields' twins measured fastest.
 */
export const fastCustomerBodySchema =
  readRecord === undefined
    ? CustomerBodySchema
    : z.withParser(CustomerBodySchema, (body) =>
        typeof body === 'object' && body !== null && !Array.isArray(body)
          ? (readRecord((body as { Customer?: unknown }).Customer) as z.output<
              typeof CustomerBodySchema
            >)
          : z.INVALID,
      );

/**
 * The compiled {@link CustomerPageBodySchema} every list response is read with: a 500-item page
 * validates several times faster compiled (the generated parser runs hot over the items), with
 * fewer allocations.
 */
export const compiledCustomerPageBodySchema = compiledOnFirstUse(CustomerPageBodySchema);
