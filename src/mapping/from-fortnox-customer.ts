import type { FortnoxCustomer, FortnoxCustomerListItem } from '../fortnox/index.js';
import { isRecord } from './source-customer-shape.js';

/** The address of a {@link SourceCustomerShape}; `null` where Fortnox has no value. */
export type SourceAddressShape = {
  readonly street: string | null;
  readonly postalCode: string | null;
  readonly city: string | null;
  readonly countryCode: string | null;
};

/**
 * A Fortnox customer in the source customer's terms, with the values as Fortnox stores them
 * (trimmed; blank is `null`). Not normalised: see `normalizeFortnoxCustomer` to compare.
 */
export type SourceCustomerShape = {
  /** Fortnox's customer number. */
  readonly customerNumber: string;
  /** `ExternalReference`: the source id, when this customer was written by a sync. */
  readonly id: string | null;
  /** From `Type`; Fortnox's default `company` when the record has none. */
  readonly type: 'private' | 'company';
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly address: SourceAddressShape;
  readonly organisationNumber: string | null;
  /** From `Active`; Fortnox's default `true` when the record has none. */
  readonly active: boolean;
};

/**
 * A customer from a list page (`GET /3/customers`): a list item has no `Type`, `Active`,
 * `ExternalReference` or `CountryCode`, so those are `undefined` (unknown, not empty).
 */
export type SourceCustomerListShape = Omit<
  SourceCustomerShape,
  'id' | 'type' | 'active' | 'address'
> & {
  readonly id?: undefined;
  readonly type?: undefined;
  readonly active?: undefined;
  readonly address: Omit<SourceAddressShape, 'countryCode'> & { readonly countryCode?: undefined };
};

/**
 * Reads a Fortnox customer into the source customer's terms: a full record (GET/POST/PUT) gives a
 * {@link SourceCustomerShape}, a list item a {@link SourceCustomerListShape}, a value typed as either
 * one of the two (check `type !== undefined`). Reads defensively: a field of the wrong type counts as
 * empty.
 *
 * @example
 * const shape = fromFortnoxCustomer(response.Customer); // shape.type: 'private' | 'company'
 * const item = fromFortnoxCustomer(page.Customers[0]); // item.type: undefined
 */
export function fromFortnoxCustomer(record: FortnoxCustomer): SourceCustomerShape;
export function fromFortnoxCustomer(item: FortnoxCustomerListItem): SourceCustomerListShape;
export function fromFortnoxCustomer(
  recordOrItem: FortnoxCustomer | FortnoxCustomerListItem,
): SourceCustomerShape | SourceCustomerListShape;
export function fromFortnoxCustomer(
  record: FortnoxCustomer | FortnoxCustomerListItem,
): SourceCustomerShape | SourceCustomerListShape {
  const fields: Readonly<Record<string, unknown>> = isRecord(record) ? record : {};
  const common = {
    customerNumber: readText(fields.CustomerNumber) ?? '',
    name: readText(fields.Name) ?? '',
    email: readText(fields.Email),
    organisationNumber: readText(fields.OrganisationNumber),
  };
  const street = readText(fields.Address1);
  const postalCode = readText(fields.ZipCode);
  const city = readText(fields.City);
  if (!isFullRecord(fields)) {
    return { ...common, phone: readText(fields.Phone), address: { street, postalCode, city } };
  }
  return {
    ...common,
    id: readText(fields.ExternalReference),
    type: readText(fields.Type)?.toUpperCase() === 'PRIVATE' ? 'private' : 'company',
    phone: readText(fields.Phone1),
    address: { street, postalCode, city, countryCode: readText(fields.CountryCode) },
    active: readActive(fields.Active),
  };
}

/** A full record has the fields a list item lacks (a list item has `Phone` instead of `Phone1`). */
export function isFullRecord(fields: Readonly<Record<string, unknown>>): boolean {
  return ['Type', 'Active', 'Phone1', 'ExternalReference', 'CountryCode'].some(
    (key) => key in fields,
  );
}

function readText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function readActive(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' ? value.trim().toLowerCase() !== 'false' : true;
}
