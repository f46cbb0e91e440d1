/**
 * Every default of the Fortnox client, in one place. Options left out fall back to these;
 * `normalizeClientOptions` and the limiter, retry and OAuth helpers apply them.
 */
import type { ResolvedRetryOptions } from './retry-policy.js';

/** Fortnox's REST API. */
export const DEFAULT_API_BASE_URL = 'https://api.fortnox.se';
/** Fortnox's OAuth2 server (authorize, token, revoke). */
export const DEFAULT_AUTH_BASE_URL = 'https://apps.fortnox.se';
/** Per-attempt timeout, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Rate-limit key when no tenant id is known (one client, one tenant). */
export const DEFAULT_RATE_LIMIT_KEY = 'default';
/** Refresh two minutes before expiry by default. */
export const DEFAULT_REFRESH_SKEW_MS = 120_000;
/** Access-token lifetime assumed when the token endpoint does not say (`expires_in`), in seconds. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/**
 * Fortnox allows 25 requests per sliding 5 s window per tenant, counted when a request arrives.
 * Not 24: the field reports of 429s at 25 (and none at 24) came from limiters that count at send time,
 * so a request slowed by a new TLS connection lands in the next window; the built-in limiter holds
 * every slot until its response has arrived, which makes that impossible, and 24 would give away 4 %.
 */
export const DEFAULT_RATE_LIMIT = 25;
/** Fortnox's sliding window: 5 seconds. */
export const DEFAULT_RATE_WINDOW_MS = 5000;
/**
 * Default extra time a slot stays counted after its response arrived: none. (Until 0.1 it was 150 ms
 * after the send, a guess at latency that a cold TLS connection exceeded; slots now last until the
 * response, so latency needs no margin.)
 */
export const DEFAULT_RATE_SAFETY_MARGIN_MS = 0;
/** The retry defaults. */
export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};
