import type { Result } from 'neverthrow';
import type { FortnoxCustomerWrite, OwnedCustomerField } from '../fortnox/index.js';
import { type MappingError, type SourceCustomer, toFortnoxCustomer } from '../mapping/index.js';
import { OWNED_FIELD_SOURCES } from '../mapping/owned-fields.js';

/** The value at a dotted source path (`address.city`); `undefined` when the source does not have it. */
const sourceValue = (customer: SourceCustomer, path: string): unknown => {
  let value: unknown = customer;
  for (const part of path.split('.')) {
    if (value === null) return null;
    if (typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
};

/**
 * The PUT body of a save to a linked customer (only owned fields are ever written): every owned
 * field the source has; a field the source cleared (`null`, `""`) as `API_BLANK`; a field the source
 * does not have (its key absent) not at all, so it is never blanked. `CustomerNumber` is never sent.
 */
export function ownedUpdate(customer: SourceCustomer): Result<FortnoxCustomerWrite, MappingError> {
  return toFortnoxCustomer(customer, { clearEmptyFields: true }).map((write) => {
    const kept: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(write)) {
      const path = OWNED_FIELD_SOURCES[field as OwnedCustomerField];
      if (path !== undefined && sourceValue(customer, path) === undefined) continue;
      kept[field] = value;
    }
    return kept as FortnoxCustomerWrite;
  });
}

/**
 * The body of a create, or of the first write to a customer that was already in Fortnox: only the
 * fields with a value, so what the bookkeeper entered is never erased (the more complete data wins).
 */
export function ownedCreate(customer: SourceCustomer): Result<FortnoxCustomerWrite, MappingError> {
  return toFortnoxCustomer(customer);
}
