import type { DEFAULT_RETRY_OPTIONS } from './defaults.js';

/** How the client retries; every field is optional in {@link RetryOptions}. */
export type RetryOptions = {
  /**
   * Attempts per call, the first one included (1 = never retry).
   * @defaultValue {@link DEFAULT_RETRY_OPTIONS}.maxAttempts (4)
   */
  maxAttempts?: number;
  /** Back-off before the first retry, in ms (doubles each retry). @defaultValue 500 */
  baseDelayMs?: number;
  /** Upper bound of one back-off, in ms. @defaultValue 30000 */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` the client waits out by itself; a longer one ends the call with a
   * `rate-limited` error carrying `retryAfterMs`. @defaultValue 60000
   */
  maxRetryAfterMs?: number;
};

/** {@link RetryOptions} with every field set. */
export type ResolvedRetryOptions = Readonly<Required<RetryOptions>>;

/** What went wrong with one attempt, as far as retrying is concerned. */
export type AttemptFailure =
  | { readonly type: 'rate-limited'; readonly retryAfterMs: number | undefined }
  | { readonly type: 'server-error'; readonly status: number }
  | { readonly type: 'network'; readonly sent: boolean }
  | { readonly type: 'timeout' };

/** The decision for one failed attempt. */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly outcomeUnknown: boolean; readonly delayMs?: number };

/** HTTP methods whose repetition cannot change the outcome (PUT is a partial update of set values). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** True when repeating `method` is safe after an ambiguous failure. */
export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * Exponential back-off with "equal jitter": half of the exponential delay is kept, the other half is
 * random, so retries spread out but never fire at once. `attempt` is the attempt that failed (1-based).
 */
export function computeBackoffDelay(
  attempt: number,
  options: ResolvedRetryOptions,
  random: () => number,
): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const half = exponential / 2;
  return Math.round(half + random() * half);
}

/**
 * Parses a `Retry-After` header (delay seconds or an HTTP date) into milliseconds from `nowMs`
 * (wall-clock epoch ms). Returns `undefined` when absent or unreadable; never negative.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date) || !/[a-z]/i.test(value)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Decides whether a failed attempt is retried and after how long. A non-idempotent request (POST)
 * is retried only when it was certainly not carried out: a 429, or a connection that never opened.
 */
export function decideRetry(
  method: string,
  failure: AttemptFailure,
  attempt: number,
  options: ResolvedRetryOptions,
  random: () => number,
): RetryDecision {
  const safeToRepeat =
    isIdempotentMethod(method) ||
    failure.type === 'rate-limited' ||
    (failure.type === 'network' && !failure.sent);
  if (!safeToRepeat) return { retry: false, outcomeUnknown: true };
  // A 429 means the window is full: back off from twice the base delay.
  const backoffOptions =
    failure.type === 'rate-limited'
      ? { ...options, baseDelayMs: options.baseDelayMs * 2 }
      : options;
  const backoff = computeBackoffDelay(attempt, backoffOptions, random);
  const delayMs =
    failure.type === 'rate-limited' && failure.retryAfterMs !== undefined
      ? failure.retryAfterMs
      : backoff;
  if (attempt >= options.maxAttempts) return { retry: false, outcomeUnknown: false, delayMs };
  if (delayMs > options.maxRetryAfterMs) return { retry: false, outcomeUnknown: false, delayMs };
  return { retry: true, delayMs };
}
