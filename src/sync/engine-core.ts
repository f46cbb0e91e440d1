import { DEFAULT_TIMEOUT_MS } from '../client/defaults.js';
import type { FortnoxClient } from '../client/index.js';
import { createDuplicateResolver } from '../duplicates/index.js';
import type { EpochMs } from '../storage/sync-storage.js';
import { createSettledCreates, type SettledCreates } from './create-settle.js';
import type { EngineContext } from './engine-context.js';
import { createOutcomeWaiters, type OutcomeWaiters } from './outcome-waiters.js';
import { isSyncEngineError, syncErrors } from './sync-engine-error.js';
import type { SaveOutcome, SyncEngineOptions, SyncEvent } from './sync-engine-types.js';
import { createTenantGate, type TenantGate } from './tenant-gate.js';

/** Defaults of {@link SyncEngineOptions}. */
export const DEFAULT_SYNC_ENGINE_OPTIONS = {
  companyMatch: 'update-existing',
  onDelete: 'deactivate',
  saveTimeoutMs: 10_000,
  concurrency: 32,
  /** Fortnox's 25 requests per 5 s is 5 a second: see {@link SyncEngineOptions.tenantConcurrency}. */
  tenantConcurrency: 5,
  backoff: { initialMs: 1_000, maxMs: 300_000 },
  /**
   * The client's default per-attempt timeout (after which it aborts a POST) plus 15 s for a request
   * Fortnox received to finish anyway: see {@link SyncEngineOptions.createSettleMs}.
   */
  createSettleMs: DEFAULT_TIMEOUT_MS + 15_000,
  autoStart: true,
} as const;

/** The engine's own seam: the shared {@link EngineContext} plus what only the save pipeline uses. */
export type EngineCore = EngineContext & {
  readonly waiters: OutcomeWaiters;
  readonly saveTimeoutMs: number;
  readonly concurrency: number;
  /** The per-tenant cap on items in flight in this process (`tenantConcurrency`). */
  readonly gate: TenantGate;
  /** Tenants this process is pausing right now (one `paused` event per pause, not one per handler). */
  readonly pausing: Set<string>;
  /** How long a create POST this process did not see settle may still land (`createSettleMs`). */
  readonly createSettleMs: number;
  /** The creates whose POST this process saw settle: reconciled at once, without the wait. */
  readonly settledCreates: SettledCreates;
  /** The delay before attempt `attempt + 1` after a transient error (full jitter, capped). */
  backoffMs(attempt: number): number;
  /** Forgets a tenant's cached client (after `connect`, the host's client factory gives a fresh one). */
  forgetClient(tenantId: string): void;
  /** After an enqueue: schedules the item now, unless the storage's enqueue already did (`enqueueMakesDue`). */
  makeDue(tenantId: string, sourceId: string): Promise<void>;
  /** True when the tenant's work must wait (no record, `disconnected`, `needs-reconnect`). */
  isPaused(tenantId: string): Promise<boolean>;
  /** What storage says of a customer's change now; `null` while it is on its way. */
  storedOutcome(
    tenantId: string,
    sourceId: string,
  ): Promise<{ readonly version: number; readonly outcome: SaveOutcome | null }>;
};

/**
 * Builds the engine's context from its options (validated here: a bad option is a programmer error
 * and throws). `createSyncEngine` uses it; tests of the engine's parts may too.
 */
