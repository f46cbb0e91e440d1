/**
 * `createAttemptedAt` in the durable adapters: a database an older release left (attempts known only
 * by `updated_at`) is migrated to the moment the create-settle wait used until then; a row is read by
 * its flag (an older release still running may write one without the moment); a moment that is no
 * whole number is refused as damaged.
 */
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/postgres-migrations.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/sqlite-migrations.js';
import { readOutboxEntry } from '../../src/storage/sqlite/sqlite-rows.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import {
  adminPool,
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../support/postgres.js';
import { WORKER_SCHEMA } from './support/postgres-schemas.js';
import { sqlitePath } from './support/sqlite-files.js';

const T = 't1';
const CUSTOMER = '{"id":"c1","type":"company","name":"Sample c1 AB"}';
const storages: SyncStorage[] = [];
afterEach(async () => {
  await Promise.allSettled(storages.splice(0).map((storage) => storage.close()));
});

/** Outbox rows as an older release wrote them: one attempted create (updated at 500), one not. */
const OLD_ROWS = (table: string, attempted: string, not: string) =>
  `INSERT INTO ${table} (tenant_id, source_id, operation, customer, version, state, attempts,
     not_before, create_attempted, last_error, skip_matching, enqueued_at, updated_at)
   VALUES ('${T}', 'c1', 'upsert', '${CUSTOMER}', 1, 'pending', 0, 100, ${attempted}, NULL, ${not},
     100, 500),
     ('${T}', 'c2', 'upsert', '${CUSTOMER.replace('c1', 'c2')}', 2, 'pending', 0, 100, ${not},
     NULL, ${not}, 100, 600)`;

/** The rows of OLD_ROWS after the migration: the attempted create has its row's updated_at. */
async function expectBackfilled(storage: SyncStorage): Promise<void> {
  expect(await storage.outbox.get(T, 'c1')).toMatchObject({
    createAttempted: true,
    createAttemptedAt: 500,
    updatedAt: 500,
  });
  expect(await storage.outbox.get(T, 'c2')).toMatchObject({
    createAttempted: false,
    createAttemptedAt: null,
  });
}

describe('SQLite: outbox.create_attempted_at', () => {
  let counter = 0;
  const fresh = (name: string) => {
    counter += 1;
    return sqlitePath(`attempted-at-${name}-${process.pid}-${counter}-${Date.now()}`);
  };
  const open = (path: string) => {
    const storage = createSqliteStorage({ path });
    storages.push(storage);
    return storage;
  };

  it('a database of an older release: an attempted create gets its row’s updated_at, others none', async () => {
    const path = fresh('old');
    const old = new DatabaseSync(path);
    // The schema before create_attempted_at, with the rows such a release wrote.
    const before = SQLITE_MIGRATIONS.findIndex((sql) => sql.includes('create_attempted_at'));
    expect(before).toBeGreaterThan(0);
    for (const sql of SQLITE_MIGRATIONS.slice(0, before)) old.exec(sql);
    old.exec(`PRAGMA user_version = ${before}`);
    old.exec(OLD_ROWS('outbox', '1', '0'));
    old.close();
    const storage = open(path);
    await expectBackfilled(storage);
  });

  it('a row whose moment disagrees with its flag (an older release still running wrote it) is read by the flag', async () => {
    const path = fresh('mixed');
    const storage = open(path);
    for (const sourceId of ['a', 'b']) {
      await storage.outbox.enqueue(
        T,
        sourceId,
        { operation: 'upsert', customer: { id: sourceId } as never },
        1,
      );
    }
    const database = new DatabaseSync(path, { timeout: 5_000 });
    database.exec(`UPDATE outbox SET create_attempted = 1, updated_at = 7 WHERE source_id = 'a'`);
    database.exec(`UPDATE outbox SET create_attempted_at = 5 WHERE source_id = 'b'`);
    database.close();
    // Attempted without a moment: none (the engine waits from updatedAt); no attempt: no moment.
    expect(await storage.outbox.get(T, 'a')).toMatchObject({
      createAttempted: true,
      createAttemptedAt: null,
      updatedAt: 7,
    });
    expect(await storage.outbox.get(T, 'b')).toMatchObject({
      createAttempted: false,
      createAttemptedAt: null,
    });
  });
});

describe('readOutboxEntry: create_attempted_at', () => {
  const row = (createAttemptedAt: unknown) => ({
    tenant_id: T,
    source_id: 'c1',
    operation: 'upsert',
    customer: CUSTOMER,
    version: 1,
    state: 'pending',
    attempts: 0,
    not_before: 1,
    create_attempted: 1,
    create_attempted_at: createAttemptedAt,
    last_error: null,
    skip_matching: 0,
    enqueued_at: 1,
    updated_at: 2,
  });

  it('reads a whole number of milliseconds or null; refuses anything else, or its absence (corrupt-row)', () => {
    expect(readOutboxEntry(row(5)).createAttemptedAt).toBe(5);
    expect(readOutboxEntry(row(null)).createAttemptedAt).toBeNull();
    for (const bad of [1.5, '5', undefined]) {
      const refused = (() => {
        try {
          readOutboxEntry(row(bad));
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(refused, String(bad)).toMatchObject({ kind: 'storage', code: 'corrupt-row' });
      expect((refused as Error).message).toContain('create_attempted_at');
    }
  });
});

if (postgresAvailable()) {
  const url = POSTGRES_URL as string;
  const schemas = new Set<string>();
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });

  describe('Postgres: outbox.create_attempted_at', () => {
    it('its migration on a schema of an older release: an attempted create gets its row’s updated_at, others none', async () => {
      const schema = schemaFor(`attempted_at_${process.pid}_${Date.now().toString(36)}`);
      schemas.add(schema);
      const options = { connectionString: url, schema, workerSchema: WORKER_SCHEMA };
      await (await createPostgresStorage(options)).close();
      // Back to the table as an older release left it, with its rows, then the migration itself
      // (found by what it adds, so its place in the list may change).
      const s = `"${schema}"`;
      const migration = POSTGRES_MIGRATIONS.find((sql) =>
        sql(s).includes('ADD COLUMN IF NOT EXISTS create_attempted_at'),
      );
      expect(migration).toBeDefined();
      const admin = adminPool();
      await admin.query(`ALTER TABLE ${s}.outbox DROP COLUMN create_attempted_at`);
      await admin.query(OLD_ROWS(`${s}.outbox`, 'true', 'false'));
      await admin.query(migration?.(s) as string);
      // Applied twice (a reordered list, a retried release), it changes nothing.
      await admin.query(migration?.(s) as string);

      const storage = await createPostgresStorage(options);
      storages.push(storage);
      await expectBackfilled(storage);
    });
  });
}
