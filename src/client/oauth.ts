import { err, errAsync, ok, type Result, ResultAsync } from 'neverthrow';
import { SYSTEM_CLOCK } from './clock.js';
import { DEFAULT_AUTH_BASE_URL, DEFAULT_RETRY_OPTIONS, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { createValidationError } from './error-factory.js';
import { type FortnoxError, FortnoxInvalidResponseError } from './errors.js';
import { parseBaseUrl } from './options.js';
import { postOAuthForm, requestTokens, type TokenEndpointContext } from './token-endpoint.js';
import type { FortnoxTokens } from './token-store.js';
import { createTransport, type FetchFunction } from './transport.js';

/** Options of {@link buildAuthorizationUrl}. */
export type AuthorizationUrlOptions = {
  /** Your Fortnox app's client id. */
  readonly clientId: string;
  /** Where Fortnox sends the user back (must match the app's registered URI). */
  readonly redirectUri: string;
  /** Scopes to ask for, e.g. `['customer', 'companyinformation']`. */
  readonly scopes: readonly string[];
  /** Opaque anti-CSRF value you check when the user comes back. */
  readonly state: string;
  /**
   * `'service'` asks an admin to consent to a service account (client credentials).
   * @defaultValue absent: a user consents for themselves
   */
  readonly accountType?: 'service';
  /** OAuth2 base URL. @defaultValue {@link DEFAULT_AUTH_BASE_URL} */
  readonly authBaseUrl?: string;
};

/** What every call to the OAuth2 server accepts besides its own fields. */
export type OAuthCallOptions = {
  /** Your Fortnox app's client id. */
  readonly clientId: string;
  /** Your Fortnox app's client secret. */
  readonly clientSecret: string;
  /** OAuth2 base URL. @defaultValue {@link DEFAULT_AUTH_BASE_URL} */
  readonly authBaseUrl?: string;
  /** Per-attempt timeout in ms. @defaultValue {@link DEFAULT_TIMEOUT_MS} */
  readonly timeoutMs?: number;
  /** Abort the call. */
  readonly signal?: AbortSignal;
  /** The fetch to send with. @defaultValue `globalThis.fetch` */
  readonly fetch?: FetchFunction;
};

/** Options of {@link exchangeAuthorizationCode}. */
export type ExchangeAuthorizationCodeOptions = OAuthCallOptions & {
  /** The `code` Fortnox passed to your redirect URI (valid 10 minutes). */
  readonly code: string;
  /** The same redirect URI as in the authorization URL. */
  readonly redirectUri: string;
};

/** Options of {@link revokeToken}. */
export type RevokeTokenOptions = OAuthCallOptions & {
  /** The token to revoke. */
  readonly token: string;
  /** Which kind of token it is. @defaultValue `'refresh_token'` */
  readonly tokenTypeHint?: 'refresh_token' | 'access_token';
};

function requireText(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${fn}: ${name} must be a non-empty string`);
  }
}

/**
 * The URL to send a person to so they connect their Fortnox account (authorization-code flow).
 * @example
 * buildAuthorizationUrl({ clientId, redirectUri: 'https://app.example/cb', scopes: ['customer'], state })
 */
export function buildAuthorizationUrl(options: AuthorizationUrlOptions): string {
  const fn = 'buildAuthorizationUrl';
  requireText(fn, 'clientId', options.clientId);
  requireText(fn, 'redirectUri', options.redirectUri);
  requireText(fn, 'state', options.state);
  if (!Array.isArray(options.scopes) || options.scopes.length === 0) {
    throw new TypeError(`${fn}: scopes must list at least one scope, e.g. scopes: ['customer']`);
  }
  for (const scope of options.scopes) {
    if (typeof scope !== 'string' || !/^[a-z0-9_]+$/i.test(scope)) {
      throw new TypeError(`${fn}: every scope must be a single word, e.g. 'customer'`);
    }
  }
  const base = parseBaseUrl('authBaseUrl', options.authBaseUrl ?? DEFAULT_AUTH_BASE_URL);
  const url = new URL('/oauth-v1/auth', base);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('scope', options.scopes.join(' '));
  url.searchParams.set('state', options.state);
  url.searchParams.set('access_type', 'offline');
  url.searchParams.set('response_type', 'code');
  if (options.accountType === 'service') url.searchParams.set('account_type', 'service');
  return url.toString();
}

function contextOf(options: OAuthCallOptions): TokenEndpointContext {
  requireText('fortnox oauth', 'clientId', options.clientId);
  requireText('fortnox oauth', 'clientSecret', options.clientSecret);
  return {
    transport: createTransport(options.fetch),
    authBaseUrl: parseBaseUrl('authBaseUrl', options.authBaseUrl ?? DEFAULT_AUTH_BASE_URL),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: DEFAULT_RETRY_OPTIONS,
    clock: SYSTEM_CLOCK,
    random: Math.random,
    now: Date.now,
  };
}

/**
 * Trades the authorization `code` for tokens. Save them with your {@link TokenStore} under
 * `tokens.tenantId` (read from the access token) before using them.
 */
export function exchangeAuthorizationCode(
  options: ExchangeAuthorizationCodeOptions,
): ResultAsync<FortnoxTokens, FortnoxError> {
  if (typeof options.code !== 'string' || options.code.trim() === '') {
    return errAsync(createValidationError('code', 'must be a non-empty string'));
  }
  requireText('exchangeAuthorizationCode', 'redirectUri', options.redirectUri);
  const context = contextOf(options);
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: options.code,
    redirect_uri: options.redirectUri,
  });
  const exchange = requestTokens(context, form, {}, options.signal).then(
    (answer): Result<FortnoxTokens, FortnoxError> => {
      if (answer.isErr()) return err(answer.error);
      const { refreshToken, ...rest } = answer.value;
      if (refreshToken !== undefined) return ok({ ...rest, refreshToken });
      return err(
        new FortnoxInvalidResponseError({
          status: 200,
          retryable: false,
          issues: [{ path: ['refresh_token'], code: 'invalid_type', message: 'missing' }],
          request: { method: 'POST', path: '/oauth-v1/token' },
          message: 'Fortnox answered the code exchange without a refresh token.',
        }),
      );
    },
  );
  return new ResultAsync(exchange);
}

/** Revokes a refresh (or access) token, e.g. when a user disconnects. */
export function revokeToken(options: RevokeTokenOptions): ResultAsync<void, FortnoxError> {
  if (typeof options.token !== 'string' || options.token.trim() === '') {
    return errAsync(createValidationError('token', 'must be a non-empty string'));
  }
  const context = contextOf(options);
  const form = new URLSearchParams({
    token_type_hint: options.tokenTypeHint ?? 'refresh_token',
    token: options.token,
  });
  return new ResultAsync(
    postOAuthForm(context, '/oauth-v1/revoke', form, {}, options.signal).then((answer) =>
      answer.map(() => undefined),
    ),
  );
}
