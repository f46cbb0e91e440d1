import { createEmulatorTenant, type EmulatorTenant } from './emulator-tenant.js';
import type { ResolvedFortnoxEmulatorOptions } from './options.js';
import { createTenantState, type TenantState } from './tenant-state.js';

/** The tenants (Fortnox companies) of one emulator, created on first use. */
export type TenantRegistry = {
  /** A tenant's state, created empty on first use. */
  state(tenantId: string): TenantState;
  /** The inspection API of a tenant (created on first use). */
  tenant(tenantId: string): EmulatorTenant;
  /** True when the tenant exists. */
  has(tenantId: string): boolean;
  /** Ids of the tenants that exist. */
  ids(): string[];
  /** Drops every tenant and creates the configured ones again, with their seed customers. */
  seed(): void;
};

/**
 * Creates the tenant registry; `origin` gives the base of `@url` in inspected records (the HTTP
 * server's URL once it listens).
 */
export function createTenantRegistry(
  options: ResolvedFortnoxEmulatorOptions,
  origin: () => string,
): TenantRegistry {
  const tenants = new Map<string, TenantState>();
  const state = (tenantId: string): TenantState => {
    let found = tenants.get(tenantId);
    if (found === undefined) {
      const settings = options.tenants[tenantId] ?? {};
      found = createTenantState(
        tenantId,
        settings.customerNumberStart ?? options.customerNumberStart,
        options.now,
      );
      tenants.set(tenantId, found);
    }
    return found;
  };
  const tenant = (tenantId: string) => createEmulatorTenant(state(tenantId), origin);
  return {
    state,
    tenant,
    has: (tenantId) => tenants.has(tenantId),
    ids: () => [...tenants.keys()],
    seed() {
      tenants.clear();
      state(options.defaultTenantId);
      for (const [tenantId, settings] of Object.entries(options.tenants)) {
        const count = settings.seedCustomers ?? 0;
        if (count > 0) tenant(tenantId).seedCustomers(count, { seed: settings.seed ?? 1 });
        else state(tenantId);
      }
    },
  };
}
