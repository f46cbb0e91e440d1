import type { CustomerFeatures } from './customer-features.js';
import type { IndexedCustomer, IndexedField } from './customer-index.js';
import type { FillPolicy } from './duplicate-options.js';
import type { ResolvableCustomer } from './resolvable-customer.js';

/** An owned Fortnox field that an `update-existing` decision writes from the source (all but `Active`). */
export type FillableField = IndexedField;

type FieldRule = {
  readonly field: FillableField;
  readonly source: (customer: ResolvableCustomer) => string | null | undefined;
  readonly same: (a: CustomerFeatures, b: CustomerFeatures) => boolean;
};

/** How each owned field is read from the source and when two values count as the same. */
const RULES: readonly FieldRule[] = [
  {
    field: 'Name',
    source: (c) => c.name,
    same: (a, b) => a.nameKey === b.nameKey,
  },
  { field: 'Email', source: (c) => c.email, same: (a, b) => a.email === b.email },
  { field: 'Phone1', source: (c) => c.phone, same: (a, b) => a.phone === b.phone },
  {
    field: 'Address1',
    source: (c) => c.address?.street,
    same: (a, b) => a.streetKey === b.streetKey,
  },
  {
    field: 'ZipCode',
    source: (c) => c.address?.postalCode,
    same: (a, b) => a.postalCode === b.postalCode,
  },
  { field: 'City', source: (c) => c.address?.city, same: (a, b) => a.city === b.city },
  {
    field: 'CountryCode',
    source: (c) => c.address?.countryCode,
    same: (a, b) => a.countryCode === b.countryCode,
  },
  {
    field: 'OrganisationNumber',
    source: (c) => c.organisationNumber,
    same: (a, b) => a.identity === b.identity,
  },
  { field: 'Type', source: (c) => c.type, same: (a, b) => a.kind === b.kind },
];

/**
 * The owned fields to write to a linked Fortnox customer ("the more complete data wins"): those
 * the source has and Fortnox holds empty; with `overwrite` also those whose values differ.
 * `ExternalReference` is listed when it does not hold the source id yet (and is empty, unless
 * `overwrite`), so that later look-ups find the customer with certainty.
 * A field the index does not know (a list item lacks `CountryCode` and `Type`) is never listed.
 */
export function fillableFields(
  source: ResolvableCustomer,
  sourceFeatures: CustomerFeatures,
  target: IndexedCustomer,
  policy: FillPolicy,
): FillableField[] {
  const fields: FillableField[] = [];
  for (const rule of RULES) {
    const value = rule.source(source)?.trim();
    const current = target.values[rule.field];
    if (!value || current === undefined) continue;
    const empty = current === null || current.trim() === '';
    if (empty || (policy === 'overwrite' && !rule.same(sourceFeatures, target.features))) {
      fields.push(rule.field);
    }
  }
  // The source id in ExternalReference makes every later look-up of this customer certain.
  const reference = target.values.ExternalReference;
  if (reference !== undefined) {
    const current = reference?.trim() ?? '';
    if (current === '' || (policy === 'overwrite' && current !== source.id.trim())) {
      fields.push('ExternalReference');
    }
  }
  return fields;
}
