import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TokenStore } from '../../client/token-store.js';
import { openTokens, resealTenant, sealTokens } from '../sealed-tokens.js';
import { isStorageError, StorageError } from '../storage-error.js';
import { createTokenCipher, type TokenEncryptionKey } from '../token-cipher.js';
import { openSqliteDatabase } from './sqlite-database.js';

/** Options of {@link createSqliteTokenStore}. */
export type SqliteTokenStoreOptions = {
  /**
   * The database file (created when missing); the file of `createSqliteStorage` is fine, the tokens
   * have their own tables. `':memory:'` gives a private, non-durable database.
   */
  readonly path: string;
  /**
   * Keys for the tokens at rest (AES-256-GCM): the first encrypts, every one decrypts. Rotate by
   * putting a new key first and keeping the old one until every tenant saved again
   * (`reseal()` does that for every tenant at once).
   */
  readonly encryptionKeys: readonly TokenEncryptionKey[];
  /**
   * How long a statement waits for another connection's write lock before failing.
   * @defaultValue 5000
   */
  readonly busyTimeoutMs?: number;
  /**
   * How long a tenant's token lock stays claimed without a heartbeat. The holder renews it every
   * third of this while its critical section runs; when the holder's process dies, another process
   * takes the lock over after this long.
   * @defaultValue 30000
   */
  readonly leaseMs?: number;
  /**
   * Longest pause between two attempts of a waiting `lock` (it starts at a few milliseconds and doubles).
   * @defaultValue 50
   */
  readonly lockPollMs?: number;
  /**
   * How long `lock` waits for another holder before it fails with a `StorageError` `database`.
   * @defaultValue 60000
   */
  readonly lockTimeoutMs?: number;
};

/** The defaults of {@link SqliteTokenStoreOptions}. */
export const DEFAULT_SQLITE_TOKEN_STORE_OPTIONS = {
  busyTimeoutMs: 5_000,
  leaseMs: 30_000,
  lockPollMs: 50,
  lockTimeoutMs: 60_000,
} as const;

/** A {@link TokenStore} with a cross-process `lock` that can be closed. */
export type SqliteTokenStore = TokenStore & {
  lock<T>(tenantId: string, critical: () => Promise<T>): Promise<T>;
  /**
   * Finishes a key rotation: re-seals, under the first key, every tenant's tokens that another key
   * sealed (each inside the tenant's lock, so a refresh in another process is never overwritten).
   * Afterwards the old key can be dropped from `encryptionKeys`. Rows no listed key opens are left as
   * they are and named in `unreadable` (tenant ids).
   */
  reseal(): Promise<{ readonly resealed: number; readonly unreadable: readonly string[] }>;
  /** Releases the locks this store holds and closes its connection. */
  close(): Promise<void>;
};

