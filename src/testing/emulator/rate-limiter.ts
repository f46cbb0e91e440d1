import type { ResolvedRateLimitOptions } from './options.js';

/** The outcome of asking the limiter for one request. */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** A sliding-window limiter keyed by tenant and client id, like Fortnox's. */
export type RateLimiter = {
  take(key: string): RateDecision;
  clear(): void;
};

/** Creates a limiter; refused requests do not use up budget. */
export function createRateLimiter(
  settings: ResolvedRateLimitOptions,
  now: () => number,
): RateLimiter {
  const windows = new Map<string, number[]>();
  return {
    take(key) {
      const at = now();
      const recent = (windows.get(key) ?? []).filter((time) => time > at - settings.windowMs);
      windows.set(key, recent);
      if (recent.length < settings.limit) {
        recent.push(at);
        return { allowed: true };
      }
      const oldest = recent[0] ?? at;
      const waitMs = oldest + settings.windowMs - at;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
    clear: () => windows.clear(),
  };
}
