import { createHash } from 'node:crypto';
import { OWNED_CUSTOMER_FIELDS } from '../fortnox/index.js';
import type { OwnedFieldValues } from './normalized-customer.js';

/** Changes when the fingerprint's recipe changes, so old fingerprints never match new ones. */
const FINGERPRINT_VERSION = 'fortnox-sync/owned-fields/v1';

/**
 * A stable SHA-256 (hex) of a customer's normalised owned fields: equal exactly when every owned value
 * is equal, whatever the key order of the object, across runs and processes. Unknown fields
 * (`undefined`) and empty ones (`null` or `""`) hash alike, so a full record and its list item can differ.
 * Hash what `normalizeSourceCustomer` or `normalizeFortnoxCustomer` return, not raw input.
 *
 * @example
 * if (fingerprint(normalized) !== link.fingerprint) enqueueUpdate();
 */
export function fingerprint(customer: OwnedFieldValues): string {
  const values: Readonly<Record<string, unknown>> =
    typeof customer === 'object' && customer !== null ? customer : {};
  const entries = OWNED_CUSTOMER_FIELDS.map((field) => [field, canonicalValue(values[field])]);
  return createHash('sha256')
    .update(JSON.stringify([FINGERPRINT_VERSION, entries]))
    .digest('hex');
}

/** A blank string is empty, like `null` (Fortnox writes an unset field either way). */
function canonicalValue(value: unknown): string | boolean | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  return typeof value === 'boolean' ? value : null;
}
