import { z } from 'zod';
import type { FortnoxTokens } from '../client/token-store.js';
import { StorageError } from './storage-error.js';
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
