import { ResultAsync } from 'neverthrow';
import { auditDuplicates } from './audit-duplicates.js';
import { customerStatus, pendingDecisions, syncSummary } from './customer-status.js';
import { checkDrift } from './drift.js';
import { createEngineCore, DEFAULT_SYNC_ENGINE_OPTIONS } from './engine-core.js';
import { planInitialSync, runInitialSync } from './initial-sync.js';
import { processEntry } from './process-entry.js';
import {
  deleteCustomer,
  requireSourceId,
  requireTenantId,
  saveCustomer,
  settleDecision,
} from './save-customer.js';
import { toSyncEngineError } from './sync-engine-error.js';
import type { SyncEngine, SyncEngineOptions, SyncError } from './sync-engine-types.js';
import {
  connectTenant,
  defaultAuthorize,
  disconnectTenant,
  requireAllowed,
} from './tenant-connection.js';
import { waitForOutcome } from './wait-for-outcome.js';

/** Internal helpers await and throw; every public call is wrapped once, here. */
const wrap = <T>(work: () => Promise<T>): ResultAsync<T, SyncError> =>
  ResultAsync.fromPromise(
    Promise.resolve().then(work),
    (thrown): SyncError => toSyncEngineError(thrown),
  );

/**
 * Creates the sync engine: one for many tenants, every call names the tenant. A save goes through a
 * durable outbox (`storage`) and is pushed at once; transient failures retry with backoff, a dead
 * connection pauses the tenant until `connect`, and data Fortnox refuses is parked as `failed`.
 *
 * @example
 * ```ts
 * const engine = createSyncEngine({
 *   storage: createMemoryStorage(),
 *   clients: (tenantId) => createFortnoxClient({ auth: { type: 'refresh-token', clientId, clientSecret, tenantId, tokenStore } }),
 *   source: { list: (tenantId) => db.customers(tenantId) },
 * });
 * await engine.connect('tenant-1', { id: 'u1', roles: ['admin'] });
 * const outcome = await engine.customerSaved('tenant-1', { id: 'c-1', type: 'company', name: 'Acme AB', active: true });
 * ```
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const core = createEngineCore(options);
  const authorize = options.authorize ?? defaultAuthorize;
  let running: { stop(): Promise<void> } | null = null;

  /**
   * Schedules every connected tenant's pending work (a change whose schedule was lost, e.g. a crash
   * inside `connect`): with `scheduleMissing`, leaving alone what another process is handling.
   */
  const resumeStoredWork = async (): Promise<void> => {
    const { queue } = core.storage;
    for (const tenant of await core.storage.tenants.list()) {
      if (tenant.connection !== 'connected') continue;
      const pending = await core.storage.outbox.list(tenant.tenantId, { state: 'pending' });
      const items = pending.map((entry) => ({
        tenantId: tenant.tenantId,
        sourceId: entry.sourceId,
        runAt: entry.notBefore,
      }));
      if (queue.scheduleMissing !== undefined) await queue.scheduleMissing(items);
      else for (const { runAt, ...item } of items) await queue.schedule(item, runAt);
    }
  };

  const engine: SyncEngine = {
    customerSaved: (tenantId, customer) => wrap(() => saveCustomer(core, tenantId, customer)),
    customerDeleted: (tenantId, sourceId) => wrap(() => deleteCustomer(core, tenantId, sourceId)),
    waitForOutcome: (tenantId, sourceId, waitOptions = {}) =>
      wrap(async () => {
        requireTenantId(tenantId);
        requireSourceId(sourceId);
        return waitForOutcome(core, tenantId, sourceId, waitOptions);
      }),
    resolveDecision: (tenantId, sourceId, resolution, actor) =>
      wrap(async () => {
        requireTenantId(tenantId);
        await requireAllowed(authorize, actor, 'resolve-decision', tenantId);
        return settleDecision(core, tenantId, sourceId, resolution, actor.id);
      }),
    decisions: (tenantId) =>
      wrap(async () => {
        requireTenantId(tenantId);
        return pendingDecisions(core, tenantId);
      }),
    connect: (tenantId, actor) =>
      wrap(async () => {
        requireTenantId(tenantId);
        await requireAllowed(authorize, actor, 'connect', tenantId);
        await connectTenant(core, tenantId);
      }),
    disconnect: (tenantId, actor) =>
      wrap(async () => {
        requireTenantId(tenantId);
        await requireAllowed(authorize, actor, 'disconnect', tenantId);
        await disconnectTenant(core, tenantId);
      }),
    status: (tenantId, sourceId) =>
      wrap(async () => {
        requireTenantId(tenantId);
        return customerStatus(core, tenantId, sourceId);
      }),
    summary: (tenantId) =>
      wrap(async () => {
        requireTenantId(tenantId);
        return syncSummary(core, tenantId);
      }),
    planInitialSync: (tenantId, planOptions = {}) =>
      wrap(async () => {
        requireTenantId(tenantId);
        const { onProgress, signal } = planOptions;
        return planInitialSync(core, tenantId, {
          ...(onProgress === undefined ? {} : { onProgress }),
          ...(signal === undefined ? {} : { signal }),
        });
      }),
    runInitialSync: (tenantId, runOptions = {}) =>
      wrap(async () => {
        requireTenantId(tenantId);
        const { actor, onProgress, signal } = runOptions;
        if (actor !== undefined) await requireAllowed(authorize, actor, 'initial-sync', tenantId);
        return runInitialSync(core, tenantId, {
          ...(onProgress === undefined ? {} : { onProgress }),
          ...(signal === undefined ? {} : { signal }),
        });
      }),
    checkDrift: (tenantId) =>
      wrap(async () => {
        requireTenantId(tenantId);
        return checkDrift(core, tenantId);
      }),
    auditDuplicates: (tenantId) =>
      wrap(async () => {
        requireTenantId(tenantId);
        return auditDuplicates(core, tenantId);
      }),
    start() {
      if (running !== null) return;
      core.gate.open();
      running = core.storage.queue.start(
        async (item) => {
          // Over its tenant's cap: wait parked for its tenant's next free slot, or give the slot back
          // to another tenant's work and wait a turn.
          const entered = await core.gate.enter(item);
          if ('deferUntil' in entered) return entered;
          try {
            // A deferral: a create that may still land in Fortnox (`createSettleMs`).
            return await processEntry(core, item);
          } finally {
            entered.release();
          }
        },
        { concurrency: core.concurrency },
      );
      resumeStoredWork().catch(() => {
        // Storage failed while looking: the work is still there, and the next save or connect schedules it.
      });
    },
    async stop() {
      const current = running;
      running = null;
      // Parked items go back to the queue at once (another process may run them); then the queue
      // waits for the running ones.
      core.gate.close();
      await current?.stop();
      core.waiters.releaseAll({ status: 'pending', reason: 'timeout', lastError: null });
    },
  };
  if (options.autoStart ?? DEFAULT_SYNC_ENGINE_OPTIONS.autoStart) engine.start();
  return engine;
}
