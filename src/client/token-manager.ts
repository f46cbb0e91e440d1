import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { FortnoxAuth } from './auth-options.js';
import { DEFAULT_REFRESH_SKEW_MS } from './defaults.js';
import { FortnoxAuthError, type FortnoxError } from './errors.js';
import { requestTokens, type TokenEndpointContext } from './token-endpoint.js';
import type { FortnoxTokens, TokenStore } from './token-store.js';
import { createAbortedError } from './transport-errors.js';

/** Hands out access tokens and renews them when it can. */
export type TokenManager = {
  /** A usable access token, renewed first when it is expired, about to expire or was rejected. */
  getAccessToken(signal?: AbortSignal): Promise<Result<string, FortnoxError>>;
  /** Marks `accessToken` as rejected (a 401); the next {@link TokenManager.getAccessToken} renews. */
  invalidate(accessToken: string): void;
  /** False for a fixed token: a 401 is then final. */
  readonly canRenew: boolean;
};

const StoredTokensSchema = z.looseObject({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.number().finite(),
});

type Flight = Promise<Result<FortnoxTokens, FortnoxError>>;

function storeError(operation: string, cause: unknown): FortnoxAuthError {
  return new FortnoxAuthError({
    reason: 'token-store-failed',
    reconnectRequired: false,
    retryable: true,
    cause,
    message: `The token store failed to ${operation}; the new access token was not used.`,
  });
}

