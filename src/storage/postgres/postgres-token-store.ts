import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import type { TokenStore } from '../../client/token-store.js';
import { openTokens, resealTenant, sealTokens } from '../sealed-tokens.js';
import { StorageError } from '../storage-error.js';
import { createTokenCipher, type TokenEncryptionKey } from '../token-cipher.js';
import type { PostgresConnection } from './create-postgres-storage.js';
import {
  checkConnection,
  checkPostgresRuntime,
  databaseError,
  openPostgresDatabase,
  type Queryable,
} from './postgres-database.js';

/** Options of {@link createPostgresTokenStore}. */
export type PostgresTokenStoreOptions = PostgresConnection & {
  /** The schema of the library's tables (the storage's). @defaultValue 'fortnox_sync' */
  readonly schema?: string;
  /** graphile-worker's schema (migrated with the rest). @defaultValue `${schema}_worker` */
  readonly workerSchema?: string;
  /**
   * Keys for the tokens at rest (AES-256-GCM): the first encrypts, every one decrypts. Rotate by
   * putting a new key first and keeping the old one until every tenant saved again
   * (`reseal()` does that for every tenant at once).
   */
  readonly encryptionKeys: readonly TokenEncryptionKey[];
};

/** A {@link TokenStore} that can be closed (ends its pool when it made it). */
export type PostgresTokenStore = TokenStore & {
  lock<T>(tenantId: string, critical: () => Promise<T>): Promise<T>;
  /**
   * Finishes a key rotation: re-seals, under the first key, every tenant's tokens that another key
   * sealed (each inside the tenant's lock, so a refresh in another process is never overwritten).
   * Afterwards the old key can be dropped from `encryptionKeys`. Rows no listed key opens are left as
   * they are and named in `unreadable` (tenant ids).
   */
  reseal(): Promise<{ readonly resealed: number; readonly unreadable: readonly string[] }>;
  close(): Promise<void>;
};

const TokenRow = z.object({ key_id: z.string().min(1), sealed: z.string().min(1) });

/**
 * Fortnox tokens in Postgres, encrypted at rest, shared by every process. `lock(tenantId, fn)` holds
 * a per-tenant advisory lock on one connection while `fn` runs, and `load`/`save` called inside `fn`
 * run on that same connection: each save is committed at once (a single-use refresh token must be
 * durable before the new access token is used), no second connection is needed (no pool deadlock),
 * and a process that dies while holding the lock loses its connection and so the lock. So one
 * process refreshes a tenant at a time; the others wait, re-read the saved tokens and skip theirs.
 *
 * @example
 * const tokenStore = await createPostgresTokenStore({ pool, encryptionKeys: [{ id: 'k1', key: process.env.FORTNOX_TOKEN_KEY }] });
 * const client = createFortnoxClient({ auth: { type: 'refresh-token', tenantId, clientId, clientSecret, tokenStore } });
 */
export async function createPostgresTokenStore(
  options: PostgresTokenStoreOptions,
): Promise<PostgresTokenStore> {
  checkPostgresRuntime();
  checkConnection(options, 'createPostgresTokenStore');
  const cipher = createTokenCipher(options.encryptionKeys);
  const database = await openPostgresDatabase(options, 'createPostgresTokenStore');
  const { pool } = database;
  const s = database.schema;
  const held = new AsyncLocalStorage<Queryable>();
  // Outside a lock, the pool's statements as work under way (`close` waits for them).
  const connection = (): Queryable => held.getStore() ?? database.direct;

  const sealingKey = (options.encryptionKeys[0] as TokenEncryptionKey).id;
  const store: PostgresTokenStore = {
    async load(tenantId) {
      database.assertOpen();
      let rows: unknown[];
      try {
        ({ rows } = await connection().query(
          `SELECT key_id, sealed FROM ${s}.tokens WHERE tenant_id = $1`,
          [tenantId],
        ));
      } catch (error) {
        throw databaseError('read the tokens', error, 'tokens');
      }
      if (rows[0] === undefined) return undefined;
      const row = TokenRow.safeParse(rows[0]);
      if (!row.success) {
        throw new StorageError(
          'corrupt-row',
          `The stored tokens row of tenant ${tenantId} is damaged (${row.error.issues.map((issue) => issue.path.join('.')).join(', ')})`,
          { store: 'tokens' },
        );
      }
      return openTokens(cipher, tenantId, { keyId: row.data.key_id, sealed: row.data.sealed });
    },
    async save(tenantId, tokens) {
      database.assertOpen();
      const { keyId, sealed } = sealTokens(cipher, tenantId, tokens);
      try {
        await connection().query(
          `INSERT INTO ${s}.tokens (tenant_id, key_id, sealed, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (tenant_id) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
             updated_at = excluded.updated_at`,
          [tenantId, keyId, sealed],
        );
      } catch (error) {
        throw databaseError('save the tokens', error, 'tokens');
      }
    },
    async lock<T>(tenantId: string, critical: () => Promise<T>): Promise<T> {
      database.assertOpen();
      // Work under way for `close`: it holds a connection of the pool until it unlocks.
      return database.tracked(async () => {
        const lockKey = `fortnox-sync:token:${database.schemaName}:${tenantId}`;
        const client = await pool.connect().catch((error: unknown) => {
          throw databaseError('connect for the tenant’s token lock', error, 'tokens');
        });
        try {
          await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
        } catch (error) {
          client.release(true);
          throw databaseError('lock the tenant’s tokens', error, 'tokens');
        }
        let broken: Error | undefined;
        try {
          return await held.run(client as Queryable, critical);
        } finally {
          try {
            await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
          } catch (error) {
            // Destroying the connection ends its session, and with it the lock.
            broken = error instanceof Error ? error : new Error('unlock failed');
          }
          client.release(broken);
        }
      });
    },
    async reseal() {
      database.assertOpen();
      let stale: string[];
      try {
        const { rows } = await database.direct.query<{ tenant_id: string }>(
          `SELECT tenant_id FROM ${s}.tokens WHERE key_id <> $1 ORDER BY tenant_id`,
          [sealingKey],
        );
        stale = rows.map((row) => String(row.tenant_id));
      } catch (error) {
        throw databaseError('list the tokens to re-seal', error, 'tokens');
      }
      let resealed = 0;
      const unreadable: string[] = [];
      for (const tenantId of stale) {
        await store.lock(tenantId, async () => {
          // A refresh may have saved (under the first key) since the list was read.
          let current: { key_id: string } | undefined;
          try {
            ({
              rows: [current],
            } = await connection().query<{ key_id: string }>(
              `SELECT key_id FROM ${s}.tokens WHERE tenant_id = $1`,
              [tenantId],
            ));
          } catch (error) {
            throw databaseError('read the tokens’ key', error, 'tokens');
          }
          if (current === undefined || current.key_id === sealingKey) return;
          const outcome = await resealTenant(store, tenantId);
          if (outcome === 'resealed') resealed += 1;
          if (outcome === 'unreadable') unreadable.push(tenantId);
        });
      }
      return { resealed, unreadable };
    },
    close: () => database.close(),
  };
  return store;
}
