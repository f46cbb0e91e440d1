import type { DEFAULT_REFRESH_SKEW_MS } from './defaults.js';
import type { TokenStore } from './token-store.js';

/** A fixed access token (scripts, tests). The client cannot renew it; a 401 is final. */
export type AccessTokenAuth = {
  readonly type: 'access-token';
  /** The bearer token. */
  readonly accessToken: string;
  /** The tenant id, for the rate-limit key; read from the token when it is a JWT. */
  readonly tenantId?: string;
};

/**
 * OAuth2 authorization-code connection: the client refreshes the access token itself (ahead of
 * expiry and after a 401), one refresh per tenant at a time, saving the new single-use refresh token
 * through `tokenStore` before it uses the new access token.
 */
export type RefreshTokenAuth = {
  readonly type: 'refresh-token';
  /** Your Fortnox app's client id. */
  readonly clientId: string;
  /** Your Fortnox app's client secret. */
  readonly clientSecret: string;
  /** The tenant this client talks to; the key of its tokens in `tokenStore`. */
  readonly tenantId: string;
  /** Where the tokens live (see {@link createMemoryTokenStore}). */
  readonly tokenStore: TokenStore;
  /**
   * Refresh this many ms before the access token expires (at most half a new token's life).
   * @defaultValue {@link DEFAULT_REFRESH_SKEW_MS}
   */
  readonly refreshSkewMs?: number;
};

/** Service account (`account_type=service`): tokens come from `grant_type=client_credentials`. */
export type ClientCredentialsAuth = {
  readonly type: 'client-credentials';
  /** Your Fortnox app's client id. */
  readonly clientId: string;
  /** Your Fortnox app's client secret. */
  readonly clientSecret: string;
  /** The tenant id, sent as the `TenantId` header of the token request. */
  readonly tenantId: string;
  /**
   * Fetch a new token this many ms before the current one expires.
   * @defaultValue {@link DEFAULT_REFRESH_SKEW_MS}
   */
  readonly refreshSkewMs?: number;
};

/** How the client authenticates: one of three strategies, discriminated by `type`. */
export type FortnoxAuth = AccessTokenAuth | RefreshTokenAuth | ClientCredentialsAuth;

const EXAMPLES: Record<FortnoxAuth['type'], string> = {
  'access-token': "createFortnoxClient({ auth: { type: 'access-token', accessToken } })",
  'refresh-token':
    "createFortnoxClient({ auth: { type: 'refresh-token', clientId, clientSecret, tenantId, tokenStore: createMemoryTokenStore() } })",
  'client-credentials':
    "createFortnoxClient({ auth: { type: 'client-credentials', clientId, clientSecret, tenantId } })",
};

function fail(type: FortnoxAuth['type'], problem: string): never {
  throw new TypeError(`createFortnoxClient: ${problem}. Call it like ${EXAMPLES[type]}`);
}

function requireText(type: FortnoxAuth['type'], auth: object, field: string): void {
  const value = (auth as Record<string, unknown>)[field];
  if (typeof value !== 'string' || value.trim() === '') {
    fail(type, `auth.${field} must be a non-empty string for auth.type '${type}'`);
  }
}

function requireSkew(type: FortnoxAuth['type'], skew: unknown): void {
  if (skew !== undefined && !(typeof skew === 'number' && Number.isFinite(skew) && skew >= 0)) {
    fail(type, 'auth.refreshSkewMs must be a non-negative number of milliseconds');
  }
}

/** Checks an auth configuration at construction; throws a TypeError showing the correct call. */
export function assertValidAuth(auth: unknown): asserts auth is FortnoxAuth {
  if (typeof auth !== 'object' || auth === null) {
    throw new TypeError(
      `createFortnoxClient: options.auth is required. Call it like ${EXAMPLES['refresh-token']}`,
    );
  }
  const type = (auth as { type?: unknown }).type;
  switch (type) {
    case 'access-token':
      requireText(type, auth, 'accessToken');
      return;
    case 'refresh-token': {
      for (const field of ['clientId', 'clientSecret', 'tenantId']) requireText(type, auth, field);
      const store = (auth as { tokenStore?: unknown }).tokenStore as
        | Partial<TokenStore>
        | undefined;
      if (typeof store?.load !== 'function' || typeof store.save !== 'function') {
        fail(type, 'auth.tokenStore must have load(tenantId) and save(tenantId, tokens)');
      }
      requireSkew(type, (auth as { refreshSkewMs?: unknown }).refreshSkewMs);
      return;
    }
    case 'client-credentials':
      for (const field of ['clientId', 'clientSecret', 'tenantId']) requireText(type, auth, field);
      requireSkew(type, (auth as { refreshSkewMs?: unknown }).refreshSkewMs);
      return;
    default:
      throw new TypeError(
        `createFortnoxClient: auth.type must be 'access-token', 'refresh-token' or 'client-credentials'. Call it like ${EXAMPLES['refresh-token']}`,
      );
  }
}
