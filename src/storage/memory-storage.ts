import { createMemoryDecisions } from './memory/memory-decisions.js';
import { createMemoryLinks } from './memory/memory-links.js';
import { createMemoryOutbox } from './memory/memory-outbox.js';
import { createMemoryWorkQueue } from './memory/memory-work-queue.js';
import type { CheckpointStore, EpochMs, SyncStorage, TenantRecord } from './sync-storage.js';

/** Options of {@link createMemoryStorage}. */
export type MemoryStorageOptions = {
  /** The clock the work queue compares `runAt` with. @defaultValue Date.now */
  readonly now?: () => EpochMs;
};

/**
 * The reference {@link SyncStorage}: everything in this process's memory, every method atomic (one
 * synchronous step), a timer-based work queue. For tests, demos and single-process hosts that accept
 * losing the outbox on restart; use `fortnox-sync/sqlite` or `fortnox-sync/postgres` to keep it.
 *
 * @example
 * ```ts
 * const engine = createSyncEngine({ storage: createMemoryStorage(), clients: (tenantId) => clientOf(tenantId) });
 * ```
 */
export const createMemoryStorage = (options: MemoryStorageOptions = {}): SyncStorage => {
  const now = options.now ?? Date.now;
  const tenants = new Map<string, TenantRecord>();
  const links = createMemoryLinks();
  const checkpoints = new Map<string, string>();
  const queue = createMemoryWorkQueue(now);
  const checkpointKey = (tenantId: string, key: string): string => `${tenantId}\u0000${key}`;

  const checkpointStore: CheckpointStore = {
    get(tenantId, key) {
      const json = checkpoints.get(checkpointKey(tenantId, key));
      return Promise.resolve(json === undefined ? undefined : JSON.parse(json));
    },
    put(tenantId, key, value) {
      const json = JSON.stringify(value);
      if (json === undefined) {
        return Promise.reject(new TypeError(`Checkpoint "${key}" is not JSON-serialisable.`));
      }
      checkpoints.set(checkpointKey(tenantId, key), json);
      return Promise.resolve();
    },
    delete(tenantId, key) {
      checkpoints.delete(checkpointKey(tenantId, key));
      return Promise.resolve();
    },
  };

  return {
    tenants: {
      get: (tenantId) => Promise.resolve(copyTenant(tenants.get(tenantId))),
      put(record) {
        tenants.set(record.tenantId, structuredClone(record));
        return Promise.resolve();
      },
      list: () =>
        Promise.resolve(
          [...tenants.values()]
            .map((record) => structuredClone(record))
            .sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0)),
        ),
    },
    links,
    outbox: createMemoryOutbox(links.putNow),
    decisions: createMemoryDecisions(),
    checkpoints: checkpointStore,
    queue,
    close: () => queue.close(),
  };
};

const copyTenant = (record: TenantRecord | undefined): TenantRecord | undefined =>
  record === undefined ? undefined : structuredClone(record);
