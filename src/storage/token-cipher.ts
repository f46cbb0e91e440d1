import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { StorageError } from './storage-error.js';

/** A key for tokens at rest: 32 bytes (AES-256), with an id stored beside each ciphertext. */
export type TokenEncryptionKey = {
  /** Names the key in stored rows (e.g. `'2026-12'`); never the key itself. */
  readonly id: string;
  /** 32 bytes, or their base64 text (e.g. `openssl rand -base64 32`). */
  readonly key: Uint8Array | string;
};

/** A sealed value: which key sealed it, and `iv ‖ tag ‖ ciphertext` in base64. */
export type SealedValue = { readonly keyId: string; readonly sealed: string };

/** Seals and opens values with AES-256-GCM; the first key seals, every key opens (rotation). */
export type TokenCipher = {
  /** Encrypts `plaintext` under the first key, bound to `context` (e.g. the tenant id). */
  seal(plaintext: string, context: string): SealedValue;
  /** Decrypts; a wrong key, an unknown key id or tampered bytes are a `StorageError` `token-key`. */
  open(value: SealedValue, context: string): string;
};

const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyBytes(key: TokenEncryptionKey): Buffer {
  const bytes = typeof key.key === 'string' ? Buffer.from(key.key, 'base64') : Buffer.from(key.key);
  if (bytes.length !== 32 || key.id === '') {
    throw new StorageError(
      'invalid-argument',
      `Token encryption key ${JSON.stringify(key.id)} must have a non-empty id and 32 bytes (base64 of 32 random bytes, e.g. from \`openssl rand -base64 32\`)`,
      { store: 'tokens' },
    );
  }
  return bytes;
}

/**
 * AES-256-GCM under host-provided keys. `keys[0]` encrypts; any listed key decrypts the rows it
 * sealed, so a new key goes first and the old one stays listed until every row was saved again
 * (each token refresh saves, so an hour of traffic re-encrypts every active tenant). The context
 * (tenant id) is authenticated data: a row copied to another tenant does not open.
 */
export function createTokenCipher(keys: readonly TokenEncryptionKey[]): TokenCipher {
  if (keys.length === 0) {
    throw new StorageError(
      'invalid-argument',
      'Tokens are encrypted at rest: give at least one key, e.g. encryptionKeys: [{ id: "k1", key: process.env.TOKEN_KEY }]',
      { store: 'tokens' },
    );
  }
  const byId = new Map<string, Buffer>();
  for (const key of keys) {
    if (byId.has(key.id)) {
      // Two keys under one id: rows name the id, so one of the keys could never open its rows.
      throw new StorageError(
        'invalid-argument',
        `Token encryption key id ${JSON.stringify(key.id)} is listed twice: give a rotated key a new id (e.g. '2027-01')`,
        { store: 'tokens' },
      );
    }
    byId.set(key.id, keyBytes(key));
  }
  const first = keys[0] as TokenEncryptionKey;
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', byId.get(first.id) as Buffer, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
      return { keyId: first.id, sealed };
    },
    open(value, context) {
      const key = byId.get(value.keyId);
      if (key === undefined) {
        throw new StorageError(
          'token-key',
          `Stored tokens were encrypted with key ${JSON.stringify(value.keyId)}, which is not among the configured keys`,
          { store: 'tokens' },
        );
      }
      const bytes = Buffer.from(value.sealed, 'base64');
      try {
        if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const body = decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES));
        return Buffer.concat([body, decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new StorageError(
          'token-key',
          `Stored tokens do not decrypt with key ${JSON.stringify(value.keyId)}: a wrong key, or the row was altered`,
          { store: 'tokens', cause },
        );
      }
    },
  };
}
