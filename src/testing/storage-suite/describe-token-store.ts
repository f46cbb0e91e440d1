import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FortnoxTokens, TokenStore } from '../../client/token-store.js';
import type { TokenEncryptionKey } from '../../storage/token-cipher.js';
import { deferred, freshKey, sleep } from './suite-context.js';

/** What a token store factory gets. */
export type TokenStoreFactoryContext = {
  /** Unique per test; a durable adapter derives its file, schema or prefix from it. */
  readonly key: string;
  /**
   * The keys to encrypt with: the first seals, every one opens. An adapter that does not encrypt
   * (option `encrypted` off) ignores them.
   */
  readonly encryptionKeys: readonly TokenEncryptionKey[];
};

/** A token store under test; `close` (when there is one) is called after each test. */
export type TestedTokenStore = TokenStore & { close?(): Promise<void> | void };

/** Opens a token store for a test. Called again with the same key, a durable adapter opens the same data. */
export type TokenStoreFactory = (
  context: TokenStoreFactoryContext,
) => TestedTokenStore | Promise<TestedTokenStore>;

/** Options of {@link describeTokenStore}. */
export type DescribeTokenStoreOptions = {
  /**
   * The adapter keeps its tokens: the factory opens the same data again for the same key, and two
   * stores open on one key at once share it (like two processes). Enables the restart and
   * two-instance clauses, including the lock across instances.
   * @defaultValue false
   */
  readonly durable?: boolean;
  /**
   * The adapter encrypts with `encryptionKeys` (needs `durable`). Enables the clauses: a wrong key is a
   * `StorageError` `token-key`, and key rotation (new key first, old one still listed).
   * @defaultValue false
   */
  readonly encrypted?: boolean;
  /**
   * Everything the adapter has persisted for `key`, as text (e.g. the database file's bytes), read after
   * the store is closed. Enables the clause "no token in plaintext at rest".
   */
  readonly rawContents?: (context: { readonly key: string }) => Promise<string> | string;
  /**
   * The adapter has `lock(tenantId, fn)` (the client's `TokenStore.lock` is optional). Enables the
   * mutual-exclusion clauses; with `true`, a store without `lock` fails them.
   * @defaultValue true
   */
  readonly lock?: boolean;
  /**
   * How long a clause waits for a lock before it counts as blocked.
   * @defaultValue 5000
   */
  readonly waitMs?: number;
};

/** The defaults of {@link DescribeTokenStoreOptions}. */
export const DEFAULT_DESCRIBE_TOKEN_STORE_OPTIONS = {
  durable: false,
  encrypted: false,
  lock: true,
  waitMs: 5_000,
} as const;

const T1 = 'tenant-1';
const T2 = 'tenant-2';

/** Tokens with recognisable markers (for the plaintext-at-rest clause). */
function sampleTokens(marker: string, expiresAt = 1_900_000_000_000): FortnoxTokens {
  return {
    accessToken: `access-${marker}-Zq7`,
    refreshToken: `refresh-${marker}-Xw4`,
    expiresAt,
    scope: 'customer companyinformation',
    tenantId: '1234567',
  };
}

/** Resolves with `promise`, or rejects when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The store's lock, or a failure that says the adapter has none. */
function lockOf(store: TokenStore): NonNullable<TokenStore['lock']> {
  if (store.lock === undefined) {
    throw new Error('the store has no lock(tenantId, fn); pass { lock: false } if it has none');
  }
  return store.lock.bind(store);
}

/**
 * The conformance suite of the client's `TokenStore` (`load`, `save`, optional `lock`): call it at
 * the top of a vitest file with a factory of your adapter. Every test opens stores on a fresh key
 * and closes them afterwards. The lock clauses check what the client relies on: two holders of one
 * tenant never overlap (also across two stores on one key, like two processes), a waiter sees the
 * tokens the holder saved, other tenants are not blocked, and a throwing section releases the lock.
 *
 * @example
 * import { describeTokenStore } from 'fortnox-sync/testing/storage-suite';
 * import { createSqliteTokenStore } from 'fortnox-sync/sqlite';
 *
 * describeTokenStore(
 *   'sqlite',
 *   ({ key, encryptionKeys }) => createSqliteTokenStore({ path: `/tmp/${key}.db`, encryptionKeys }),
 *   { durable: true, encrypted: true },
 * );
 */
