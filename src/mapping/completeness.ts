import type { FortnoxCustomerWrite, OwnedCustomerField } from '../fortnox/index.js';
import type { NormalizedCustomer, OwnedFieldValues } from './normalized-customer.js';

/**
 * The owned fields that carry information about the customer. `Type`, `Active` and
 * `ExternalReference` always have a value, so they do not count.
 */
export const COMPLETENESS_FIELDS = [
  'Name',
  'Email',
  'Phone1',
  'Address1',
  'ZipCode',
  'City',
  'CountryCode',
  'OrganisationNumber',
] as const satisfies readonly OwnedCustomerField[];

/** A field that counts towards completeness. */
export type CompletenessField = (typeof COMPLETENESS_FIELDS)[number];

/** How complete a customer's data is. */
export type Completeness = {
  /** Filled fields divided by {@link COMPLETENESS_FIELDS}: 0 to 1. */
  readonly score: number;
  /** The fields with a value. */
  readonly filled: readonly CompletenessField[];
  /** The fields without one (empty or unknown). */
  readonly missing: readonly CompletenessField[];
};

/**
 * How many of the informative owned fields have a value, for the rule "the more complete data wins".
 *
 * @example
 * completeness(normalizeFortnoxCustomer(record)).score // 0.625
 */
export function completeness(customer: OwnedFieldValues): Completeness {
  const filled = COMPLETENESS_FIELDS.filter((field) => hasValue(customer, field));
  const missing = COMPLETENESS_FIELDS.filter((field) => !hasValue(customer, field));
  return { score: filled.length / COMPLETENESS_FIELDS.length, filled, missing };
}

/** The fields the source should fill in Fortnox, and the write that fills them. */
export type FillPlan = {
  /** Fields known to be empty in Fortnox and present in the source. */
  readonly fields: readonly CompletenessField[];
  /** Only those fields, with the source's values. Empty when there is nothing to fill. */
  readonly write: FortnoxCustomerWrite;
};

/**
 * Which fields a linked source customer should fill in an existing Fortnox customer: those empty
 * (`null` or `""`) in Fortnox and present in the source. Fields unknown on the Fortnox side (`undefined`, e.g.
 * `CountryCode` of a list item) are left alone, and values that differ are not overwritten.
 *
 * @example
 * const plan = fillFromMoreComplete(normalizedSource, normalizeFortnoxCustomer(record));
 * if (plan.fields.length > 0) await client.customers.update(number, plan.write);
 */
export function fillFromMoreComplete(
  source: NormalizedCustomer,
  fortnox: OwnedFieldValues,
): FillPlan {
  const fields = COMPLETENESS_FIELDS.filter(
    (field) => hasValue(source, field) && isKnownEmpty(fortnox, field),
  );
  const write: Partial<Record<CompletenessField, string>> = {};
  for (const field of fields) {
    const value = source[field];
    if (typeof value === 'string') write[field] = value;
  }
  return { fields, write };
}

/** Known to be empty: `null` or a blank string (`undefined` is unknown, not empty). */
function isKnownEmpty(customer: OwnedFieldValues, field: CompletenessField): boolean {
  if (!isRecordLike(customer)) return false;
  const value = customer[field];
  return value === null || (typeof value === 'string' && value.trim() === '');
}

function hasValue(customer: OwnedFieldValues, field: CompletenessField): boolean {
  if (!isRecordLike(customer)) return false;
  const value = customer[field];
  return typeof value === 'string' && value.trim() !== '';
}

function isRecordLike(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}
