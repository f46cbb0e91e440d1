import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { FortnoxTokens } from '../../src/client/index.js';
import {
  createPostgresTokenStore,
  createTokenCipher,
  type TokenEncryptionKey,
} from '../../src/storage/postgres/index.js';
import {
  adminPool,
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../support/postgres.js';
import { WORKER_SCHEMA } from './support/postgres-schemas.js';

const TOKENS: FortnoxTokens = {
  accessToken: 'access-secret-marker',
  refreshToken: 'refresh-secret-marker',
  expiresAt: 1_900_000_000_000,
  scope: 'customer',
};
const keyA: TokenEncryptionKey = { id: 'a', key: randomBytes(32).toString('base64') };
const keyB: TokenEncryptionKey = { id: 'b', key: randomBytes(32) };

describe('token cipher (AES-256-GCM)', () => {
  it('opens what it sealed; a sealed value never shows the plaintext', () => {
    const cipher = createTokenCipher([keyA]);
    const sealed = cipher.seal('hello', 'tenant-1');
    expect(sealed.keyId).toBe('a');
    expect(Buffer.from(sealed.sealed, 'base64').toString('latin1')).not.toContain('hello');
    expect(cipher.open(sealed, 'tenant-1')).toBe('hello');
  });

  it('rotation: the first key seals, every listed key opens', () => {
    const old = createTokenCipher([keyA]).seal('v', 't');
    const rotated = createTokenCipher([keyB, keyA]);
    expect(rotated.open(old, 't')).toBe('v');
    expect(rotated.seal('v', 't').keyId).toBe('b');
  });

  it('a wrong key, an unknown key id, another tenant or altered bytes are a StorageError token-key', () => {
    const sealed = createTokenCipher([keyA]).seal('v', 't');
    const wrong = createTokenCipher([{ id: 'a', key: randomBytes(32) }]);
    const expected = { name: 'StorageError', kind: 'storage', code: 'token-key' };
    expect(() => wrong.open(sealed, 't')).toThrow(expect.objectContaining(expected));
    expect(() => createTokenCipher([keyB]).open(sealed, 't')).toThrow(
      expect.objectContaining(expected),
    );
    expect(() => createTokenCipher([keyA]).open(sealed, 'other-tenant')).toThrow(
      expect.objectContaining(expected),
    );
    const bytes = Buffer.from(sealed.sealed, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(() =>
      createTokenCipher([keyA]).open({ keyId: 'a', sealed: bytes.toString('base64') }, 't'),
    ).toThrow(expect.objectContaining(expected));
  });

  it('refuses no key or a key that is not 32 bytes, with an example in the message', () => {
    expect(() => createTokenCipher([])).toThrow(/at least one key/);
    expect(() => createTokenCipher([{ id: 'x', key: randomBytes(16) }])).toThrow(/32 bytes/);
  });

  it('refuses two keys under one id (a rotated key kept its id): rows name the id, so it would be ambiguous', () => {
    const sealed = createTokenCipher([keyA]).seal('v', 't');
    const sameId = () => createTokenCipher([{ id: 'a', key: randomBytes(32) }, keyA]);
    expect(sameId).toThrow(
      expect.objectContaining({
        kind: 'storage',
        code: 'invalid-argument',
        message: expect.stringContaining('"a"'),
      }),
    );
    expect(createTokenCipher([keyB, keyA]).open(sealed, 't')).toBe('v');
  });
});

if (postgresAvailable()) {
  const schemas = new Set<string>();
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });
  const open = (schema: string, keys = [keyA]) => {
    schemas.add(schema);
    return createPostgresTokenStore({
      connectionString: POSTGRES_URL as string,
      schema,
      workerSchema: WORKER_SCHEMA,
      encryptionKeys: keys,
    });
  };

  describe('createPostgresTokenStore', () => {
    it('saves and loads tokens, encrypted at rest (the row holds neither token)', async () => {
      const schema = schemaFor(`tok_rt_${process.pid}`);
      const store = await open(schema);
      expect(await store.load('t1')).toBeUndefined();
      await store.save('t1', TOKENS);
      expect(await store.load('t1')).toEqual(TOKENS);
      const { rows } = await adminPool().query(
        `SELECT row_to_json(t)::text AS line FROM "${schema}".tokens t`,
      );
      const raw = rows.map((row) => String(row.line)).join('\n');
      expect(raw).not.toContain('secret-marker');
      expect(raw).toContain('"key_id":"a"');
      await store.close();
    });

    it('after rotation old rows still load, new saves use the new key; a store without the key fails clearly', async () => {
      const schema = schemaFor(`tok_rot_${process.pid}`);
      const before = await open(schema, [keyA]);
      await before.save('t1', TOKENS);
      await before.close();
      const rotated = await open(schema, [keyB, keyA]);
      expect(await rotated.load('t1')).toEqual(TOKENS);
      await rotated.save('t2', TOKENS);
      await rotated.close();
      const { rows } = await adminPool().query<{ tenant_id: string; key_id: string }>(
        `SELECT tenant_id, key_id FROM "${schema}".tokens ORDER BY tenant_id`,
      );
      expect(rows).toEqual([
        { tenant_id: 't1', key_id: 'a' },
        { tenant_id: 't2', key_id: 'b' },
      ]);
      const onlyNew = await open(schema, [keyB]);
      await expect(onlyNew.load('t1')).rejects.toMatchObject({ code: 'token-key' });
      expect(await onlyNew.load('t2')).toEqual(TOKENS);
      await onlyNew.close();
    });

    it('reseal finishes a rotation: rows of the old key are sealed under the new one, inside each tenant’s lock', async () => {
      const schema = schemaFor(`tok_reseal_${process.pid}`);
      const before = await open(schema, [keyA]);
      await before.save('t1', TOKENS);
      await before.save('t2', { ...TOKENS, expiresAt: 2 });
      await before.close();
      const lost = await open(schema, [{ id: 'gone', key: randomBytes(32) }]);
      await lost.save('t3', TOKENS);
      await lost.close();

      const rotated = await open(schema, [keyB, keyA]);
      // A refresh in another process holds t1's lock and saves newer tokens: reseal waits for it.
      const other = await open(schema, [keyB, keyA]);
      let release = (): void => {};
      const refreshing = other.lock('t1', async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        await other.save('t1', { ...TOKENS, expiresAt: 3 });
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      let done = false;
      const resealing = rotated.reseal().then((result) => {
        done = true;
        return result;
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(done).toBe(false);
      release();
      await refreshing;
      expect(await resealing).toEqual({ resealed: 1, unreadable: ['t3'] });
      expect(await rotated.reseal()).toEqual({ resealed: 0, unreadable: ['t3'] });
      await rotated.close();
      await other.close();

      const { rows } = await adminPool().query<{ tenant_id: string; key_id: string }>(
        `SELECT tenant_id, key_id FROM "${schema}".tokens ORDER BY tenant_id`,
      );
      expect(rows).toEqual([
        { tenant_id: 't1', key_id: 'b' },
        { tenant_id: 't2', key_id: 'b' },
        { tenant_id: 't3', key_id: 'gone' },
      ]);
      const onlyNew = await open(schema, [keyB]);
      expect(await onlyNew.load('t1')).toEqual({ ...TOKENS, expiresAt: 3 });
      expect(await onlyNew.load('t2')).toEqual({ ...TOKENS, expiresAt: 2 });
      await expect(onlyNew.load('t3')).rejects.toMatchObject({ code: 'token-key' });
      await onlyNew.close();
    });

    it('a damaged tokens row is a StorageError corrupt-row that names the tenant, not a token', async () => {
      const schema = schemaFor(`tok_bad_${process.pid}`);
      const store = await open(schema);
      await store.save('t1', TOKENS);
      await adminPool().query(`UPDATE "${schema}".tokens SET sealed = '' WHERE tenant_id = 't1'`);
      const damaged = await store.load('t1').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(damaged).toMatchObject({ kind: 'storage', code: 'corrupt-row', store: 'tokens' });
      expect((damaged as Error).message).toContain('t1');
      await store.close();
    });

    it('lock serialises one tenant across stores (processes), and load/save inside it are committed at once', async () => {
      const schema = schemaFor(`tok_lock_${process.pid}`);
      const one = await open(schema);
      const two = await open(schema);
      const order: string[] = [];
      let release = (): void => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = one.lock('t1', async () => {
        order.push('one:start');
        await one.save('t1', TOKENS);
        await gate;
        order.push('one:end');
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = two.lock('t1', async () => {
        order.push('two:start');
        return two.load('t1');
      });
      const other = two.lock('t2', async () => 'other tenant is not blocked');
      expect(await other).toBe('other tenant is not blocked');
      // Saved inside the lock, visible to another connection before the lock is released.
      expect(await two.load('t1')).toEqual(TOKENS);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(order).toEqual(['one:start']);
      release();
      await first;
      expect(await second).toEqual(TOKENS);
      expect(order).toEqual(['one:start', 'one:end', 'two:start']);
      await one.close();
      await two.close();
    });
  });
} else {
  describe.skip('createPostgresTokenStore (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
