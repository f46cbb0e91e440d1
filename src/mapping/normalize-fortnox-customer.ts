import type { FortnoxCustomer, FortnoxCustomerListItem } from '../fortnox/index.js';
import { fromFortnoxCustomer, isFullRecord } from './from-fortnox-customer.js';
import { analyzeSourceCustomer } from './normalize-source-customer.js';
import type { MappingOptions, OwnedFieldValues } from './normalized-customer.js';
import type { OWNED_FIELD_SOURCES } from './owned-fields.js';
import { isRecord } from './source-customer-shape.js';

/**
 * The owned fields of a Fortnox customer, normalised the same way as a source customer's, so the two
 * can be compared (`diffOwnedFields`, `fingerprint`, `completeness`). A value that does not pass the
 * rules (entered in Fortnox by hand) is kept as stored, trimmed, so it shows up as a difference rather
 * than vanishing. For a list item, `Type`, `Active`, `ExternalReference` and `CountryCode` are
 * `undefined` (unknown).
 */
export function normalizeFortnoxCustomer(
  record: FortnoxCustomer | FortnoxCustomerListItem,
  options: MappingOptions = {},
): OwnedFieldValues {
  const fields: Readonly<Record<string, unknown>> = isRecord(record) ? record : {};
  const full = isFullRecord(fields);
  const shape = fromFortnoxCustomer(fields as FortnoxCustomer);
  const { normalized } = analyzeSourceCustomer(
    { ...shape, id: shape.id ?? '', ...(full ? {} : { type: undefined, active: undefined }) },
    options,
  );
  const raw: Readonly<
    Record<keyof typeof OWNED_FIELD_SOURCES, string | boolean | null | undefined>
  > = {
    Name: shape.name === '' ? null : shape.name,
    Email: shape.email,
    Phone1: shape.phone,
    Type: full ? (shape.type === 'private' ? 'PRIVATE' : 'COMPANY') : undefined,
    Address1: shape.address.street,
    ZipCode: shape.address.postalCode,
    City: shape.address.city,
    CountryCode: full ? shape.address.countryCode : undefined,
    OrganisationNumber: shape.organisationNumber,
    Active: full ? shape.active : undefined,
    ExternalReference: full ? shape.id : undefined,
  };
  const values: Record<string, string | boolean | null> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const clean = (normalized as Readonly<Record<string, string | boolean | null | undefined>>)[
      field
    ];
    values[field] = value === null ? null : (clean ?? value);
  }
  return values as OwnedFieldValues;
}
