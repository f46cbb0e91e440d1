import { StorageError } from '../storage-error.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * The schema, one entry per version (`PRAGMA user_version` holds the applied count). Append, never
 * edit: a database migrated by an older release runs only the entries after its version.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE tenants (
     tenant_id TEXT PRIMARY KEY,
     connection TEXT NOT NULL,
     reason TEXT,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE links (
     tenant_id TEXT NOT NULL,
     source_id TEXT NOT NULL,
     customer_number TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     origin TEXT NOT NULL,
     synced_at INTEGER NOT NULL,
     PRIMARY KEY (tenant_id, source_id)
   ) STRICT;
   CREATE INDEX links_by_customer_number ON links (tenant_id, customer_number);
   CREATE TABLE outbox (
     tenant_id TEXT NOT NULL,
     source_id TEXT NOT NULL,
     operation TEXT NOT NULL,
     customer TEXT,
     version INTEGER NOT NULL,
     state TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     not_before INTEGER NOT NULL,
     create_attempted INTEGER NOT NULL,
     last_error TEXT,
     skip_matching INTEGER NOT NULL,
     enqueued_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (tenant_id, source_id)
   ) STRICT;
   CREATE INDEX outbox_by_age ON outbox (tenant_id, enqueued_at);
   CREATE TABLE outbox_versions (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL) STRICT;
   INSERT INTO outbox_versions (id, last) VALUES (1, 0);
   CREATE TABLE decisions (
     tenant_id TEXT NOT NULL,
     source_id TEXT NOT NULL,
     candidates TEXT NOT NULL,
     asked_at INTEGER NOT NULL,
     resolution TEXT,
     resolved_at INTEGER,
     resolved_by TEXT,
     PRIMARY KEY (tenant_id, source_id)
   ) STRICT;
   CREATE TABLE checkpoints (
     tenant_id TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (tenant_id, key)
   ) STRICT;
   CREATE TABLE work_items (
     tenant_id TEXT NOT NULL,
     source_id TEXT NOT NULL,
     run_at INTEGER NOT NULL,
     rerun_at INTEGER,
     attempts INTEGER NOT NULL DEFAULT 0,
     lease_token TEXT,
     lease_until INTEGER,
     PRIMARY KEY (tenant_id, source_id)
   ) STRICT;
   CREATE INDEX work_items_by_run_at ON work_items (run_at);`,
  // 2: Fortnox tokens, sealed with AES-256-GCM (key_id names the key), and the per-tenant lease that
  // serialises refreshes across processes (createSqliteTokenStore).
  `CREATE TABLE tokens (
     tenant_id TEXT PRIMARY KEY,
     key_id TEXT NOT NULL,
     sealed TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE token_locks (
     tenant_id TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     lease_until INTEGER NOT NULL
   ) STRICT;`,
  // 3: when `create_attempted` was last written (OutboxEntry.createAttemptedAt): the create-settle
  // wait is measured from it, not from `updated_at`, which every save moves. An attempt stored before
  // takes its row's `updated_at`, the moment the wait used until now (never earlier than the attempt).
  // A process of an older release still running writes attempts without it: stop those first.
  `ALTER TABLE outbox ADD COLUMN create_attempted_at INTEGER;
   UPDATE outbox SET create_attempted_at = updated_at WHERE create_attempted = 1;`,
];

function userVersion(database: SqliteDatabase): number {
  const row = database.raw.prepare('PRAGMA user_version').get() as { user_version?: unknown };
  return typeof row?.user_version === 'number' ? row.user_version : 0;
}

/** Brings the schema up to date; safe when several processes open the file at once. */
export function migrate(database: SqliteDatabase): void {
  const latest = SQLITE_MIGRATIONS.length;
  if (userVersion(database) === latest) return;
  database.transaction(() => {
    // Read again under the write lock: another process may have migrated meanwhile.
    const current = userVersion(database);
    if (current > latest) {
      throw new StorageError(
        'unsupported-schema',
        `The SQLite database has schema version ${current}; this version of fortnox-sync knows up to ${latest}`,
      );
    }
    for (let version = current; version < latest; version++) {
      database.raw.exec(SQLITE_MIGRATIONS[version] as string);
    }
    database.raw.exec(`PRAGMA user_version = ${latest}`);
  });
}