export function describeTokenStore(
  name: string,
  factory: TokenStoreFactory,
  options: DescribeTokenStoreOptions = {},
): void {
  const settings = { ...DEFAULT_DESCRIBE_TOKEN_STORE_OPTIONS, ...options };
  const { durable, encrypted, rawContents, waitMs } = settings;
  const keyA: TokenEncryptionKey = { id: 'suite-a', key: randomBytes(32).toString('base64') };
  const keyB: TokenEncryptionKey = { id: 'suite-b', key: randomBytes(32).toString('base64') };
  const opened: TestedTokenStore[] = [];

  const open = async (
    key: string = freshKey(),
    encryptionKeys: readonly TokenEncryptionKey[] = [keyA],
  ): Promise<{ store: TestedTokenStore; key: string }> => {
    const store = await factory({ key, encryptionKeys });
    opened.push(store);
    return { store, key };
  };
  const close = async (store: TestedTokenStore): Promise<void> => {
    const index = opened.indexOf(store);
    if (index >= 0) opened.splice(index, 1);
    await store.close?.();
  };

  describe(`TokenStore conformance: ${name}`, () => {
    afterEach(async () => {
      const stores = opened.splice(0);
      await Promise.allSettled(stores.map(async (store) => store.close?.()));
    });

    describe('load and save', () => {
      it('load gives undefined for a tenant without tokens', async () => {
        const { store } = await open();
        expect(await store.load(T1)).toBeUndefined();
      });

      it('save then load gives the same tokens, with and without the optional fields', async () => {
        const { store } = await open();
        const full = sampleTokens('full');
        const bare: FortnoxTokens = { accessToken: 'a', refreshToken: 'r', expiresAt: 42 };
        await store.save(T1, full);
        await store.save(T2, bare);
        expect(await store.load(T1)).toEqual(full);
        const loaded = await store.load(T2);
        expect(loaded).toEqual(bare);
        expect(Object.keys(loaded ?? {}).sort()).toEqual([
          'accessToken',
          'expiresAt',
          'refreshToken',
        ]);
      });

      it('save replaces the tenant’s tokens', async () => {
        const { store } = await open();
        await store.save(T1, sampleTokens('old'));
        await store.save(T1, sampleTokens('new', 1_900_000_360_000));
        expect(await store.load(T1)).toEqual(sampleTokens('new', 1_900_000_360_000));
      });

      it('tenants are isolated: each loads its own tokens, even with ids that share a prefix', async () => {
        const { store } = await open();
        const tenants = ['t1', 't10', 't1:x', 'företag-ö', 'T1'];
        for (const [index, tenant] of tenants.entries()) {
          await store.save(tenant, sampleTokens(`n${index}`));
        }
        for (const [index, tenant] of tenants.entries()) {
          expect(await store.load(tenant), tenant).toEqual(sampleTokens(`n${index}`));
        }
        expect(await store.load('t')).toBeUndefined();
        expect(await store.load('t100')).toBeUndefined();
      });
    });

    if (durable) {
      describe('durability', () => {
        it('keeps the tokens across close and reopen', async () => {
          const { store, key } = await open();
          await store.save(T1, sampleTokens('kept'));
          await close(store);
          const { store: reopened } = await open(key);
          expect(await reopened.load(T1)).toEqual(sampleTokens('kept'));
        });

        it('two stores open on one key share the tokens (like two processes)', async () => {
          const { store: one, key } = await open();
          const { store: two } = await open(key);
          await one.save(T1, sampleTokens('one'));
          expect(await two.load(T1)).toEqual(sampleTokens('one'));
          await two.save(T1, sampleTokens('two'));
          expect(await one.load(T1)).toEqual(sampleTokens('two'));
        });
      });
    }

    if (rawContents) {
      it('at rest, neither token is in what the adapter persisted', async () => {
        const { store, key } = await open();
        const tokens = sampleTokens('plaintext-marker');
        await store.save(T1, tokens);
        await close(store);
        const raw = await rawContents({ key });
        // The tenant's row is there (so the check below looks at the right thing) …
        expect(raw).toContain(T1);
        // … and holds neither token, nor the token JSON's field names.
        expect(raw).not.toContain(tokens.accessToken);
        expect(raw).not.toContain(tokens.refreshToken);
        expect(raw).not.toContain('refreshToken');
      });
    }

    if (durable && encrypted) {
      describe('encryption keys', () => {
        it('a wrong key is a StorageError token-key, not garbage, and the message shows no token', async () => {
          const { store, key } = await open(undefined, [keyA]);
          await store.save(T1, sampleTokens('secret'));
          await close(store);
          const wrong = { id: keyA.id, key: randomBytes(32).toString('base64') };
          const { store: reopened } = await open(key, [wrong]);
          const error = await reopened.load(T1).then(
            () => undefined,
            (failure: unknown) => failure,
          );
          expect(error).toBeInstanceOf(Error);
          expect(error).toMatchObject({ kind: 'storage', code: 'token-key' });
          const text = `${(error as Error).message} ${JSON.stringify(error)}`;
          expect(text).not.toContain(sampleTokens('secret').refreshToken);
          expect(text).not.toContain(wrong.key);
        });

        it('without the key that sealed the row (unknown key id) load is a StorageError token-key', async () => {
          const { store, key } = await open(undefined, [keyA]);
          await store.save(T1, sampleTokens('a'));
          await close(store);
          const { store: onlyB } = await open(key, [keyB]);
          await expect(onlyB.load(T1)).rejects.toMatchObject({
            kind: 'storage',
            code: 'token-key',
          });
        });

        it('rotation: new key first, old still listed: old rows load, a re-save seals under the new key', async () => {
          const { store, key } = await open(undefined, [keyA]);
          await store.save(T1, sampleTokens('one'));
          await store.save(T2, sampleTokens('two'));
          await close(store);
          const { store: rotated } = await open(key, [keyB, keyA]);
          expect(await rotated.load(T1)).toEqual(sampleTokens('one'));
          expect(await rotated.load(T2)).toEqual(sampleTokens('two'));
          await rotated.save(T1, (await rotated.load(T1)) as FortnoxTokens);
          await close(rotated);
          // The old key retired: the re-saved tenant opens with the new key alone, the other does not.
          const { store: onlyB } = await open(key, [keyB]);
          expect(await onlyB.load(T1)).toEqual(sampleTokens('one'));
          await expect(onlyB.load(T2)).rejects.toMatchObject({ code: 'token-key' });
        });
      });
    }

    if (settings.lock) {
      describe('lock', () => {
        it('runs the critical section once and passes its result through', async () => {
          const { store } = await open();
          let runs = 0;
          const result = await within(
            lockOf(store)(T1, async () => {
              runs += 1;
              return { answer: 42 };
            }),
            waitMs,
            'lock',
          );
          expect(result).toEqual({ answer: 42 });
          expect(runs).toBe(1);
        });

        const overlapClause = async (stores: readonly TokenStore[]) => {
          let active = 0;
          let most = 0;
          let finished = 0;
          const calls = Array.from({ length: 6 }, (_, index) =>
            lockOf(stores[index % stores.length] as TokenStore)(T1, async () => {
              active += 1;
              most = Math.max(most, active);
              await sleep(15);
              active -= 1;
              finished += 1;
            }),
          );
          await within(Promise.all(calls), waitMs * 2, 'six lock calls');
          expect(finished).toBe(6);
          expect(most).toBe(1);
        };

        it('two concurrent lock calls on one tenant never overlap', async () => {
          const { store } = await open();
          await overlapClause([store]);
        });

        if (durable) {
          it('lock calls on one tenant from two stores on one key never overlap (two processes)', async () => {
            const { store: one, key } = await open();
            const { store: two } = await open(key);
            await overlapClause([one, two]);
          });
        }

        it('a waiter sees the tokens the holder saved (the client re-reads inside the lock)', async () => {
          const { store: one, key } = await open();
          const two = durable ? (await open(key)).store : one;
          await one.save(T1, sampleTokens('before'));
          const gate = deferred();
          const entered = deferred();
          const holder = lockOf(one)(T1, async () => {
            entered.resolve();
            await gate.promise;
            await one.save(T1, sampleTokens('after', 1_900_000_360_000));
          });
          await within(entered.promise, waitMs, 'the first holder');
          let waiterIn = false;
          const waiter = lockOf(two)(T1, async () => {
            waiterIn = true;
            return two.load(T1);
          });
          await sleep(50);
          expect(waiterIn).toBe(false);
          gate.resolve();
          await within(holder, waitMs, 'the holder');
          expect(await within(waiter, waitMs, 'the waiter')).toEqual(
            sampleTokens('after', 1_900_000_360_000),
          );
        });

        it('load and save inside the lock work and are visible at once, before the lock is released', async () => {
          const { store: one, key } = await open();
          const other = durable ? (await open(key)).store : one;
          const result = await within(
            lockOf(one)(T1, async () => {
              await one.save(T1, sampleTokens('inside'));
              const seenInside = await one.load(T1);
              const seenElsewhere = await other.load(T1);
              return { seenInside, seenElsewhere };
            }),
            waitMs,
            'lock with load and save',
          );
          expect(result.seenInside).toEqual(sampleTokens('inside'));
          expect(result.seenElsewhere).toEqual(sampleTokens('inside'));
          expect(await other.load(T1)).toEqual(sampleTokens('inside'));
        });

        it('different tenants do not block each other', async () => {
          const { store: one, key } = await open();
          const two = durable ? (await open(key)).store : one;
          const gate = deferred();
          const entered = deferred();
          const holder = lockOf(one)(T1, async () => {
            entered.resolve();
            await gate.promise;
          });
          await within(entered.promise, waitMs, 'the first holder');
          try {
            expect(
              await within(
                lockOf(one)(T2, async () => 'same store'),
                waitMs,
                'T2',
              ),
            ).toBe('same store');
            expect(
              await within(
                lockOf(two)(T2, async () => 'other'),
                waitMs,
                'T2',
              ),
            ).toBe('other');
          } finally {
            gate.resolve();
          }
          await within(holder, waitMs, 'the holder');
        });

        it('a critical section that throws releases the lock, and the caller gets its error', async () => {
          const { store } = await open();
          const failure = new Error('refresh failed');
          await expect(
            within(
              lockOf(store)(T1, async () => {
                await sleep(5);
                throw failure;
              }),
              waitMs,
              'a throwing section',
            ),
          ).rejects.toBe(failure);
          const syncFailure = new Error('thrown before any await');
          await expect(
            within(
              lockOf(store)(T1, () => {
                throw syncFailure;
              }),
              waitMs,
              'a synchronously throwing section',
            ),
          ).rejects.toBe(syncFailure);
          expect(
            await within(
              lockOf(store)(T1, async () => 'free'),
              waitMs,
              'next lock',
            ),
          ).toBe('free');
        });
      });
    }
  });
}