const TokenRow = z.object({
  tenant_id: z.string(),
  key_id: z.string().min(1),
  sealed: z.string().min(1),
  updated_at: z.number().int(),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fortnox tokens in a SQLite file, encrypted at rest with AES-256-GCM (bound to the tenant id), shared
 * by every process that opens the file. Needs Node's `node:sqlite` like `createSqliteStorage`.
 *
 * `lock(tenantId, fn)` claims a per-tenant lease row in one atomic upsert (it takes the row only when
 * it is free or its lease ran out), renews the lease while `fn` runs and deletes the row afterwards,
 * also when `fn` throws. No database transaction stays open while `fn` awaits: `node:sqlite` is
 * synchronous, so a held write lock would block every other writer of the file, and their
 * `busy_timeout` waits would block their whole event loop. Waiters retry with a short back-off; a
 * crashed holder's lease runs out after `leaseMs`. Saves are committed with `synchronous = FULL`, so a
 * refreshed single-use refresh token survives a power cut once `save` resolved.
 *
 * @example
 * import { createSqliteTokenStore } from 'fortnox-sync/sqlite';
 * const tokenStore = createSqliteTokenStore({
 *   path: './fortnox-sync.db',
 *   encryptionKeys: [{ id: '2026-12', key: process.env.FORTNOX_TOKEN_KEY ?? '' }],
 * });
 * const client = createFortnoxClient({ auth: { type: 'refresh-token', tenantId, clientId, clientSecret, tokenStore } });
 */
export function createSqliteTokenStore(options: SqliteTokenStoreOptions): SqliteTokenStore {
  const settings = { ...DEFAULT_SQLITE_TOKEN_STORE_OPTIONS, ...definedOptions(options) };
  for (const name of ['busyTimeoutMs', 'leaseMs', 'lockPollMs', 'lockTimeoutMs'] as const) {
    const value = settings[name];
    if (!Number.isFinite(value) || value < (name === 'busyTimeoutMs' ? 0 : 1)) {
      throw new StorageError(
        'invalid-argument',
        `${name} must be a positive number of milliseconds`,
        {
          store: 'tokens',
        },
      );
    }
  }
  if (typeof options.path !== 'string' || options.path === '') {
    throw new StorageError(
      'invalid-argument',
      "createSqliteTokenStore: path must be the database file, e.g. './fortnox-sync.db'",
      { store: 'tokens' },
    );
  }
  const cipher = createTokenCipher(options.encryptionKeys);
  const database = openSqliteDatabase({
    path: options.path,
    busyTimeoutMs: settings.busyTimeoutMs,
  });
  try {
    // A refreshed single-use refresh token must survive a power cut once save resolved.
    database.raw.exec('PRAGMA synchronous = FULL');
  } catch (cause) {
    database.close();
    throw new StorageError('database', 'Could not prepare the SQLite token store', { cause });
  }

  /** Runs a database step; a failure that is not already a StorageError becomes `database`. */
  const step = <T>(what: string, work: () => T): T => {
    database.assertOpen();
    try {
      return work();
    } catch (error) {
      if (isStorageError(error)) throw error;
      throw new StorageError('database', `SQLite token store could not ${what}`, {
        store: 'tokens',
        cause: error,
      });
    }
  };

  const tryClaim = (tenantId: string, holder: string): boolean => {
    const now = Date.now();
    // A read first: waiters do not queue for the file's write lock while the lease is plainly held.
    const taken = step('read the tenant’s token lock', () =>
      database
        .statement('SELECT 1 AS taken FROM token_locks WHERE tenant_id = ? AND lease_until >= ?')
        .get(tenantId, now),
    );
    if (taken !== undefined) return false;
    const row = step('claim the tenant’s token lock', () =>
      database
        .statement(
          `INSERT INTO token_locks (tenant_id, holder, lease_until) VALUES ($tenant, $holder, $until)
           ON CONFLICT (tenant_id) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
           WHERE token_locks.lease_until < $now
           RETURNING holder`,
        )
        .get({ $tenant: tenantId, $holder: holder, $until: now + settings.leaseMs, $now: now }),
    );
    return row !== undefined;
  };
  const renew = (tenantId: string, holder: string): void => {
    database
      .statement('UPDATE token_locks SET lease_until = ? WHERE tenant_id = ? AND holder = ?')
      .run(Date.now() + settings.leaseMs, tenantId, holder);
  };
  const release = (tenantId: string, holder: string): void => {
    database
      .statement('DELETE FROM token_locks WHERE tenant_id = ? AND holder = ?')
      .run(tenantId, holder);
  };

  /** Leases held by this store (holder → tenant and heartbeat), released on close. */
  const held = new Map<string, { tenantId: string; heartbeat: NodeJS.Timeout }>();
  /** In this process, lock calls of one tenant queue here first, so only one of them polls. */
  const queues = new Map<string, Promise<void>>();

  const holdLease = async <T>(tenantId: string, critical: () => Promise<T>): Promise<T> => {
    const holder = randomUUID();
    const deadline = Date.now() + settings.lockTimeoutMs;
    let pause = Math.min(2, settings.lockPollMs);
    while (!tryClaim(tenantId, holder)) {
      if (Date.now() >= deadline) {
        throw new StorageError(
          'database',
          `Timed out after ${settings.lockTimeoutMs} ms waiting for the token lock of tenant ${tenantId}`,
          { store: 'token_locks' },
        );
      }
      await sleep(pause * (0.5 + Math.random() / 2));
      pause = Math.min(settings.lockPollMs, pause * 2);
    }
    const heartbeat = setInterval(
      () => {
        try {
          renew(tenantId, holder);
        } catch {
          // Busy or closed: the next beat tries again; at worst the lease runs out.
        }
      },
      Math.max(5, Math.floor(settings.leaseMs / 3)),
    );
    heartbeat.unref();
    held.set(holder, { tenantId, heartbeat });
    try {
      return await critical();
    } finally {
      clearInterval(heartbeat);
      held.delete(holder);
      try {
        release(tenantId, holder);
      } catch {
        // Busy or closed: the lease runs out after leaseMs and the next holder takes over.
      }
    }
  };

  let closed = false;
  const store: SqliteTokenStore = {
    async load(tenantId) {
      const found = step('read the tokens', () =>
        database
          .statement('SELECT tenant_id, key_id, sealed, updated_at FROM tokens WHERE tenant_id = ?')
          .get(tenantId),
      );
      if (found === undefined) return undefined;
      const row = TokenRow.safeParse(found);
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
      step('save the tokens', () =>
        database
          .statement(
            `INSERT INTO tokens (tenant_id, key_id, sealed, updated_at) VALUES ($tenant, $key, $sealed, $now)
             ON CONFLICT (tenant_id) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
               updated_at = excluded.updated_at`,
          )
          .run({ $tenant: tenantId, $key: keyId, $sealed: sealed, $now: Date.now() }),
      );
    },
    async lock<T>(tenantId: string, critical: () => Promise<T>): Promise<T> {
      database.assertOpen();
      const previous = queues.get(tenantId) ?? Promise.resolve();
      let done = (): void => {};
      const mine = new Promise<void>((resolve) => {
        done = resolve;
      });
      const tail = previous.then(() => mine);
      queues.set(tenantId, tail);
      try {
        await previous;
        return await holdLease(tenantId, critical);
      } finally {
        done();
        if (queues.get(tenantId) === tail) queues.delete(tenantId);
      }
    },
    async reseal() {
      const sealingKey = (options.encryptionKeys[0] as TokenEncryptionKey).id;
      const stale = step('list the tokens to re-seal', () =>
        database
          .statement('SELECT tenant_id FROM tokens WHERE key_id <> ? ORDER BY tenant_id')
          .all(sealingKey),
      ).map((row) => String(row.tenant_id));
      let resealed = 0;
      const unreadable: string[] = [];
      for (const tenantId of stale) {
        await store.lock(tenantId, async () => {
          // A refresh may have saved (under the first key) since the list was read.
          const current = step('read the tokens’ key', () =>
            database.statement('SELECT key_id FROM tokens WHERE tenant_id = ?').get(tenantId),
          );
          if (current === undefined || current.key_id === sealingKey) return;
          const outcome = await resealTenant(store, tenantId);
          if (outcome === 'resealed') resealed += 1;
          if (outcome === 'unreadable') unreadable.push(tenantId);
        });
      }
      return { resealed, unreadable };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const [holder, { tenantId, heartbeat }] of held) {
        clearInterval(heartbeat);
        try {
          release(tenantId, holder);
        } catch {
          // The lease runs out on its own.
        }
      }
      held.clear();
      database.close();
    },
  };
  return store;
}

function definedOptions(options: SqliteTokenStoreOptions): Partial<SqliteTokenStoreOptions> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<SqliteTokenStoreOptions>;
}
