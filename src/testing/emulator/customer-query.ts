import { err, ok, type Result } from 'neverthrow';
import { MAX_PAGE_LIMIT, parseStockholmTimestamp } from '../../fortnox/index.js';
import type { CustomerSortKey, SortedCustomers } from './customer-order.js';
import type { EmulatorCustomer } from './customer-record.js';
import { DEFAULT_PAGE_LIMIT, type ResolvedFortnoxEmulatorOptions } from './options.js';
import { type ApiError, apiError, INVALID_PARAMETER_CODE } from './responses.js';

/** Search parameters of `GET /3/customers` and the record field each one searches. */
const CUSTOMER_SEARCH_PARAMETERS = {
  customernumber: 'CustomerNumber',
  name: 'Name',
  email: 'Email',
  phone: 'Phone1',
  organisationnumber: 'OrganisationNumber',
  zipcode: 'ZipCode',
  city: 'City',
  gln: 'GLN',
  glndelivery: 'GLNDelivery',
} as const;

/** A parsed list query. */
export type CustomerListQuery = {
  readonly page: number;
  readonly limit: number;
  readonly offset: number;
  readonly sortBy: CustomerSortKey;
  readonly descending: boolean;
  readonly active: boolean | undefined;
  readonly modifiedSince: number | undefined;
  readonly search: ReadonlyArray<readonly [field: string, needle: string]>;
};

/** One page of a list. */
export type CustomerListPage = {
  readonly customers: readonly EmulatorCustomer[];
  readonly totalResources: number;
  readonly totalPages: number;
  readonly currentPage: number;
};

function parseInteger(raw: string | null, fallback: number, min: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) return undefined;
  const value = Number(raw.trim());
  return value >= min ? value : undefined;
}

/** Parses the query string; bad values answer like Fortnox (2000587 for `filter`, else 2000588). */
export function parseCustomerListQuery(
  params: URLSearchParams,
): Result<CustomerListQuery, ApiError> {
  const page = parseInteger(params.get('page'), 1, 1);
  const limit = parseInteger(params.get('limit'), DEFAULT_PAGE_LIMIT, 1);
  const offset = parseInteger(params.get('offset'), 0, 0);
  if (page === undefined || limit === undefined || limit > MAX_PAGE_LIMIT || offset === undefined) {
    return err(apiError(INVALID_PARAMETER_CODE));
  }
  const sortBy = params.get('sortby') ?? 'customernumber';
  const sortOrder = params.get('sortorder') ?? 'ascending';
  if (
    (sortBy !== 'customernumber' && sortBy !== 'name') ||
    !['ascending', 'descending'].includes(sortOrder)
  ) {
    return err(apiError(INVALID_PARAMETER_CODE));
  }
  const filter = params.get('filter');
  if (filter !== null && filter !== 'active' && filter !== 'inactive')
    return err(apiError(2000587));
  const lastModified = params.get('lastmodified');
  const modifiedSince = lastModified === null ? undefined : parseStockholmTimestamp(lastModified);
  if (lastModified !== null && modifiedSince === undefined) {
    return err(apiError(INVALID_PARAMETER_CODE));
  }
  const search: Array<readonly [string, string]> = [];
  for (const [parameter, field] of Object.entries(CUSTOMER_SEARCH_PARAMETERS)) {
    const needle = params.get(parameter);
    if (needle !== null && needle !== '') search.push([field, needle.toLowerCase()]);
  }
  return ok({
    page,
    limit,
    offset,
    sortBy,
    descending: sortOrder === 'descending',
    active: filter === null ? undefined : filter === 'active',
    modifiedSince,
    search,
  });
}

function matchesSearch(
  record: EmulatorCustomer,
  search: CustomerListQuery['search'],
  combination: 'all' | 'any',
): boolean {
  if (search.length === 0) return true;
  const hit = ([field, needle]: readonly [string, string]) => {
    const value = record[field];
    return typeof value === 'string' && value.toLowerCase().includes(needle);
  };
  return combination === 'all' ? search.every(hit) : search.some(hit);
}

/** How a list combines search parameters and answers an `offset` past the last match. */
export type CustomerListBehaviour = Pick<
  ResolvedFortnoxEmulatorOptions,
  'searchCombination' | 'offsetPastEnd'
>;

/**
 * Filters, sorts and pages customers the way Fortnox's list endpoint does. Linear in the number of
 * customers: the sorted order comes from `source` (cached between writes), filtering keeps it.
 */
export function selectCustomers(
  source: SortedCustomers,
  query: CustomerListQuery,
  { searchCombination: combination, offsetPastEnd }: CustomerListBehaviour,
): CustomerListPage {
  const isFiltered =
    query.active !== undefined || query.modifiedSince !== undefined || query.search.length > 0;
  const ascending = source.sorted(query.sortBy);
  const matching = isFiltered
    ? ascending.filter(({ record, modifiedAt }) => {
        if (query.active !== undefined && record.Active !== query.active) return false;
        if (query.modifiedSince !== undefined && modifiedAt < query.modifiedSince) return false;
        return matchesSearch(record, query.search, combination);
      })
    : ascending;
  if (query.offset > 0 && query.offset >= matching.length && offsetPastEnd === 'reset') {
    return { customers: [], totalResources: 0, totalPages: 0, currentPage: 1 };
  }
  const ordered = query.descending ? [...matching].reverse() : matching;
  const start = query.offset + (query.page - 1) * query.limit;
  const remaining = Math.max(0, matching.length - query.offset);
  return {
    customers: ordered.slice(start, start + query.limit).map(({ record }) => record),
    totalResources: matching.length,
    totalPages: Math.ceil(remaining / query.limit),
    currentPage: query.page,
  };
}
