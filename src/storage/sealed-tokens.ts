import { z } from 'zod';
import type { FortnoxTokens, TokenStore } from '../client/token-store.js';
import { isStorageError, StorageError } from './storage-error.js';
import type { SealedValue, TokenCipher } from './token-cipher.js';

/** The stored shape of {@link FortnoxTokens}; unknown fields are dropped, never stored. */
const FortnoxTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresAt: z.number(),
  scope: z.string().optional(),
  tenantId: z.string().optional(),
});

/**
 * Seals a tenant's tokens as JSON under the cipher's first key, bound to the tenant id. Tokens that are
 * not {@link FortnoxTokens} are a `StorageError` `invalid-argument` that names the tenant, not a value.
 */
export function sealTokens(
  cipher: TokenCipher,
  tenantId: string,
  tokens: FortnoxTokens,
): SealedValue {
  const parsed = FortnoxTokensSchema.safeParse(tokens);
  if (!parsed.success) {
    throw new StorageError(
      'invalid-argument',
      `The tokens to save for tenant ${tenantId} are not Fortnox tokens (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')})`,
      { store: 'tokens' },
    );
  }
  return cipher.seal(JSON.stringify(parsed.data), tenantId);
}

/**
 * Opens sealed tokens: a wrong or missing key is a `StorageError` `token-key` (from the cipher);
 * plaintext that is not the tokens this library sealed is `corrupt-row`.
 */
export function openTokens(
  cipher: TokenCipher,
  tenantId: string,
  value: SealedValue,
): FortnoxTokens {
  const text = cipher.open(value, tenantId);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const tokens = FortnoxTokensSchema.safeParse(json);
  if (!tokens.success) {
    throw new StorageError(
      'corrupt-row',
      `The stored tokens of tenant ${tenantId} are unreadable`,
      { store: 'tokens' },
    );
  }
  return tokens.data as FortnoxTokens;
}

/**
 * One tenant's step of a token store's `reseal()`, run inside the tenant's lock once the caller has
 * seen its row sealed under another key: loads the tokens (opening them under any configured key) and
 * saves them again, sealed under the first key. Tokens no configured key opens, or a damaged row, are
 * `unreadable` (named by the caller, left as they are); no row is `absent`.
 */
export async function resealTenant(
  store: Pick<TokenStore, 'load' | 'save'>,
  tenantId: string,
): Promise<'resealed' | 'unreadable' | 'absent'> {
  let tokens: Awaited<ReturnType<TokenStore['load']>>;
  try {
    tokens = await store.load(tenantId);
  } catch (error) {
    if (isStorageError(error) && (error.code === 'token-key' || error.code === 'corrupt-row')) {
      return 'unreadable';
    }
    throw error;
  }
  if (tokens === undefined) return 'absent';
  await store.save(tenantId, tokens);
  return 'resealed';
}
