import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import { formatStockholmDateTime, MAX_PAGE_LIMIT } from '../fortnox/index.js';
import { createSchemaValidationError } from './error-factory.js';
import type { FortnoxValidationError } from './errors.js';

/** The search parameters of `GET /3/customers` (each a case-insensitive substring match). */
export const CUSTOMER_SEARCH_PARAMS = [
  'customernumber',
  'name',
  'email',
  'phone',
  'organisationnumber',
  'zipcode',
  'city',
  'gln',
  'glndelivery',
] as const;

/** One customer search parameter. */
export type CustomerSearchParam = (typeof CUSTOMER_SEARCH_PARAMS)[number];

/** Query of Fortnox's customer list, `GET /3/customers`; every field optional, all validated before sending. */
export type CustomerListQuery = {
  /** 1-based page. */
  readonly page?: number;
  /** Page size, 1..500 (Fortnox's default is 100). */
  readonly limit?: number;
  /** Records to skip. */
  readonly offset?: number;
  /** Sort field. */
  readonly sortby?: 'customernumber' | 'name';
  /** Sort direction. */
  readonly sortorder?: 'ascending' | 'descending';
  /** Only active or only inactive customers. */
  readonly filter?: 'active' | 'inactive';
  /**
   * Only customers modified since then: a `Date` (sent as Stockholm local time) or a string
   * `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS`.
   */
  readonly lastmodified?: Date | string;
} & { readonly [K in CustomerSearchParam]?: string };

const LAST_MODIFIED_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?: ([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?)?$/;

function isRealDay(text: string): boolean {
  const match = LAST_MODIFIED_PATTERN.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const searchValue = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(1024, 'must be at most 1024 characters');

const searchShape = Object.fromEntries(
  CUSTOMER_SEARCH_PARAMS.map((name) => [name, searchValue.optional()]),
);

const CustomerListQuerySchema = z.strictObject({
  page: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  offset: z.number().int().min(0).optional(),
  sortby: z.enum(['customernumber', 'name']).optional(),
  sortorder: z.enum(['ascending', 'descending']).optional(),
  filter: z.enum(['active', 'inactive']).optional(),
  lastmodified: z
    .union([
      z.date().refine((date) => !Number.isNaN(date.getTime()), 'must be a valid Date'),
      z.string().refine(isRealDay, 'must be YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS'),
    ])
    .optional(),
  ...searchShape,
});

/**
 * Validates a {@link CustomerListQuery} and turns it into the URL query Fortnox reads. Unknown keys,
 * a `limit` above 500, a malformed `lastmodified` or an empty search value are `validation` errors.
 */
export function parseCustomerListQuery(
  query: CustomerListQuery,
): Result<URLSearchParams, FortnoxValidationError> {
  const parsed = CustomerListQuerySchema.safeParse(query ?? {});
  if (!parsed.success) return err(createSchemaValidationError('customer list query', parsed.error));
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    params.set(name, value instanceof Date ? formatStockholmDateTime(value) : String(value));
  }
  return ok(params);
}
