import { createHash } from 'node:crypto';
import pg, { type Pool, type QueryResultRow } from 'pg';
import { StorageError } from '../storage-error.js';
import { migratePostgres } from './postgres-migrate.js';

/**
 * Something that runs a query: a `pg` pool, or one `pg` client inside a transaction (what
 * `enqueueCustomerSaved` takes: the host's client, in the host's open transaction).
 */
export type Queryable = {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
};

/** A `pg` pool or client as far as the adapter uses it: a query given as a config object. */
type PgQueryTarget = {
  query<R extends QueryResultRow = QueryResultRow>(config: {
    name?: string;
    text: string;
    values?: unknown[];
  }): Promise<{ rows: R[]; rowCount: number | null }>;
};

// Statement names by text: one hash per distinct statement text, not per call.
const statementNames = new Map<string, string>();

/**
 * The name of `text`'s server-side prepared statement: its hash, so a connection prepares each text
 * once, under a name no other text has (`pg` refuses one name for two texts on a connection). The
 * adapter's texts are fixed once the schema names are known, so there are few of them.
 */
export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `fortnox_sync_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * `target` as a {@link Queryable} whose statements are prepared on the server (`prepared`): a
 * connection parses and plans a text once, then only binds and runs it, which halves the database's
 * CPU for the adapter's short statements. Off, for a pooler that cannot keep prepared statements (a
 * PgBouncer older than 1.21 in transaction mode), every statement is sent unnamed (parsed each time).
 */
export function preparedQueryable(target: PgQueryTarget, prepared: boolean): Queryable {
  return {
    query(text, values) {
      const args = values === undefined ? [] : [...values];
      return target.query(
        prepared ? { name: statementName(text), text, values: args } : { text, values: args },
      );
    },
  };
}

/** The adapter's handle on Postgres: the pool, the schema names, a transaction helper. */
export type PostgresDatabase = {
  readonly pool: Pool;
  /**
   * The pool with the adapter's statement preparation (see {@link preparedQueryable}), without the
   * migration wait of {@link PostgresDatabase.query}: for callers that already awaited `ready()`.
   */
  readonly direct: Queryable;
  /** Whether statements are prepared on the server (`preparedStatements`, default on). */
  readonly prepared: boolean;
  /** The quoted schema of the library's own tables (`"fortnox_sync"`). */
  readonly schema: string;
  /** The unquoted schema name (for advisory lock keys and messages). */
  readonly schemaName: string;
  /** Runs one statement on the pool (after the migrations). */
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<R[]>;
  /** Runs `work` inside `BEGIN … COMMIT` on one client (rolled back when it throws). */
  transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T>;
  /** Resolves once the schema is migrated (memoised; a failure is retried by the next call). */
  ready(): Promise<void>;
  assertOpen(): void;
  /**
   * Runs `work` (which uses the pool itself, e.g. `pool.connect()`) as work under way: `close` waits
   * for it. Refused once the pool is being ended.
   */
  tracked<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Marks the database closed (new work is refused), waits for the queries and transactions under way,
   * and ends the pool if the adapter created it.
   */
  close(): Promise<void>;
};

/** Options of {@link createPostgresDatabase}. */
export type PostgresDatabaseOptions = {
  readonly pool: Pool;
  /** Whether `close()` ends the pool (the adapter made it from a connection string). */
  readonly ownsPool: boolean;
  readonly schema: string;
  /** graphile-worker's schema, migrated by graphile-worker. */
  readonly workerSchema: string;
  /**
   * Whether the adapter's statements are prepared on the server (named statements).
   * @defaultValue true
   */
  readonly preparedStatements?: boolean;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The lowest Node.js graphile-worker 0.18 supports (its `engines`). */
const MIN_NODE: readonly [number, number] = [22, 18];

/**
 * Refuses a Node.js older than graphile-worker needs with a `StorageError` `unsupported-runtime` that
 * says which version it needs, instead of a failure deep inside the job engine.
 */
export function checkPostgresRuntime(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [needMajor, needMinor] = MIN_NODE;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return;
  throw new StorageError(
    'unsupported-runtime',
    `fortnox-sync/postgres needs Node.js >= ${needMajor}.${needMinor} (graphile-worker 0.18); this is Node.js ${version}`,
  );
}

/** Checks a schema name (lower-case identifier, so it needs no quoting rules beyond double quotes). */
export function checkSchemaName(name: string, option: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new StorageError(
      'invalid-argument',
      `createPostgresStorage: ${option} must be a lower-case SQL identifier (letters, digits, _; at most 63), e.g. 'fortnox_sync'`,
    );
  }
  return name;
}

/** Checks a boolean option (a JavaScript caller may pass anything): `StorageError` `invalid-argument`. */
export function checkBoolean(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') {
    throw new StorageError('invalid-argument', `${option} must be true or false`);
  }
  return value;
}

/** A factory's connection options, as a JavaScript caller may pass them. */
type ConnectionOptions = { readonly pool?: unknown; readonly connectionString?: unknown };

/**
 * Checks that a factory got exactly one of `{ pool }` (a `pg.Pool`) and `{ connectionString }` (a
 * non-empty string); anything else is a `StorageError` `invalid-argument`, rather than a pool on
 * `pg`'s defaults (the `PG*` environment, localhost). The message never repeats a connection string:
 * it may hold a password.
 */
export function checkConnection(options: unknown, factory: string): void {
  const invalid = (what: string) =>
    new StorageError(
      'invalid-argument',
      `${factory}: ${what}; give { pool } (a pg.Pool) or { connectionString: 'postgres://…' }`,
    );
  if (typeof options !== 'object' || options === null) throw invalid('the options are missing');
  const { pool, connectionString } = options as ConnectionOptions;
  if (pool !== undefined && connectionString !== undefined) {
    throw invalid('pool and connectionString were both given');
  }
  if (pool !== undefined) {
    const candidate = pool as { query?: unknown; connect?: unknown } | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.query !== 'function' ||
      typeof candidate.connect !== 'function'
    ) {
      throw invalid('pool is not a pg.Pool');
    }
    return;
  }
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw invalid('neither pool nor a non-empty connectionString was given');
  }
}

/** The pool of checked connection options, and whether the adapter made it (and ends it on close). */
export function connectionPool(
  options: ConnectionOptions,
  factory: string,
): { readonly pool: Pool; readonly ownsPool: boolean } {
  checkConnection(options, factory);
  return options.pool !== undefined
    ? { pool: options.pool as Pool, ownsPool: false }
    : { pool: ownPool(options.connectionString as string), ownsPool: true };
}

/**
 * A pool of the adapter's own for a connection string. An idle client's error (the server restarted)
 * must not crash the host: the next query reconnects.
 */
export function ownPool(connectionString: string): Pool {
  const pool = new pg.Pool({ connectionString });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** The options every factory of the adapter shares, as a JavaScript caller may pass them. */
type DatabaseFactoryOptions = ConnectionOptions & {
  readonly schema?: string;
  readonly workerSchema?: string;
  readonly preparedStatements?: boolean;
};

/**
 * A factory's database: checks the schema names and `preparedStatements` (before any connection), makes
 * the pool or takes the host's, and migrates. A database that cannot be reached or migrated rejects, and
 * a pool made here is ended first, so nothing keeps the process alive.
 */
export async function openPostgresDatabase(
  options: DatabaseFactoryOptions,
  factory: string,
): Promise<PostgresDatabase> {
  const schema = checkSchemaName(options.schema ?? 'fortnox_sync', 'schema');
  const workerSchema = checkSchemaName(options.workerSchema ?? `${schema}_worker`, 'workerSchema');
  const preparedStatements = checkBoolean(
    options.preparedStatements ?? true,
    `${factory}: preparedStatements`,
  );
  const { pool, ownsPool } = connectionPool(options, factory);
  const database = createPostgresDatabase({
    pool,
    ownsPool,
    schema,
    workerSchema,
    preparedStatements,
  });
  try {
    await database.ready();
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

/** A database failure as a `StorageError` (a `StorageError` passes through). */
export function databaseError(action: string, cause: unknown, store?: string): StorageError {
  if (cause instanceof StorageError) return cause;
  return new StorageError('database', `Postgres failed to ${action}`, {
    cause,
    ...(store === undefined ? {} : { store }),
  });
}

/** Wraps the pool with the schema, migrations and a transaction helper. */
export function createPostgresDatabase(options: PostgresDatabaseOptions): PostgresDatabase {
  const { pool } = options;
  const schemaName = options.schema;
  const schema = `"${schemaName}"`;
  let open = true;
  /** Set as the pool is ended: a query handed to an ended pool would wait for ever. */
  let ending = false;
  let migrating: Promise<void> | undefined;
  const prepared = options.preparedStatements ?? true;
  // Work on the pool not yet settled: `close` waits for it before it ends the pool, since `pg`'s pool
  // never answers a query still waiting for a connection when it is ended.
  let inFlight = 0;
  let settled: (() => void)[] = [];
  const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
    // Refused from the moment close begins, so that what close waits for can only finish.
    if (!open || ending) throw new StorageError('closed', 'The Postgres storage is closed');
    inFlight += 1;
    try {
      return await work();
    } finally {
      inFlight -= 1;
      if (inFlight === 0) {
        const waiting = settled;
        settled = [];
        for (const resolve of waiting) resolve();
      }
    }
  };
  const pooled = preparedQueryable(pool, prepared);
  const direct: Queryable = { query: (text, values) => tracked(() => pooled.query(text, values)) };

  const assertOpen = (): void => {
    if (!open) throw new StorageError('closed', 'The Postgres storage is closed');
  };

  const ready = (): Promise<void> => {
    assertOpen();
    migrating ??= migratePostgres(pool, schemaName, options.workerSchema).catch(
      (error: unknown) => {
        migrating = undefined;
        throw databaseError('migrate the fortnox-sync schema', error);
      },
    );
    return migrating;
  };

  return {
    pool,
    direct,
    prepared,
    schema,
    schemaName,
    ready,
    assertOpen,
    async query(text, values) {
      await ready();
      assertOpen();
      const result = await direct.query(text, values);
      return result.rows as never[];
    },
    async transaction(work) {
      await ready();
      assertOpen();
      return tracked(async () => {
        const client = await pool.connect();
        let broken: unknown;
        try {
          await client.query('BEGIN');
          const result = await work(preparedQueryable(client, prepared));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError;
          }
          throw error;
        } finally {
          // A client whose rollback failed is in an unknown state: destroy it rather than reuse it.
          client.release(broken instanceof Error ? broken : undefined);
        }
      });
    },
    tracked,
    async close() {
      if (!open) return;
      open = false;
      await migrating?.catch(() => undefined);
      // What was already under way finishes (new work is refused: `assertOpen`), then the pool ends.
      while (inFlight > 0) await new Promise<void>((resolve) => settled.push(resolve));
      ending = true;
      if (options.ownsPool) await pool.end();
    },
  };
}
