import type { EngineCore } from './engine-core.js';
import { syncErrors } from './sync-engine-error.js';
import type { CustomerStatus, SyncSummary } from './sync-engine-types.js';

/**
 * A customer's sync status: linked and nothing queued → `synced`; queued while the tenant is paused
 * → `paused`; queued → `pending`; `failed` with the last error; `needs-decision` with candidates.
 */
export async function customerStatus(
  core: EngineCore,
  tenantId: string,
  sourceId: string,
): Promise<CustomerStatus> {
  const { storage } = core;
  const [link, entry] = await Promise.all([
    storage.links.get(tenantId, sourceId),
    storage.outbox.get(tenantId, sourceId),
  ]);
  const customerNumber = link?.customerNumber ?? null;
  const base = { tenantId, sourceId, customerNumber };
  if (entry === undefined) {
    if (link === undefined) throw syncErrors.notFound('The customer');
    return { ...base, state: 'synced', lastError: null, candidates: [] };
  }
  if (entry.state === 'needs-decision') {
    const decision = await storage.decisions.get(tenantId, sourceId);
    return {
      ...base,
      state: 'needs-decision',
      lastError: entry.lastError,
      candidates: decision?.candidates ?? [],
    };
  }
  if (entry.state === 'failed') {
    return { ...base, state: 'failed', lastError: entry.lastError, candidates: [] };
  }
  const paused = await core.isPaused(tenantId);
  return {
    ...base,
    state: paused ? 'paused' : 'pending',
    lastError: entry.lastError,
    candidates: [],
  };
}

/** Counts for a dashboard. */
export async function syncSummary(core: EngineCore, tenantId: string): Promise<SyncSummary> {
  const { storage } = core;
  const [tenant, linked, counts] = await Promise.all([
    storage.tenants.get(tenantId),
    storage.links.count(tenantId),
    storage.outbox.countByState(tenantId),
  ]);
  return {
    tenantId,
    connection: tenant?.connection ?? 'disconnected',
    linked,
    pending: counts.pending,
    failed: counts.failed,
    needsDecision: counts['needs-decision'],
  };
}

/** The tenant's pending decisions, oldest first, as statuses with their candidates. */
export async function pendingDecisions(
  core: EngineCore,
  tenantId: string,
): Promise<CustomerStatus[]> {
  const records = await core.storage.decisions.list(tenantId, { pending: true });
  const statuses: CustomerStatus[] = [];
  for (const record of records) {
    const entry = await core.storage.outbox.get(tenantId, record.sourceId);
    const link = await core.storage.links.get(tenantId, record.sourceId);
    statuses.push({
      tenantId,
      sourceId: record.sourceId,
      state: 'needs-decision',
      customerNumber: link?.customerNumber ?? null,
      lastError: entry?.lastError ?? null,
      candidates: record.candidates,
    });
  }
  return statuses;
}
