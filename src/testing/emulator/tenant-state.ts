import { err, ok, type Result } from 'neverthrow';
import { API_BLANK } from '../../fortnox/index.js';
import { createCustomerOrder, type SortedCustomers } from './customer-order.js';
import {
  type CustomerValue,
  createDefaultCustomer,
  deriveCountries,
  type EmulatorCustomer,
  emptyValueOf,
} from './customer-record.js';
import type { CustomerPatch } from './customer-validation.js';
import { type ApiError, apiError, EMPTY_NAME_ERROR, INVALID_PARAMETER_CODE } from './responses.js';

/** A stored customer and the instant it last changed (never exposed, used by `lastmodified`). */
export type StoredCustomer = { readonly record: EmulatorCustomer; readonly modifiedAt: number };

/** One Fortnox company: its customers and its number series. */
export type TenantState = SortedCustomers & {
  readonly tenantId: string;
  get(customerNumber: string): StoredCustomer | undefined;
  /** Creates a customer from a validated patch; assigns the next free number when none is given. */
  create(patch: CustomerPatch): Result<EmulatorCustomer, ApiError>;
  /** Applies a validated patch to an existing customer. */
  update(customerNumber: string, patch: CustomerPatch): Result<EmulatorCustomer, ApiError>;
  /** Deletes for good: the number is never handed out again. */
  remove(customerNumber: string): Result<void, ApiError>;
  /** Empties the tenant and restarts its number series. */
  clear(): void;
};

function applyPatch(record: EmulatorCustomer, patch: CustomerPatch): EmulatorCustomer {
  const next: Record<string, CustomerValue> = { ...record };
  for (const [field, change] of patch) {
    if (change.kind === 'clear') next[field] = emptyValueOf(field);
    else if (isPlainObject(change.value) && isPlainObject(next[field])) {
      next[field] = { ...(next[field] as object), ...change.value };
    } else next[field] = change.value;
  }
  return deriveCountries(next);
}

function isPlainObject(value: CustomerValue | undefined): value is Record<string, string | null> {
  return typeof value === 'object' && value !== null;
}

/** Creates an empty tenant whose automatic customer numbers start at `numberStart`. */
export function createTenantState(
  tenantId: string,
  numberStart: number,
  now: () => number,
): TenantState {
  const customers = new Map<string, StoredCustomer>();
  const order = createCustomerOrder(() => [...customers.values()]);
  const store = (customerNumber: string, stored: StoredCustomer) => {
    order.replace(customers.get(customerNumber), stored);
    customers.set(customerNumber, stored);
  };
  const usedNumbers = new Set<string>();
  let nextNumber = numberStart;

  const nextFreeNumber = (): string => {
    while (usedNumbers.has(String(nextNumber))) nextNumber += 1;
    return String(nextNumber);
  };

  return {
    tenantId,
    get: (customerNumber) => customers.get(customerNumber),
    sorted: (key) => order.sorted(key),
    create(patch) {
      const chosen = patch.get('CustomerNumber');
      const number =
        chosen?.kind === 'set' && chosen.value !== null ? String(chosen.value) : nextFreeNumber();
      if (usedNumbers.has(number)) return err(apiError(2000637, number));
      const name = patch.get('Name');
      if (name?.kind !== 'set' || name.value === API_BLANK) return err(EMPTY_NAME_ERROR);
      const record = applyPatch(createDefaultCustomer(number, String(name.value)), patch);
      usedNumbers.add(number);
      store(number, { record, modifiedAt: now() });
      return ok(record);
    },
    update(customerNumber, patch) {
      const stored = customers.get(customerNumber);
      if (stored === undefined) return err(apiError(2000433));
      const chosen = patch.get('CustomerNumber');
      if (chosen !== undefined && (chosen.kind !== 'set' || chosen.value !== customerNumber)) {
        return err(apiError(INVALID_PARAMETER_CODE));
      }
      const record = applyPatch(stored.record, patch);
      store(customerNumber, { record, modifiedAt: now() });
      return ok(record);
    },
    remove(customerNumber) {
      const stored = customers.get(customerNumber);
      if (stored === undefined) return err(apiError(2000433));
      customers.delete(customerNumber);
      order.replace(stored, undefined);
      return ok(undefined);
    },
    clear() {
      customers.clear();
      order.invalidate();
      usedNumbers.clear();
      nextNumber = numberStart;
    },
  };
}