/** Waits for `flight` unless `signal` aborts first (the flight itself goes on for other callers). */
function raceAbort<T>(flight: Promise<Result<T, FortnoxError>>, signal: AbortSignal | undefined) {
  if (signal === undefined) return flight;
  if (signal.aborted) return Promise.resolve(err(createAbortedError(undefined, signal.reason)));
  return new Promise<Result<T, FortnoxError>>((resolve) => {
    const onAbort = () => resolve(err(createAbortedError(undefined, signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    void flight.then((result) => {
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    });
  });
}

/**
 * Shared core of the renewing managers: one renewal in flight at a time (single-flight), renewed
 * ahead of expiry by `skewMs` and after a rejection.
 */
function createRenewingManager(
  skewMs: number,
  now: () => number,
  renew: (current: { rejected: string | undefined }) => Flight,
): TokenManager {
  let cached: FortnoxTokens | undefined;
  let renewAt = 0;
  let rejected: string | undefined;
  let inflight: Flight | undefined;
  return {
    canRenew: true,
    async getAccessToken(signal) {
      if (cached !== undefined && cached.accessToken !== rejected && renewAt > now()) {
        return ok(cached.accessToken);
      }
      if (inflight === undefined) {
        inflight = renew({ rejected }).then((result) => {
          inflight = undefined;
          if (result.isOk()) {
            cached = result.value;
            // A token living shorter than twice the skew is used for half its life, not renewed per call.
            const left = cached.expiresAt - now();
            renewAt = cached.expiresAt - Math.min(skewMs, left / 2);
          }
          return result;
        });
      }
      const result = await raceAbort(inflight, signal);
      return result.map((tokens) => tokens.accessToken);
    },
    invalidate(accessToken) {
      rejected = accessToken;
    },
  };
}

/** A fixed access token: never renewed. */
function createStaticTokenManager(accessToken: string): TokenManager {
  const token = Promise.resolve(ok<string, FortnoxError>(accessToken));
  return {
    canRenew: false,
    getAccessToken: () => token,
    invalidate: () => undefined,
  };
}

/**
 * The refresh-token manager. Inside the store's lock (when it has one) it re-reads the stored tokens,
 * skips the refresh when another holder already renewed them, and otherwise refreshes and saves the
 * new single-use refresh token *before* the new access token is handed out. A failed save fails the
 * call; the unsaved tokens are kept in memory and saved again on the next call. A refresh whose answer
 * was lost is retried with the same refresh token: if Fortnox had already consumed it, the retry gets
 * `invalid_grant` (reconnect), which is no worse than not retrying. A refresh token that got
 * `invalid_grant` is never sent again: later calls fail at once until the store holds a new one.
 */
function createRefreshTokenManager(
  tenantId: string,
  store: TokenStore,
  skewMs: number,
  endpoint: TokenEndpointContext,
): TokenManager {
  let unsaved: FortnoxTokens | undefined;
  // The refresh token Fortnox declared dead, and its error: never sent again (no retry loop).
  let dead: { readonly refreshToken: string; readonly error: FortnoxError } | undefined;
  const save = async (tokens: FortnoxTokens): Promise<Result<FortnoxTokens, FortnoxError>> => {
    try {
      await store.save(tenantId, tokens);
    } catch (cause) {
      unsaved = tokens;
      return err(storeError('save the refreshed tokens', cause));
    }
    unsaved = undefined;
    return ok(tokens);
  };
  const refresh = async (
    rejected: string | undefined,
  ): Promise<Result<FortnoxTokens, FortnoxError>> => {
    if (unsaved !== undefined) return save(unsaved);
    let loaded: unknown;
    try {
      loaded = await store.load(tenantId);
    } catch (cause) {
      return err(storeError('load the tokens', cause));
    }
    if (loaded === undefined || loaded === null) {
      return err(
        new FortnoxAuthError({
          reason: 'missing-tokens',
          reconnectRequired: true,
          retryable: false,
          message:
            'The token store has no tokens for this tenant; connect the Fortnox account first.',
        }),
      );
    }
    const stored = StoredTokensSchema.safeParse(loaded);
    if (!stored.success) return err(storeError('return well-formed tokens', undefined));
    const current = loaded as FortnoxTokens;
    const fresh = current.accessToken !== rejected && current.expiresAt - skewMs > endpoint.now();
    if (fresh) return ok(current);
    // Until a person reconnects (the store then holds another refresh token), fail at once.
    if (dead?.refreshToken === current.refreshToken) return err(dead.error);
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: current.refreshToken,
    });
    const answer = await requestTokens(endpoint, form, {}, undefined);
    if (answer.isErr()) {
      const { error } = answer;
      if (error.kind === 'auth' && error.reason === 'invalid-grant') {
        dead = { refreshToken: current.refreshToken, error };
      }
      return err(error);
    }
    const { refreshToken, ...rest } = answer.value;
    // Fortnox always rotates the refresh token; keep the old one if an answer ever lacks it.
    return save({ ...rest, refreshToken: refreshToken ?? current.refreshToken });
  };
  return createRenewingManager(skewMs, endpoint.now, async ({ rejected }) => {
    const run = () => refresh(rejected);
    if (store.lock === undefined) return run();
    // A lock that throws (even synchronously) fails this renewal only, never later ones.
    try {
      return await store.lock(tenantId, run);
    } catch (cause) {
      return err(storeError('lock the tenant', cause));
    }
  });
}

/** The client-credentials manager (service accounts): tokens kept in memory, fetched when needed. */
function createClientCredentialsTokenManager(
  tenantId: string,
  skewMs: number,
  endpoint: TokenEndpointContext,
): TokenManager {
  return createRenewingManager(skewMs, endpoint.now, async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const answer = await requestTokens(endpoint, form, { TenantId: tenantId }, undefined);
    return answer.map((issued) => ({ ...issued, refreshToken: issued.refreshToken ?? '' }));
  });
}

/** The manager for an auth strategy. */
export function createTokenManager(
  auth: FortnoxAuth,
  endpoint: (clientId: string, clientSecret: string) => TokenEndpointContext,
): TokenManager {
  switch (auth.type) {
    case 'access-token':
      return createStaticTokenManager(auth.accessToken);
    case 'refresh-token':
      return createRefreshTokenManager(
        auth.tenantId,
        auth.tokenStore,
        auth.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS,
        endpoint(auth.clientId, auth.clientSecret),
      );
    case 'client-credentials':
      return createClientCredentialsTokenManager(
        auth.tenantId,
        auth.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS,
        endpoint(auth.clientId, auth.clientSecret),
      );
  }
}
