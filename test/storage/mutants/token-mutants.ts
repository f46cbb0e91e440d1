/**
 * Token stores for the TokenStore suite's self-test (see run-token-mutants.ts): a small durable,
 * encrypting store over a Map (the baseline, which passes the suite), and broken copies of it or of
 * the client's memory store, each breaking one clause.
 */
import type { FortnoxTokens, TokenStore } from '../../../src/client/token-store.js';
import { createMemoryTokenStore } from '../../../src/client/token-store.js';
import { openTokens, sealTokens } from '../../../src/storage/sealed-tokens.js';
import {
  createTokenCipher,
  type SealedValue,
  type TokenEncryptionKey,
} from '../../../src/storage/token-cipher.js';

/** What each suite key "persisted": tenant → sealed row. */
const files = new Map<string, Map<string, SealedValue>>();
/** Locks are shared by every store on one key, like a database's. */
const lockFiles = new Map<string, TokenStore>();

/** The persisted rows of `key` as text (the suite's rawContents). */
export function rawContents(key: string): string {
  return JSON.stringify([...(files.get(key) ?? new Map()).entries()]);
}

type Changes = {
  readonly seal?: (tokens: FortnoxTokens, tenantId: string) => SealedValue;
  readonly open?: (row: SealedValue, tenantId: string) => FortnoxTokens;
  readonly keys?: (keys: readonly TokenEncryptionKey[]) => readonly TokenEncryptionKey[];
};

/** A durable, encrypting token store over a Map, with `changes` breaking it. */
export function createKeyedStore(
  key: string,
  encryptionKeys: readonly TokenEncryptionKey[],
  changes: Changes = {},
): TokenStore {
  const cipher = createTokenCipher(changes.keys?.(encryptionKeys) ?? encryptionKeys);
  const rows = files.get(key) ?? new Map<string, SealedValue>();
  files.set(key, rows);
  const locks = lockFiles.get(key) ?? createMemoryTokenStore();
  lockFiles.set(key, locks);
  return {
    async load(tenantId) {
      const row = rows.get(tenantId);
      if (row === undefined) return undefined;
      return changes.open?.(row, tenantId) ?? openTokens(cipher, tenantId, row);
    },
    async save(tenantId, tokens) {
      rows.set(tenantId, changes.seal?.(tokens, tenantId) ?? sealTokens(cipher, tenantId, tokens));
    },
    lock: (tenantId, critical) =>
      (locks.lock as NonNullable<TokenStore['lock']>)(tenantId, critical),
  };
}

type Factory = (context: {
  key: string;
  encryptionKeys: readonly TokenEncryptionKey[];
}) => TokenStore;

const memoryWith =
  (changes: (store: TokenStore) => Partial<TokenStore>): Factory =>
  () => {
    const store = createMemoryTokenStore();
    return { ...store, ...changes(store) };
  };

/** The mutants, by name: what each breaks. Over the memory store: not durable, not encrypted. */
export const MEMORY_TOKEN_MUTANTS: Record<string, Factory> = {
  'lock does not exclude': memoryWith(() => ({ lock: (_tenant, critical) => critical() })),
  'a throwing section keeps the lock': memoryWith((store) => {
    const stuck = new Set<string>();
    return {
      async lock(tenantId, critical) {
        if (stuck.has(tenantId)) await new Promise(() => undefined);
        return (store.lock as NonNullable<TokenStore['lock']>)(tenantId, async () => {
          try {
            return await critical();
          } catch (error) {
            stuck.add(tenantId);
            throw error;
          }
        });
      },
    };
  }),
  'one lock for every tenant': memoryWith((store) => ({
    lock: (_tenant, critical) =>
      (store.lock as NonNullable<TokenStore['lock']>)('everyone', critical),
  })),
  'tenant ids folded to lower case': memoryWith((store) => ({
    load: (tenantId) => store.load(tenantId.toLowerCase()),
    save: (tenantId, tokens) => store.save(tenantId.toLowerCase(), tokens),
  })),
  'save keeps the first tokens': memoryWith((store) => ({
    async save(tenantId, tokens) {
      if ((await store.load(tenantId)) === undefined) await store.save(tenantId, tokens);
    },
  })),
};

/** The mutants of the durable, encrypting store, by name: what each breaks. */
export const KEYED_TOKEN_MUTANTS: Record<string, Factory> = {
  'plaintext at rest': ({ key, encryptionKeys }) =>
    createKeyedStore(key, encryptionKeys, {
      seal: (tokens) => ({ keyId: 'plain', sealed: JSON.stringify(tokens) }),
      open: (row) => JSON.parse(row.sealed) as FortnoxTokens,
    }),
  'a wrong key gives garbage': ({ key, encryptionKeys }) => {
    const cipher = createTokenCipher(encryptionKeys);
    return createKeyedStore(key, encryptionKeys, {
      open(row, tenantId) {
        try {
          return openTokens(cipher, tenantId, row);
        } catch {
          return { accessToken: '\u0000', refreshToken: '\u0000', expiresAt: 0 };
        }
      },
    });
  },
  'the oldest key seals': ({ key, encryptionKeys }) =>
    createKeyedStore(key, encryptionKeys, { keys: (keys) => [...keys].reverse() }),
};
