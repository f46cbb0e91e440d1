import { abortReason, type Clock, MAX_TIMER_MS, SYSTEM_CLOCK } from './clock.js';
import {
  DEFAULT_RATE_LIMIT,
  DEFAULT_RATE_SAFETY_MARGIN_MS,
  DEFAULT_RATE_WINDOW_MS,
} from './defaults.js';

/**
 * Grants request slots per key (a Fortnox tenant). Implement it over shared storage (e.g. Postgres)
 * when several processes talk to one tenant; the client only needs these two calls.
 */
export type RateLimiter = {
  /**
   * Resolves when a request for `key` may start (the start is then counted). Rejects with the
   * signal's reason if `signal` aborts while waiting.
   */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /**
   * Grants nothing for `key` during the next `durationMs` (called after a 429). A limiter may also
   * lower its budget for `key` then (the built-in one halves it).
   */
  pause(key: string, durationMs: number): void | Promise<void>;
};

/** Options of {@link createSlidingWindowRateLimiter}; every one is optional. */
export type SlidingWindowRateLimiterOptions = {
  /**
   * Requests allowed to start per window, per key.
   * @defaultValue {@link DEFAULT_RATE_LIMIT} (25, Fortnox's limit)
   */
  limit?: number;
  /**
   * Window length in milliseconds.
   * @defaultValue {@link DEFAULT_RATE_WINDOW_MS} (5000)
   */
  windowMs?: number;
  /**
   * Extra milliseconds a start stays counted, to absorb latency jitter between us and Fortnox.
   * @defaultValue {@link DEFAULT_RATE_SAFETY_MARGIN_MS}
   */
  safetyMarginMs?: number;
  /** Time source; inject a fake one in tests. @defaultValue the system clock */
  clock?: Clock;
};

type Waiter = {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
};

type KeyState = {
  /** Start times still inside the window, oldest first. */
  starts: number[];
  /** Callers waiting for a slot, first come first served. */
  queue: Waiter[];
  pausedUntil: number;
  timer: unknown;
  /** Starts allowed per window now: `limit`, halved by each 429 pause, regrowing by one per window. */
  ceiling: number;
  /** When `ceiling` last changed. */
  changedAt: number;
};

function checkPositive(name: string, value: number, allowZero: boolean): void {
  const valid = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!valid) {
    throw new RangeError(
      `createSlidingWindowRateLimiter: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, e.g. createSlidingWindowRateLimiter({ limit: 25, windowMs: 5000, safetyMarginMs: 150 })`,
    );
  }
}

/**
 * An in-memory sliding-window limiter: at most `limit` request starts per `windowMs` (+ margin) per
 * key, concurrent requests allowed, waiters served in FIFO order, waiting abortable. A slot frees
 * when the oldest counted start is a full window (+ margin) old. A 429 (`pause`) also halves the
 * key's budget, which then regrows by one per window without a 429: when other processes share the
 * tenant's budget, the client settles below the ceiling instead of releasing bursts into 429s.
 * State lives in the returned object.
 * @example
 * const limiter = createSlidingWindowRateLimiter({ limit: 25, windowMs: 5000 });
 * await limiter.acquire('tenant-42', signal);
 */
export function createSlidingWindowRateLimiter(
  options: SlidingWindowRateLimiterOptions = {},
): RateLimiter {
  const limit = options.limit ?? DEFAULT_RATE_LIMIT;
  const windowMs = options.windowMs ?? DEFAULT_RATE_WINDOW_MS;
  const margin = options.safetyMarginMs ?? DEFAULT_RATE_SAFETY_MARGIN_MS;
  const clock = options.clock ?? SYSTEM_CLOCK;
  if (!Number.isInteger(limit)) checkPositive('limit (an integer)', Number.NaN, false);
  checkPositive('limit', limit, false);
  checkPositive('windowMs', windowMs, false);
  checkPositive('safetyMarginMs', margin, true);
  const span = windowMs + margin;
  const states = new Map<string, KeyState>();

  const stateOf = (key: string): KeyState => {
    let state = states.get(key);
    if (state === undefined) {
      state = {
        starts: [],
        queue: [],
        pausedUntil: 0,
        timer: undefined,
        ceiling: limit,
        changedAt: 0,
      };
      states.set(key, state);
    }
    return state;
  };

  const prune = (state: KeyState, now: number): void => {
    while (state.starts.length > 0 && (state.starts[0] as number) + span <= now)
      state.starts.shift();
    const windows = Math.floor((now - state.changedAt) / span);
    if (state.ceiling < limit && windows > 0) {
      state.ceiling = Math.min(limit, state.ceiling + windows);
      state.changedAt += windows * span;
    }
  };

  /** Grants slots to waiters in order; arms one timer for when the next slot frees. */
  const drain = (key: string, state: KeyState): void => {
    if (state.timer !== undefined) {
      clock.clearTimeout(state.timer);
      state.timer = undefined;
    }
    for (;;) {
      const now = clock.now();
      prune(state, now);
      const waiter = state.queue[0];
      if (waiter === undefined) break;
      const { starts, ceiling } = state;
      if (now < state.pausedUntil || starts.length >= ceiling) {
        // The start that must leave the window before one more fits under the ceiling.
        const freeAt =
          starts.length >= ceiling
            ? (starts[starts.length - ceiling] as number) + span
            : state.pausedUntil;
        const wakeAt = Math.max(freeAt, state.pausedUntil);
        // A wait beyond the longest timer is re-armed when that timer fires.
        state.timer = clock.setTimeout(
          () => {
            state.timer = undefined;
            drain(key, state);
          },
          Math.min(wakeAt - now, MAX_TIMER_MS),
        );
        return;
      }
      state.queue.shift();
      state.starts.push(now);
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    const idle = state.starts.length === 0 && state.pausedUntil <= clock.now();
    if (idle && state.ceiling === limit) states.delete(key);
  };

  return {
    acquire(key, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortReason(signal));
          return;
        }
        const state = stateOf(key);
        const waiter: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const index = state.queue.indexOf(waiter);
            if (index >= 0) state.queue.splice(index, 1);
            reject(abortReason(signal as AbortSignal));
            // The head may have changed: let the next waiter re-evaluate.
            drain(key, state);
          },
        };
        signal?.addEventListener('abort', waiter.onAbort, { once: true });
        state.queue.push(waiter);
        if (state.queue.length === 1) drain(key, state);
      });
    },
    pause(key, durationMs) {
      if (!(durationMs > 0)) return;
      const state = stateOf(key);
      const now = clock.now();
      // One cut per storm: the 429s of calls already in flight arrive while paused.
      if (now >= state.pausedUntil) {
        state.ceiling = Math.max(1, Math.floor(state.ceiling / 2));
        state.changedAt = now;
      }
      state.pausedUntil = Math.max(state.pausedUntil, now + durationMs);
      drain(key, state);
    },
  };
}
