import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { StorageError } from '../storage-error.js';
import { migrate } from './sqlite-migrations.js';

/** The lowest Node versions whose `node:sqlite` needs no flag. */
const SQLITE_RUNTIME_HINT =
  'fortnox-sync/sqlite needs node:sqlite: Node >= 22.13 (or 23.4+, 24+); on Node 22.12 start Node with --experimental-sqlite';

/** Named parameters of a statement (`$name` in the SQL). */
export type Parameters = Record<string, SQLInputValue>;

/** One open SQLite connection with a statement cache and a transaction helper. */
export type SqliteDatabase = {
  /** Runs a cached statement. */
  statement(sql: string): StatementSync;
  /** Runs `work` inside `BEGIN IMMEDIATE … COMMIT` (rolled back when it throws). */
  transaction<T>(work: () => T): T;
  /** Throws `closed` once the database is closed. */
  assertOpen(): void;
  close(): void;
  readonly raw: DatabaseSync;
};

/** Options for {@link openSqliteDatabase}. */
export type OpenSqliteDatabaseOptions = {
  readonly path: string;
  readonly busyTimeoutMs: number;
};

function loadSqlite(): typeof import('node:sqlite') {
  // getBuiltinModule keeps node:sqlite out of the bundle and gives `undefined` (not a crash) when the
  // running Node has no unflagged node:sqlite.
  let sqlite: typeof import('node:sqlite') | undefined;
  try {
    sqlite = process.getBuiltinModule('node:sqlite');
  } catch (cause) {
    throw new StorageError('unsupported-runtime', SQLITE_RUNTIME_HINT, { cause });
  }
  if (sqlite === undefined) throw new StorageError('unsupported-runtime', SQLITE_RUNTIME_HINT);
  return sqlite;
}

/** Opens (and creates, and migrates) the database at `path` with WAL, busy timeout and secure delete. */
export function openSqliteDatabase(options: OpenSqliteDatabaseOptions): SqliteDatabase {
  const { DatabaseSync } = loadSqlite();
  let raw: DatabaseSync;
  try {
    raw = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs });
  } catch (cause) {
    throw new StorageError('database', 'Could not open the SQLite database', { cause });
  }
  let open = true;
  const statements = new Map<string, StatementSync>();
  const database: SqliteDatabase = {
    raw,
    statement(sql) {
      database.assertOpen();
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = raw.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    transaction(work) {
      database.assertOpen();
      raw.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        raw.exec('COMMIT');
        return result;
      } catch (error) {
        if (raw.isTransaction) raw.exec('ROLLBACK');
        throw error;
      }
    },
    assertOpen() {
      if (!open) throw new StorageError('closed', 'The SQLite storage is closed');
    },
    close() {
      if (!open) return;
      open = false;
      statements.clear();
      raw.close();
    },
  };
  try {
    raw.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
    raw.exec('PRAGMA journal_mode = WAL');
    raw.exec('PRAGMA synchronous = NORMAL');
    // Delivered payloads are personal data: zero their bytes on delete instead of leaving them in free pages.
    raw.exec('PRAGMA secure_delete = ON');
    migrate(database);
  } catch (error) {
    database.close();
    if (error instanceof StorageError) throw error;
    throw new StorageError('database', 'Could not prepare the SQLite database', { cause: error });
  }
  return database;
}
