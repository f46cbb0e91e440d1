import type pg from 'pg';
import { StorageError } from '../storage-error.js';
import type { SyncStorage } from '../sync-storage.js';
import {
  checkConnection,
  checkPostgresRuntime,
  checkSchemaName,
  openPostgresDatabase,
} from './postgres-database.js';
import { createEnqueueBatcher } from './postgres-enqueue.js';
import { createPostgresOutboxStore } from './postgres-outbox.js';
import {
  createPostgresCheckpointStore,
  createPostgresDecisionStore,
  createPostgresLinkStore,
  createPostgresTenantStore,
} from './postgres-stores.js';
import { createPostgresWorkQueue } from './postgres-work-queue.js';

/** Where the storage gets its connections: the host's `pg.Pool`, or a connection string. */
export type PostgresConnection =
  | {
      /** The host's pool (not ended by `close()`). */
      readonly pool: pg.Pool;
      readonly connectionString?: never;
    }
  | {
      /**
       * The adapter makes (and `close()` ends) a pool of its own. Not empty: for `pg`'s defaults (the
       * `PG*` environment variables), pass your own `new pg.Pool()` as `pool`.
       */
      readonly connectionString: string;
      readonly pool?: never;
    };

/** Options of {@link createPostgresStorage}. */
export type PostgresStorageOptions = PostgresConnection & {
  /**
   * The schema of the library's tables (created when missing).
   * @defaultValue 'fortnox_sync'
   */
  readonly schema?: string;
  /**
   * The schema graphile-worker keeps the work queue in. It may be shared: by several storages (each
   * with its own `schema`), or with the host's own graphile-worker jobs. Each storage's jobs have their
   * own task identifier, `fortnox_sync_work:<schema>`, and its runners fetch only those.
   * @defaultValue `${schema}_worker`
   */
  readonly workerSchema?: string;
  /**
   * How long an item a process is handling stays reserved for it. The process renews it while it
   * lives; when the process dies (killed, machine lost), another takes its items over after this long.
   * @defaultValue 30000
   */
  readonly leaseMs?: number;
  /**
   * How often a running queue looks for work that became due (a back-off or a scheduled time). New
   * work is picked up at once, by LISTEN/NOTIFY.
   * @defaultValue 1000
   */
  readonly pollIntervalMs?: number;
  /**
   * Whether statements are prepared on the server (named statements: parsed and planned once per
   * connection), the adapter's and graphile-worker's alike. Turn it off behind a pooler that cannot
   * keep them, such as PgBouncer older than 1.21 in transaction mode.
   * @defaultValue true
   */
  readonly preparedStatements?: boolean;
};

/** The defaults of {@link PostgresStorageOptions}. */
export const DEFAULT_POSTGRES_STORAGE_OPTIONS = {
  schema: 'fortnox_sync',
  leaseMs: 30_000,
  pollIntervalMs: 1_000,
  preparedStatements: true,
} as const;

/**
 * Durable storage in Postgres for many workers on many machines. Links, outbox, decisions,
 * checkpoints and tenants are ordinary tables created by versioned migrations (on first use, under an
 * advisory lock); every multi-step change runs in a transaction; rows are validated on read (a damaged
 * one is a `StorageError` `corrupt-row`). The work queue is graphile-worker: one job per customer
 * (`job_key`), added in the same transaction as the outbox entry, picked up by LISTEN/NOTIFY, with a
 * per-item lease so one handler runs per customer across processes, and a heartbeat so a killed
 * process's work is taken over after `leaseMs`.
 *
 * Requires Node.js ≥ 22.18 (graphile-worker 0.18; an older Node is a `StorageError`
 * `unsupported-runtime`) and the peer dependencies `pg` (≥ 8.11) and `graphile-worker` (≥ 0.18), with
 * TypeScript also `@types/pg`; PostgreSQL ≥ 12.
 *
 * Resolves once the schema is migrated; a database that cannot be reached or migrated rejects with
 * a `StorageError` (`database`, or `unsupported-schema` when a newer release migrated it).
 *
 * @example
 * import { createPostgresStorage } from 'fortnox-sync/postgres';
 * const storage = await createPostgresStorage({ connectionString: process.env.DATABASE_URL });
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<SyncStorage> {
  checkPostgresRuntime();
  checkConnection(options, 'createPostgresStorage');
  const schema = checkSchemaName(
    options.schema ?? DEFAULT_POSTGRES_STORAGE_OPTIONS.schema,
    'schema',
  );
  const workerSchema = checkSchemaName(options.workerSchema ?? `${schema}_worker`, 'workerSchema');
  const timing = {
    schema,
    workerSchema,
    leaseMs: positiveMs(options.leaseMs ?? DEFAULT_POSTGRES_STORAGE_OPTIONS.leaseMs, 'leaseMs'),
    pollIntervalMs: positiveMs(
      options.pollIntervalMs ?? DEFAULT_POSTGRES_STORAGE_OPTIONS.pollIntervalMs,
      'pollIntervalMs',
    ),
  };
  const database = await openPostgresDatabase(
    { ...options, schema, workerSchema },
    'createPostgresStorage',
  );
  const queue = createPostgresWorkQueue(database, timing);
  const batcher = createEnqueueBatcher(database, timing);
  let closing: Promise<void> | undefined;
  return {
    tenants: createPostgresTenantStore(database),
    links: createPostgresLinkStore(database),
    outbox: createPostgresOutboxStore(database, batcher),
    decisions: createPostgresDecisionStore(database),
    checkpoints: createPostgresCheckpointStore(database),
    queue: { schedule: queue.schedule, scheduleMissing: queue.scheduleMissing, start: queue.start },
    close() {
      closing ??= (async () => {
        // Saves already given are written first; later ones are refused (closed).
        await batcher.close();
        await queue.stopAll();
        await database.close();
      })();
      return closing;
    },
  };
}

function positiveMs(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StorageError(
      'invalid-argument',
      `createPostgresStorage: ${name} must be a positive number of milliseconds`,
    );
  }
  return value;
}
