import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSqliteStorage, StorageError } from '../../src/storage/sqlite/index.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/sqlite-migrations.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import { sampleCustomer } from '../../src/testing/storage-suite/suite-context.js';
import { sqlitePath } from './support/sqlite-files.js';

const storages: SyncStorage[] = [];
let counter = 0;

function open(options: { busyTimeoutMs?: number } = {}): { storage: SyncStorage; path: string } {
  counter += 1;
  const path = sqlitePath(`unit-${process.pid}-${counter}-${Date.now()}`);
  const storage = createSqliteStorage({ path, ...options });
  storages.push(storage);
  return { storage, path };
}

function pragma(path: string, name: string): unknown {
  const database = new DatabaseSync(path);
  try {
    return Object.values(database.prepare(`PRAGMA ${name}`).get() ?? {})[0];
  } finally {
    database.close();
  }
}

/** Holds the write lock of `path` from another thread for `ms`; resolves once it holds it. */
async function holdWriteLock(path: string, ms: number): Promise<Worker> {
  const worker = new Worker(
    `const { DatabaseSync } = require('node:sqlite');
     const { workerData, parentPort } = require('node:worker_threads');
     const db = new DatabaseSync(workerData.path);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { path, ms } },
  );
  await new Promise((resolve) => worker.once('message', resolve));
  return worker;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.allSettled(storages.splice(0).map((storage) => storage.close()));
});

describe('createSqliteStorage', () => {
  it('creates the file in WAL mode with the whole schema (user_version)', async () => {
    const { storage, path } = open();
    await storage.links.count('t');
    expect(pragma(path, 'journal_mode')).toBe('wal');
    expect(pragma(path, 'user_version')).toBe(SQLITE_MIGRATIONS.length);
  });

  it('refuses a database migrated by a newer version', () => {
    const { path } = open();
    const database = new DatabaseSync(path);
    database.exec(`PRAGMA user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    database.close();
    expect(() => createSqliteStorage({ path })).toThrow(
      expect.objectContaining({ kind: 'storage', code: 'unsupported-schema' }),
    );
  });

  it('a migration that fails part-way leaves nothing of it behind (one transaction), and the next open completes it', async () => {
    const path = sqlitePath(`half-migrated-${process.pid}-${Date.now()}`);
    const old = new DatabaseSync(path);
    old.exec(SQLITE_MIGRATIONS[0] as string);
    old.exec("INSERT INTO checkpoints (tenant_id, key, value) VALUES ('t1', 'k', '7')");
    old.exec('PRAGMA user_version = 1');
    // Migration 2 creates `tokens`, then `token_locks`: a table in the way fails its second statement.
    old.exec('CREATE TABLE token_locks (in_the_way INTEGER)');
    old.close();
    expect(() => createSqliteStorage({ path })).toThrow(
      expect.objectContaining({ kind: 'storage', code: 'database' }),
    );
    const tables = (): unknown[] => {
      const database = new DatabaseSync(path);
      try {
        return database
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
          .all()
          .map((row) => row.name);
      } finally {
        database.close();
      }
    };
    expect(pragma(path, 'user_version')).toBe(1);
    expect(tables()).not.toContain('tokens');

    const fixed = new DatabaseSync(path);
    fixed.exec('DROP TABLE token_locks');
    fixed.close();
    const storage = createSqliteStorage({ path });
    storages.push(storage);
    expect(await storage.checkpoints.get('t1', 'k')).toBe(7);
    expect(pragma(path, 'user_version')).toBe(SQLITE_MIGRATIONS.length);
    expect(tables()).toEqual(expect.arrayContaining(['tokens', 'token_locks']));
  });

  it('waits for another connection’s write lock (busy_timeout) instead of failing at once', async () => {
    const { storage, path } = open({ busyTimeoutMs: 5_000 });
    await storage.links.count('t');
    const locker = await holdWriteLock(path, 300);
    const started = Date.now();
    await storage.checkpoints.put('t', 'k', 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(await storage.checkpoints.get('t', 'k')).toBe(1);
    await locker.terminate();
  });

  it('a lock held longer than busy_timeout is a StorageError database, and nothing is half-written', async () => {
    const { storage, path } = open({ busyTimeoutMs: 50 });
    await storage.links.count('t');
    const locker = await holdWriteLock(path, 800);
    await expect(
      storage.outbox.enqueue('t', 'c1', { operation: 'delete' }, 1),
    ).rejects.toMatchObject({ name: 'StorageError', code: 'database' });
    await new Promise((resolve) => locker.once('exit', resolve));
    expect(await storage.outbox.get('t', 'c1')).toBeUndefined();
  });

  it('says which Node it needs when node:sqlite is missing', () => {
    vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    expect(() => createSqliteStorage({ path: ':memory:' })).toThrow(
      expect.objectContaining({
        kind: 'storage',
        code: 'unsupported-runtime',
        message: expect.stringContaining('22.13'),
      }),
    );
  });

  it('refuses options that are not a file path and positive times with StorageError invalid-argument', () => {
    const invalid = expect.objectContaining({ kind: 'storage', code: 'invalid-argument' });
    const path = sqlitePath(`options-${process.pid}-${Date.now()}`);
    for (const options of [
      undefined,
      {},
      { path: '' },
      { path: 42 },
      { path, leaseMs: 0 },
      { path, pollIntervalMs: Number.NaN },
      { path, backoffMs: -1 },
      { path, maxBackoffMs: Number.POSITIVE_INFINITY },
      { path, busyTimeoutMs: -5 },
      { path, leaseMs: '30000' },
    ]) {
      expect(() => createSqliteStorage(options as never), JSON.stringify(options)).toThrow(invalid);
    }
    const zeroWait = createSqliteStorage({ path, busyTimeoutMs: 0 });
    storages.push(zeroWait);
  });

  it('refuses work after close with a StorageError closed', async () => {
    const { storage } = open();
    await storage.close();
    await storage.close();
    await expect(storage.links.count('t')).rejects.toMatchObject({ code: 'closed' });
    await expect(storage.queue.schedule({ tenantId: 't', sourceId: 'c' })).rejects.toMatchObject({
      code: 'closed',
    });
  });

  it('refuses to enqueue a customer that is not an object with a string id', async () => {
    const { storage } = open();
    const customer = { id: 1, name: 'Bolaget AB' } as never;
    await expect(
      storage.outbox.enqueue('t', 'c1', { operation: 'upsert', customer }, 1),
    ).rejects.toBeInstanceOf(StorageError);
    expect(await storage.outbox.get('t', 'c1')).toBeUndefined();
  });

  it('names a damaged row’s key and broken columns, never its values', async () => {
    const { storage, path } = open();
    const customer = sampleCustomer('c1', 'Secret Name AB');
    await storage.outbox.enqueue('t', 'c1', { operation: 'upsert', customer }, 1);
    const database = new DatabaseSync(path);
    database.prepare(`UPDATE outbox SET customer = json_set(customer, '$.id', 404)`).run();
    database.close();
    const error = await storage.outbox.get('t', 'c1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toContain('source c1');
    expect((error as StorageError).message).toContain('customer.id');
    expect((error as StorageError).message).not.toContain('Secret');
    expect((error as StorageError).userMessage.sv.length).toBeGreaterThan(0);
  });
});
