import { assertValidAuth, type FortnoxAuth } from './auth-options.js';
import { type Clock, MAX_TIMER_MS, SYSTEM_CLOCK } from './clock.js';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_AUTH_BASE_URL,
  DEFAULT_RATE_LIMIT_KEY,
  DEFAULT_RETRY_OPTIONS,
  DEFAULT_TIMEOUT_MS,
} from './defaults.js';
import { type FortnoxClientHooks, type Logger, SILENT_LOGGER } from './hooks.js';
import { decodeAccessTokenClaims } from './jwt.js';
import { assertSupportedNode } from './node-version.js';
import {
  createSlidingWindowRateLimiter,
  type RateLimiter,
  type SlidingWindowRateLimiterOptions,
} from './rate-limiter.js';
import type { ResolvedRetryOptions, RetryOptions } from './retry-policy.js';
import type { FetchFunction } from './transport.js';

/** Rate limiting: the built-in limiter's settings, or your own (shared) limiter — not both. */
export type FortnoxRateLimitOptions =
  | {
      /**
       * Settings of the built-in per-client sliding-window limiter.
       * @defaultValue `{ limit: 25, windowMs: 5000, safetyMarginMs: 0 }`
       */
      readonly rateLimit?: Omit<SlidingWindowRateLimiterOptions, 'clock'>;
      readonly rateLimiter?: never;
    }
  | {
      /**
       * A limiter shared with other clients or processes (e.g. over Postgres).
       * @defaultValue a new sliding-window limiter for this client alone
       */
      readonly rateLimiter: RateLimiter;
      readonly rateLimit?: never;
    };

/** Options of {@link createFortnoxClient}. Only `auth` is required. */
export type FortnoxClientOptions = FortnoxRateLimitOptions & {
  /** How to authenticate. */
  readonly auth: FortnoxAuth;
  /** API base URL (HTTPS; `http://localhost` is allowed for emulators). @defaultValue {@link DEFAULT_API_BASE_URL} */
  readonly apiBaseUrl?: string;
  /** OAuth2 base URL. @defaultValue {@link DEFAULT_AUTH_BASE_URL} */
  readonly authBaseUrl?: string;
  /** Per-attempt timeout in ms (override per call). @defaultValue {@link DEFAULT_TIMEOUT_MS} */
  readonly timeoutMs?: number;
  /** Retry settings. @defaultValue {@link DEFAULT_RETRY_OPTIONS} */
  readonly retry?: RetryOptions;
  /** Key of this client's tenant in the limiter. @defaultValue the tenant id, else `'default'` */
  readonly rateLimitKey?: string;
  /** Event callbacks. @defaultValue none */
  readonly hooks?: FortnoxClientHooks;
  /** Where to log. @defaultValue silent */
  readonly logger?: Logger;
  /** The fetch to send with. @defaultValue `globalThis.fetch` */
  readonly fetch?: FetchFunction;
  /** Time source for the limiter and back-off (tests). @defaultValue the system clock */
  readonly clock?: Clock;
  /** Random source in [0, 1) for jitter (tests). @defaultValue `Math.random` */
  readonly random?: () => number;
};

/** {@link FortnoxClientOptions} with every default applied. */
export type ResolvedFortnoxClientOptions = {
  readonly auth: FortnoxAuth;
  readonly apiBaseUrl: URL;
  readonly authBaseUrl: URL;
  readonly timeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly rateLimiter: RateLimiter;
  readonly rateLimitKey: string;
  readonly hooks: FortnoxClientHooks;
  readonly logger: Logger;
  readonly fetch: FetchFunction | undefined;
  readonly clock: Clock;
  readonly random: () => number;
};

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Parses a base URL; only HTTPS, or plain HTTP to localhost / 127.0.0.1 (tests, emulator), passes.
 * Throws a TypeError naming the option otherwise.
 */
export function parseBaseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(
      `createFortnoxClient: ${name} must be an absolute URL, e.g. '${DEFAULT_API_BASE_URL}'`,
    );
  }
  const local = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    throw new TypeError(
      `createFortnoxClient: ${name} must use https:// (plain http is allowed only for http://localhost or http://127.0.0.1), e.g. '${DEFAULT_API_BASE_URL}'`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError(`createFortnoxClient: ${name} must not have a query or fragment`);
  }
  // The client appends `/3/customers` and `/oauth-v1/token` itself; a base ending in them would double them.
  const suffix = /\/(3|oauth-v1)\/?$/.exec(url.pathname)?.[1];
  if (suffix !== undefined) {
    const fixed = `${url.origin}${url.pathname.replace(/\/(3|oauth-v1)\/?$/, '')}`;
    throw new TypeError(
      `createFortnoxClient: ${name} must not end in '/${suffix}': the client adds '/${suffix}/…' itself. Write '${fixed}'`,
    );
  }
  return url;
}

function checkPositiveInteger(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= MAX_TIMER_MS)) {
    throw new RangeError(
      `createFortnoxClient: ${name} must be an integer from ${min} to ${MAX_TIMER_MS}`,
    );
  }
}

function resolveRetry(retry: RetryOptions | undefined): ResolvedRetryOptions {
  const resolved = { ...DEFAULT_RETRY_OPTIONS, ...stripUndefined(retry ?? {}) };
  checkPositiveInteger('retry.maxAttempts', resolved.maxAttempts, 1);
  checkPositiveInteger('retry.baseDelayMs', resolved.baseDelayMs, 0);
  checkPositiveInteger('retry.maxDelayMs', resolved.maxDelayMs, 0);
  checkPositiveInteger('retry.maxRetryAfterMs', resolved.maxRetryAfterMs, 0);
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function tenantOf(auth: FortnoxAuth): string | undefined {
  if (auth.type !== 'access-token') return auth.tenantId;
  return auth.tenantId ?? decodeAccessTokenClaims(auth.accessToken).tenantId;
}

/**
 * Checks options and applies every default. Misconfiguration is a programmer error: it throws a
 * TypeError/RangeError whose message shows the correct call.
 */
export function normalizeClientOptions(
  options: FortnoxClientOptions,
): ResolvedFortnoxClientOptions {
  assertSupportedNode('createFortnoxClient');
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      "createFortnoxClient: options are required, e.g. createFortnoxClient({ auth: { type: 'access-token', accessToken } })",
    );
  }
  assertValidAuth(options.auth);
  if (options.rateLimit !== undefined && options.rateLimiter !== undefined) {
    throw new TypeError(
      'createFortnoxClient: pass either rateLimit (settings) or rateLimiter (an instance), not both',
    );
  }
  checkPositiveInteger('timeoutMs', options.timeoutMs, 1);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const rateLimiter =
    options.rateLimiter ?? createSlidingWindowRateLimiter({ ...options.rateLimit, clock });
  return {
    auth: options.auth,
    apiBaseUrl: parseBaseUrl('apiBaseUrl', options.apiBaseUrl ?? DEFAULT_API_BASE_URL),
    authBaseUrl: parseBaseUrl('authBaseUrl', options.authBaseUrl ?? DEFAULT_AUTH_BASE_URL),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: resolveRetry(options.retry),
    rateLimiter,
    rateLimitKey: options.rateLimitKey ?? tenantOf(options.auth) ?? DEFAULT_RATE_LIMIT_KEY,
    hooks: options.hooks ?? {},
    logger: options.logger ?? SILENT_LOGGER,
    fetch: options.fetch,
    clock,
    random: options.random ?? Math.random,
  };
}
