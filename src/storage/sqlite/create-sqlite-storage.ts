import { isStorageError, StorageError } from '../storage-error.js';
import type { SyncStorage } from '../sync-storage.js';
import { openSqliteDatabase } from './sqlite-database.js';
import { createSqliteOutboxStore } from './sqlite-outbox.js';
import {
  createSqliteCheckpointStore,
  createSqliteDecisionStore,
  createSqliteLinkStore,
  createSqliteTenantStore,
} from './sqlite-stores.js';
import { createSqliteWorkQueue } from './sqlite-work-queue.js';

/** Options of {@link createSqliteStorage}. */
export type SqliteStorageOptions = {
  /** The database file (created when missing). `':memory:'` gives a private, non-durable database. */
  readonly path: string;
  /**
   * How long a statement waits for another connection's write lock before failing.
   * @defaultValue 5000
   */
  readonly busyTimeoutMs?: number;
  /**
   * How long an item a process is handling stays reserved for it. The process renews the lease while
   * the handler runs; when the process dies, another takes the item over after this long.
   * @defaultValue 30000
   */
  readonly leaseMs?: number;
  /**
   * How often a running queue looks for work made due by another process (work scheduled in this
   * process is picked up at once).
   * @defaultValue 250
   */
  readonly pollIntervalMs?: number;
  /**
   * First back-off after a work handler threw; it doubles per attempt, with full jitter.
   * @defaultValue 1000
   */
  readonly backoffMs?: number;
  /**
   * Longest back-off after a work handler threw.
   * @defaultValue 60000
   */
  readonly maxBackoffMs?: number;
};

/** The defaults of {@link SqliteStorageOptions}. */
export const DEFAULT_SQLITE_STORAGE_OPTIONS = {
  busyTimeoutMs: 5_000,
  leaseMs: 30_000,
  pollIntervalMs: 250,
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
} as const;

/**
 * Durable storage in one SQLite file, on Node's built-in `node:sqlite` (no native addon): WAL,
 * `busy_timeout`, `BEGIN IMMEDIATE` around every multi-step change, versioned migrations
 * (`PRAGMA user_version`), rows validated on read (a damaged row is a `StorageError` `corrupt-row`),
 * and `secure_delete` so a delivered payload's bytes do not linger in the file.
 *
 * Several processes may open the same file: the work queue claims due items with a lease in one
 * atomic `UPDATE`, so an item is handled by one process at a time, and a crashed process's items are
 * taken over when its lease runs out. They must run on one machine: WAL shares memory between the
 * processes, which a network file system cannot (use `fortnox-sync/postgres` beyond one machine).
 *
 * Requires Node.js ≥ 22.13 (or 23.4+, 24+), where `node:sqlite` needs no flag; on 22.12 start Node
 * with `--experimental-sqlite`. Otherwise it throws a `StorageError` `unsupported-runtime`.
 *
 * @example
 * import { createSqliteStorage } from 'fortnox-sync/sqlite';
 * const storage = createSqliteStorage({ path: './fortnox-sync.db' });
 */
export function createSqliteStorage(options: SqliteStorageOptions): SyncStorage {
  const resolved = checkedOptions(options);
  const database = openSqliteDatabase({
    path: resolved.path,
    busyTimeoutMs: resolved.busyTimeoutMs,
  });
  const queue = createSqliteWorkQueue(database, resolved);
  let closing: Promise<void> | undefined;
  return {
    tenants: guardStore('tenants', createSqliteTenantStore(database)),
    links: guardStore('links', createSqliteLinkStore(database)),
    outbox: guardStore('outbox', createSqliteOutboxStore(database, { onDue: () => queue.wake() })),
    decisions: guardStore('decisions', createSqliteDecisionStore(database)),
    checkpoints: guardStore('checkpoints', createSqliteCheckpointStore(database)),
    queue: {
      ...guardStore('work_items', {
        schedule: queue.schedule,
        scheduleMissing: queue.scheduleMissing,
      }),
      start: queue.start,
    },
    close() {
      closing ??= (async () => {
        await queue.stopAll();
        database.close();
      })();
      return closing;
    },
  };
}

/** The store with every method's failure turned into a {@link StorageError} (busy, disk full, …). */
function guardStore<T extends object>(store: string, methods: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(methods)) {
    if (typeof method !== 'function') {
      guarded[name] = method; // a flag such as `enqueueMakesDue`
      continue;
    }
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        if (isStorageError(error)) throw error;
        throw new StorageError('database', `SQLite ${store}.${name} failed`, {
          store,
          cause: error,
        });
      }
    };
  }
  return guarded as T;
}

/**
 * The options with their defaults, checked: a `path` that is not a non-empty string, or a time that is
 * not a positive number of milliseconds (0 allowed for `busyTimeoutMs`), is a `StorageError`
 * `invalid-argument` instead of a queue that spins or never takes a crashed process's work over.
 */
function checkedOptions(options: SqliteStorageOptions): Required<SqliteStorageOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new StorageError(
      'invalid-argument',
      "createSqliteStorage needs options, e.g. { path: './fortnox-sync.db' }",
    );
  }
  const resolved = { ...DEFAULT_SQLITE_STORAGE_OPTIONS, ...definedOptions(options) };
  if (typeof resolved.path !== 'string' || resolved.path === '') {
    throw new StorageError(
      'invalid-argument',
      "createSqliteStorage: path must be the database file, e.g. './fortnox-sync.db' (or ':memory:')",
    );
  }
  for (const name of [
    'busyTimeoutMs',
    'leaseMs',
    'pollIntervalMs',
    'backoffMs',
    'maxBackoffMs',
  ] as const) {
    const value: unknown = resolved[name];
    const tooSmall = (ms: number) => (name === 'busyTimeoutMs' ? ms < 0 : ms <= 0);
    if (typeof value !== 'number' || !Number.isFinite(value) || tooSmall(value)) {
      throw new StorageError(
        'invalid-argument',
        `createSqliteStorage: ${name} must be a positive number of milliseconds`,
      );
    }
  }
  return resolved;
}

function definedOptions(options: SqliteStorageOptions): SqliteStorageOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as SqliteStorageOptions;
}
