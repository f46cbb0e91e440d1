import { type SeedCustomersOptions, seedCustomers } from '../seed/seed-customers.js';
import { type EmulatorCustomer, presentCustomer } from './customer-record.js';
import { validateCustomerWrite } from './customer-validation.js';
import type { TenantState } from './tenant-state.js';

/** Inspection and setup of one tenant's data, for tests (`emulator.tenant(id)`). */
export type EmulatorTenant = {
  /** The tenant id (Fortnox `DatabaseNumber`). */
  readonly tenantId: string;
  /** Every customer as a full record (like `GET /3/customers/{n}`), sorted by customer number. */
  customers(): EmulatorCustomer[];
  /** One customer as a full record, or `undefined`. */
  customer(customerNumber: string): EmulatorCustomer | undefined;
  /**
   * Inserts a customer as a POST would (same validation, defaults and number series).
   * Throws a `TypeError` with Fortnox's error code when the data would be refused.
   */
  insert(customer: Readonly<Record<string, unknown>>): EmulatorCustomer;
  /** Inserts `count` generated Swedish customers (see `seedCustomers`). */
  seedCustomers(count: number, options?: SeedCustomersOptions): EmulatorCustomer[];
  /** Deletes every customer and restarts the number series. */
  clear(): void;
};

/** Wraps a tenant's state in the inspection API; `origin` gives the base of `@url`. */
export function createEmulatorTenant(state: TenantState, origin: () => string): EmulatorTenant {
  const insert = (customer: Readonly<Record<string, unknown>>): EmulatorCustomer => {
    const result = validateCustomerWrite(
      { Customer: customer },
      { mode: 'create', readOnlyFields: 'reject' },
    ).andThen((patch) => state.create(patch));
    if (result.isErr()) {
      throw new TypeError(
        `tenant(${state.tenantId}).insert: Fortnox would refuse this customer (code ${result.error.code})`,
      );
    }
    return presentCustomer(result.value, origin());
  };
  return {
    tenantId: state.tenantId,
    customers: () =>
      state.sorted('customernumber').map(({ record }) => presentCustomer(record, origin())),
    customer(customerNumber) {
      const stored = state.get(customerNumber);
      return stored === undefined ? undefined : presentCustomer(stored.record, origin());
    },
    insert,
    seedCustomers: (count, options) =>
      seedCustomers(count, options).map((customer) => insert(customer)),
    clear: () => state.clear(),
  };
}
