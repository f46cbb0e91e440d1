import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { FortnoxTokens } from '../../src/client/index.js';
import {
  createSqliteStorage,
  createSqliteTokenStore,
  createTokenCipher,
  type SqliteTokenStore,
  type SqliteTokenStoreOptions,
} from '../../src/storage/sqlite/index.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/sqlite-migrations.js';
import { sqlitePath } from './support/sqlite-files.js';

const key = { id: 'k1', key: randomBytes(32).toString('base64') };
const TOKENS: FortnoxTokens = {
  accessToken: 'access-unit-marker',
  refreshToken: 'refresh-unit-marker',
  expiresAt: 1_900_000_000_000,
};
const stores: SqliteTokenStore[] = [];
let counter = 0;

const freshPath = (): string => {
  counter += 1;
  return sqlitePath(`tokens-unit-${process.pid}-${counter}-${Date.now()}`);
};
function open(path: string, options: Partial<SqliteTokenStoreOptions> = {}): SqliteTokenStore {
  const store = createSqliteTokenStore({ path, encryptionKeys: [key], ...options });
  stores.push(store);
  return store;
}
function write(path: string, sql: string, ...values: string[]): void {
  const database = new DatabaseSync(path, { timeout: 5_000 });
  try {
    database.prepare(sql).run(...values);
  } finally {
    database.close();
  }
}
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

afterEach(async () => {
  await Promise.allSettled(stores.splice(0).map((store) => store.close()));
});