export function createEngineCore(options: SyncEngineOptions): EngineCore {
  const { storage, clients } = options;
  if (typeof storage !== 'object' || storage === null || typeof clients !== 'function') {
    throw new TypeError(
      'createSyncEngine: options.storage and options.clients are required, e.g. createSyncEngine({ storage: createMemoryStorage(), clients: (tenantId) => clientOf(tenantId) })',
    );
  }
  const saveTimeoutMs = nonNegative(
    'saveTimeoutMs',
    options.saveTimeoutMs,
    DEFAULT_SYNC_ENGINE_OPTIONS.saveTimeoutMs,
  );
  const concurrency = options.concurrency ?? DEFAULT_SYNC_ENGINE_OPTIONS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(
      `createSyncEngine: concurrency must be a positive integer, got ${String(concurrency)}`,
    );
  }
  const tenantConcurrency =
    options.tenantConcurrency ?? DEFAULT_SYNC_ENGINE_OPTIONS.tenantConcurrency;
  if (!Number.isInteger(tenantConcurrency) || tenantConcurrency < 1) {
    throw new TypeError(
      `createSyncEngine: tenantConcurrency must be a positive integer, got ${String(tenantConcurrency)}`,
    );
  }
  const initialMs = nonNegative(
    'backoff.initialMs',
    options.backoff?.initialMs,
    DEFAULT_SYNC_ENGINE_OPTIONS.backoff.initialMs,
  );
  const maxMs = nonNegative(
    'backoff.maxMs',
    options.backoff?.maxMs,
    DEFAULT_SYNC_ENGINE_OPTIONS.backoff.maxMs,
  );
  const createSettleMs = nonNegative(
    'createSettleMs',
    options.createSettleMs,
    DEFAULT_SYNC_ENGINE_OPTIONS.createSettleMs,
  );
  const now: () => EpochMs = options.now ?? Date.now;
  const onEvent = options.onEvent;
  const cache = new Map<string, Promise<FortnoxClient>>();
  const waiters = createOutcomeWaiters();

  const core: EngineCore = {
    storage,
    source: options.source,
    resolver: options.resolver ?? createDuplicateResolver(),
    companyMatch: options.companyMatch ?? DEFAULT_SYNC_ENGINE_OPTIONS.companyMatch,
    onDelete: options.onDelete ?? DEFAULT_SYNC_ENGINE_OPTIONS.onDelete,
    waiters,
    saveTimeoutMs,
    concurrency,
    gate: createTenantGate({
      cap: tenantConcurrency,
      slots: concurrency,
      now,
      wake: (item) => storage.queue.schedule(item),
    }),
    pausing: new Set(),
    createSettleMs,
    settledCreates: createSettledCreates(),
    now,
    client(tenantId) {
      let client = cache.get(tenantId);
      if (client === undefined) {
        // A factory that throws or rejects is the host's bug (a bad URL, a missing token store), not
        // a storage failure: say so, with its error as the cause.
        client = Promise.resolve()
          .then(() => clients(tenantId))
          .catch((cause: unknown) => {
            throw isSyncEngineError(cause) ? cause : syncErrors.clientFactory(cause);
          });
        cache.set(tenantId, client);
        // A factory that failed is asked again next time.
        client.catch(() => cache.delete(tenantId));
      }
      return client;
    },
    forgetClient: (tenantId) => cache.delete(tenantId),
    emit(event: SyncEvent) {
      if (onEvent === undefined) return;
      try {
        onEvent(event);
      } catch {
        // A listener that throws must not break delivery.
      }
    },
    async enqueue(tenantId, sourceId, change) {
      const entry = await storage.outbox.enqueue(tenantId, sourceId, change, now());
      core.emit({ type: 'enqueued', tenantId, sourceId, operation: change.operation });
      await core.makeDue(tenantId, sourceId);
      return entry;
    },
    async makeDue(tenantId, sourceId) {
      // A transactional outbox (SQLite, Postgres) made it due in the enqueue: no second round trip.
      if (storage.outbox.enqueueMakesDue === true) return;
      await storage.queue.schedule({ tenantId, sourceId });
    },
    async settled(tenantId, sourceId, timeoutMs) {
      const first = await core.storedOutcome(tenantId, sourceId);
      if (first.outcome !== null) return first.outcome;
      const waiting = waiters.wait(tenantId, sourceId, first.version, timeoutMs);
      // The change may have settled between the read and the wait: look again.
      const second = await core.storedOutcome(tenantId, sourceId);
      if (second.outcome !== null)
        waiters.notify(tenantId, sourceId, first.version, second.outcome);
      return waiting;
    },
    async storedOutcome(tenantId, sourceId) {
      const entry = await storage.outbox.get(tenantId, sourceId);
      if (entry === undefined) {
        const link = await storage.links.get(tenantId, sourceId);
        const outcome: SaveOutcome =
          link === undefined
            ? { status: 'deleted', customerNumber: null }
            : { status: 'synced', customerNumber: link.customerNumber };
        return { version: 0, outcome };
      }
      const { version } = entry;
      if (entry.state === 'failed' && entry.lastError !== null) {
        return { version, outcome: { status: 'failed', error: entry.lastError } };
      }
      if (entry.state === 'needs-decision') {
        const decision = await storage.decisions.get(tenantId, sourceId);
        return {
          version,
          outcome: { status: 'needs-decision', candidates: decision?.candidates ?? [] },
        };
      }
      if (await core.isPaused(tenantId)) {
        return {
          version,
          outcome: { status: 'pending', reason: 'paused', lastError: entry.lastError },
        };
      }
      if (entry.attempts > 0) {
        return {
          version,
          outcome: { status: 'pending', reason: 'retrying', lastError: entry.lastError },
        };
      }
      return { version, outcome: null };
    },
    backoffMs(attempt) {
      const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
      // Full jitter: spreads the retries of many customers over the window.
      return Math.round(Math.random() * ceiling);
    },
    async isPaused(tenantId) {
      const tenant = await storage.tenants.get(tenantId);
      return tenant?.connection !== 'connected';
    },
  };
  return core;
}

const nonNegative = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new TypeError(
      `createSyncEngine: ${name} must be a non-negative number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
};
