import { OWNED_CUSTOMER_FIELDS, type OwnedCustomerField } from '../fortnox/index.js';
import type { OwnedFieldValues } from './normalized-customer.js';

/** One owned field whose value differs. */
export type OwnedFieldDifference = {
  readonly field: OwnedCustomerField;
  /** The value in the first customer (`null`: empty). */
  readonly before: string | boolean | null;
  /** The value in the second customer (`null`: empty). */
  readonly after: string | boolean | null;
};

/**
 * The owned fields whose normalised values differ between two customers, in Fortnox field order.
 * A field unknown (`undefined`) on either side is not compared: a list item says nothing about `Type`.
 * An empty field is empty however it is written: `null` and `""` do not differ.
 *
 * @example
 * diffOwnedFields(normalizeSourceCustomer(source).value, normalizeFortnoxCustomer(record))
 * // [{ field: 'Phone1', before: '070-123 45 67', after: '070-765 43 21' }]
 */
export function diffOwnedFields(a: OwnedFieldValues, b: OwnedFieldValues): OwnedFieldDifference[] {
  const before = asValues(a);
  const after = asValues(b);
  const differences: OwnedFieldDifference[] = [];
  for (const field of OWNED_CUSTOMER_FIELDS) {
    const left = before[field];
    const right = after[field];
    if (left === undefined || right === undefined || left === right) continue;
    differences.push({ field, before: left, after: right });
  }
  return differences;
}

/**
 * Reads defensively: a blank string is empty like `null` (Fortnox reports an unset field as `null` in
 * a record and as `""` in a list item); anything but a string, boolean or `null` counts as unknown.
 */
function asValues(values: OwnedFieldValues): Partial<Record<string, string | boolean | null>> {
  const read: Partial<Record<string, string | boolean | null>> = {};
  if (typeof values !== 'object' || values === null) return read;
  for (const [field, value] of Object.entries(values)) {
    if (typeof value === 'string') read[field] = value.trim() === '' ? null : value;
    else if (typeof value === 'boolean' || value === null) read[field] = value;
  }
  return read;
}