describe('createSqliteTokenStore', () => {
  it('shares the file with createSqliteStorage: tokens are migration 2, appended to the schema', async () => {
    const path = freshPath();
    const storage = createSqliteStorage({ path });
    await storage.checkpoints.put('t1', 'k', 1);
    await storage.close();
    const store = open(path);
    await store.save('t1', TOKENS);
    expect(await store.load('t1')).toEqual(TOKENS);
    const database = new DatabaseSync(path);
    const version = database.prepare('PRAGMA user_version').get() as { user_version: number };
    const tables = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    database.close();
    expect(version.user_version).toBe(SQLITE_MIGRATIONS.length);
    expect(tables).toEqual(expect.arrayContaining(['checkpoints', 'token_locks', 'tokens']));
  });

  it('migrates a database of schema version 1 and keeps its data', async () => {
    const path = freshPath();
    const old = new DatabaseSync(path);
    old.exec(SQLITE_MIGRATIONS[0] as string);
    old.exec("INSERT INTO checkpoints (tenant_id, key, value) VALUES ('t1', 'k', '7')");
    old.exec('PRAGMA user_version = 1');
    old.close();
    const store = open(path);
    await store.save('t1', TOKENS);
    const storage = createSqliteStorage({ path });
    expect(await storage.checkpoints.get('t1', 'k')).toBe(7);
    await storage.close();
  });

  it('a damaged row is a StorageError corrupt-row; a row moved to another tenant is token-key', async () => {
    const path = freshPath();
    const store = open(path);
    await store.save('t1', TOKENS);
    write(path, "UPDATE tokens SET key_id = '' WHERE tenant_id = ?", 't1');
    const damaged = await failure(store.load('t1'));
    expect(damaged).toMatchObject({ kind: 'storage', code: 'corrupt-row', store: 'tokens' });
    expect((damaged as Error).message).toContain('t1');

    // Sealed with the right key and tenant, but not tokens inside.
    const notTokens = createTokenCipher([key]).seal('{"accessToken":1}', 't2');
    write(
      path,
      "INSERT INTO tokens (tenant_id, key_id, sealed, updated_at) VALUES ('t2', ?, ?, 0)",
      notTokens.keyId,
      notTokens.sealed,
    );
    await expect(store.load('t2')).rejects.toMatchObject({ code: 'corrupt-row' });

    await store.save('t3', TOKENS);
    write(
      path,
      "INSERT INTO tokens (tenant_id, key_id, sealed, updated_at) SELECT 't4', key_id, sealed, 0 FROM tokens WHERE tenant_id = 't3'",
    );
    await expect(store.load('t4')).rejects.toMatchObject({ code: 'token-key' });
    expect(await store.load('t3')).toEqual(TOKENS);
  });

  it('refuses tokens that are not Fortnox tokens, and bad options, with invalid-argument', async () => {
    const store = open(freshPath());
    const bad = { accessToken: 'a', refreshToken: 'secret-value' } as unknown as FortnoxTokens;
    const error = await failure(store.save('t1', bad));
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect((error as Error).message).not.toContain('secret-value');
    expect(() => createSqliteTokenStore({ path: freshPath(), encryptionKeys: [] })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
    expect(() =>
      createSqliteTokenStore({ path: freshPath(), encryptionKeys: [key], leaseMs: 0 }),
    ).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    for (const path of [undefined, '', 7]) {
      expect(() => createSqliteTokenStore({ path, encryptionKeys: [key] } as never)).toThrow(
        expect.objectContaining({ code: 'invalid-argument', store: 'tokens' }),
      );
    }
  });

  it('a lock held by another store makes a waiter fail after lockTimeoutMs with StorageError database', async () => {
    const path = freshPath();
    const holder = open(path);
    const waiter = open(path, { lockTimeoutMs: 200 });
    let release = (): void => {};
    const held = holder.lock('t1', () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const error = await failure(waiter.lock('t1', async () => 'never'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(error).toMatchObject({ kind: 'storage', code: 'database', store: 'token_locks' });
    release();
    await held;
    expect(await waiter.lock('t1', async () => 'now')).toBe('now');
  });

  it('the holder’s heartbeat keeps the lease beyond leaseMs; close releases what it holds', async () => {
    const path = freshPath();
    const leaseMs = 400;
    const holder = open(path, { leaseMs });
    const other = open(path, { lockTimeoutMs: 5_000 });
    let entered = false;
    const held = holder.lock('t1', () => new Promise<void>(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waiting = other.lock('t1', async () => {
      entered = true;
    });
    // Three lease times: only the heartbeat keeps the waiter out.
    await new Promise((resolve) => setTimeout(resolve, leaseMs * 3));
    expect(entered).toBe(false);
    const closedAt = Date.now();
    await holder.close();
    await waiting;
    expect(entered).toBe(true);
    // Released by close, not by the lease running out.
    expect(Date.now() - closedAt).toBeLessThan(leaseMs);
    void held;
  });

  it('reseal finishes a rotation: rows of the old key are sealed under the new one, inside each tenant’s lock', async () => {
    const path = freshPath();
    const newKey = { id: 'k2', key: randomBytes(32).toString('base64') };
    const before = open(path);
    await before.save('t1', TOKENS);
    await before.save('t2', { ...TOKENS, expiresAt: 2 });
    const lost = open(path, { encryptionKeys: [{ id: 'gone', key: randomBytes(32) }] });
    await lost.save('t3', TOKENS);
    await before.close();
    await lost.close();

    const rotated = open(path, { encryptionKeys: [newKey, key] });
    // A refresh in another process holds t1's lock and saves newer tokens: reseal waits for it.
    const other = open(path, { encryptionKeys: [newKey, key] });
    let release = (): void => {};
    const refreshing = other.lock('t1', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      await other.save('t1', { ...TOKENS, expiresAt: 3 });
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    let done = false;
    const resealing = rotated.reseal().then((result) => {
      done = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    release();
    await refreshing;
    expect(await resealing).toEqual({ resealed: 1, unreadable: ['t3'] });

    const onlyNew = open(path, { encryptionKeys: [newKey] });
    expect(await onlyNew.load('t1')).toEqual({ ...TOKENS, expiresAt: 3 });
    expect(await onlyNew.load('t2')).toEqual({ ...TOKENS, expiresAt: 2 });
    await expect(onlyNew.load('t3')).rejects.toMatchObject({ code: 'token-key' });
  });

  it('a closed store refuses with StorageError closed', async () => {
    const store = open(freshPath());
    await store.close();
    await expect(store.load('t1')).rejects.toMatchObject({ code: 'closed' });
    await expect(store.save('t1', TOKENS)).rejects.toMatchObject({ code: 'closed' });
    await expect(store.lock('t1', async () => 1)).rejects.toMatchObject({ code: 'closed' });
  });

  it('a database busy past busy_timeout is a StorageError database', async () => {
    const path = freshPath();
    const store = open(path, { busyTimeoutMs: 50 });
    const worker = new Worker(
      `const { DatabaseSync } = require('node:sqlite');
       const { workerData, parentPort } = require('node:worker_threads');
       const db = new DatabaseSync(workerData.path);
       db.exec('BEGIN IMMEDIATE');
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
       db.exec('COMMIT');
       db.close();`,
      { eval: true, workerData: { path } },
    );
    await new Promise((resolve) => worker.once('message', resolve));
    await expect(store.save('t1', TOKENS)).rejects.toMatchObject({
      kind: 'storage',
      code: 'database',
    });
    await expect(store.lock('t1', async () => 1)).rejects.toMatchObject({ code: 'database' });
    await new Promise((resolve) => worker.once('exit', resolve));
    await store.save('t1', TOKENS);
    expect(await store.load('t1')).toEqual(TOKENS);
  });
});
