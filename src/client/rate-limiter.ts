import { abortReason, type Clock, MAX_TIMER_MS, SYSTEM_CLOCK } from './clock.js';
import {
  DEFAULT_RATE_LIMIT,
  DEFAULT_RATE_SAFETY_MARGIN_MS,
  DEFAULT_RATE_WINDOW_MS,
} from './defaults.js';

/**
 * Ends a slot granted by {@link RateLimiter.acquire}: call it once, when the attempt's response has
 * arrived (or the attempt ended without one: timeout, network error, abort).
 */
export type RateLimitRelease = () => void | Promise<void>;

/**
 * Grants request slots per key (a Fortnox tenant). Implement it over shared storage (e.g. Postgres)
 * when several processes talk to one tenant; the client only needs these two calls.
 */
export type RateLimiter = {
  /**
   * Resolves when a request for `key` may be sent. Resolve with a {@link RateLimitRelease} to keep
   * the slot counted until the response has arrived (the client calls it then); resolve with nothing
   * to count the slot from now on only. Rejects with the signal's reason if `signal` aborts while
   * waiting.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a limiter written as `async acquire() {}` must still fit.
  acquire(key: string, signal?: AbortSignal): Promise<RateLimitRelease | void>;
  /**
   * Grants nothing for `key` during the next `durationMs` (called after each 429). A limiter may also
   * lower its budget for `key` then (the built-in one lowers it to what the server accepted).
   */
  pause(key: string, durationMs: number): void | Promise<void>;
};

/** The built-in {@link RateLimiter}: every granted slot comes with its release. */
export type SlidingWindowRateLimiter = {
  /** Resolves with the slot's release when a request for `key` may be sent (see {@link RateLimiter.acquire}). */
  acquire(key: string, signal?: AbortSignal): Promise<RateLimitRelease>;
  /** See {@link RateLimiter.pause}. */
  pause(key: string, durationMs: number): void;
};

/** Options of {@link createSlidingWindowRateLimiter}; every one is optional. */
export type SlidingWindowRateLimiterOptions = {
  /**
   * Requests allowed per window, per key. 25 is Fortnox's documented budget: the field reports of
   * 429s at 25 (and none at 24) come from counting at send time, which this limiter does not do.
   * @defaultValue {@link DEFAULT_RATE_LIMIT} (25)
   */
  limit?: number;
  /**
   * Window length in milliseconds.
   * @defaultValue {@link DEFAULT_RATE_WINDOW_MS} (5000)
   */
  windowMs?: number;
  /**
   * Extra milliseconds a slot stays counted after it ended (its response arrived). Latency needs no
   * margin, since a slot is held until the response; raise it only if Fortnox's clock is not to be
   * trusted to a window's precision.
   * @defaultValue {@link DEFAULT_RATE_SAFETY_MARGIN_MS} (0)
   */
  safetyMarginMs?: number;
  /** Time source; inject a fake one in tests. @defaultValue the system clock */
  clock?: Clock;
};

type Waiter = {
  readonly resolve: (release: RateLimitRelease) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
};

type KeyState = {
  /** Slots granted whose response has not arrived yet. */
  inFlight: number;
  /** When the slots still inside the window ended, oldest first. */
  ended: number[];
  /** Callers waiting for a slot, first come first served. */
  queue: Waiter[];
  pausedUntil: number;
  timer: unknown;
  /** When the 429s still inside the window came (each is also among `ended`), oldest first. */
  refused: number[];
  /** Slots allowed per window now: `limit`, lowered by 429s, growing back per clean window. */
  ceiling: number;
  /** The ceiling when the current pause (a run of 429s) began. */
  cutFrom: number;
  /** Below this the ceiling doubles per clean window, above it it grows by one. */
  threshold: number;
  /** When `ceiling` last changed. */
  changedAt: number;
};

function checkPositive(name: string, value: number, allowZero: boolean): void {
  const valid = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!valid) {
    throw new RangeError(
      `createSlidingWindowRateLimiter: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, e.g. createSlidingWindowRateLimiter({ limit: 25, windowMs: 5000 })`,
    );
  }
}

/**
 * An in-memory sliding-window limiter: at most `limit` slots per key, concurrent requests allowed,
 * waiters served in FIFO order, waiting abortable. A slot is counted from the moment it is granted
 * until a full window (+ margin) after its release, that is after its response arrived.
 *
 * Why that is exact under any latency: Fortnox counts a request at its arrival A, somewhere between
 * our send S and the response R. Take two requests whose arrivals lie less than a window apart, i
 * arriving first. If i was sent first, j was sent at S_j ≤ A_j < A_i + W ≤ R_i + W: inside i's slot.
 * If j was sent first, i was sent at S_i ≤ A_i ≤ A_j ≤ R_j: inside j's slot. So any `limit + 1`
 * requests Fortnox could count in one window have pairwise overlapping slots, hence (intervals)
 * one instant where all of them are held, which the limiter never allows. No margin is needed.
 * (An attempt that ends without an answer, e.g. a timeout, ends its slot then: a request reaching
 * Fortnox after the client gave up on it is beyond what any client can know.)
 *
 * A 429 (`pause`) lowers the key's budget to what the server accepted: the slots of the last window
 * less the refused ones (and at least one less than before the 429s), e.g. other processes use the
 * same tenant, or `limit` is set above the server's real one. 429s of one burst, arriving while the
 * key is paused, refine that figure as the burst's answers come in. Each window without a 429 then
 * grows the budget back by one slot, up to `limit` (after a single 429, which measures little, it
 * first doubles back up to half the budget it interrupted). So one stray 429 costs one slot for one
 * window, and a `limit` of 250 against Fortnox's 25 settles near 25 after one burst instead of a
 * 429 storm per window.
 * State lives in the returned object.
 * @example
 * const limiter = createSlidingWindowRateLimiter({ limit: 25, windowMs: 5000 });
 * const release = await limiter.acquire('tenant-42', signal);
 * try { await send(); } finally { release(); }
 */
export function createSlidingWindowRateLimiter(
  options: SlidingWindowRateLimiterOptions = {},
): SlidingWindowRateLimiter {
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
        inFlight: 0,
        ended: [],
        queue: [],
        pausedUntil: 0,
        timer: undefined,
        refused: [],
        ceiling: limit,
        cutFrom: limit,
        threshold: limit,
        changedAt: 0,
      };
      states.set(key, state);
    }
    return state;
  };

  /** When the budget next grows: a full window after the last change and the end of the pause. */
  const growAt = (state: KeyState): number =>
    state.ceiling < limit ? Math.max(state.changedAt, state.pausedUntil) + windowMs : Infinity;

  const prune = (state: KeyState, now: number): void => {
    while (state.ended.length > 0 && (state.ended[0] as number) + span <= now) state.ended.shift();
    while (state.refused.length > 0 && (state.refused[0] as number) + span <= now) {
      state.refused.shift();
    }
    while (growAt(state) <= now) {
      state.changedAt = growAt(state);
      const { ceiling, threshold } = state;
      state.ceiling = Math.min(
        limit,
        ceiling < threshold ? Math.min(threshold, ceiling * 2) : ceiling + 1,
      );
    }
  };

  /**
   * During a pause (a run of 429s): the budget is what the server accepted in the window (its slots
   * less the refused ones), at least one less than before the 429s and at least one.
   */
  const cut = (state: KeyState, now: number): void => {
    const accepted = state.ended.length - state.refused.length;
    state.ceiling = Math.max(1, Math.min(state.cutFrom - 1, accepted));
    // Several 429s in one window measured the server's budget: grow past it slowly. After a single
    // one (a stray, another process's burst) double back up to half the budget it interrupted.
    state.threshold =
      state.refused.length > 1
        ? state.ceiling
        : Math.max(state.ceiling, Math.floor(state.cutFrom / 2));
    state.changedAt = now;
  };

  const occupied = (state: KeyState): number => state.inFlight + state.ended.length;

  /** When the first waiter may go, given the state now; `Infinity` when only a release can tell. */
  const nextChange = (state: KeyState, now: number): number => {
    const paused = Math.max(now, state.pausedUntil);
    const excess = occupied(state) - state.ceiling;
    if (excess < 0) return paused;
    // The ended slot that must leave the window before one more fits under the ceiling.
    const freeAt = excess < state.ended.length ? (state.ended[excess] as number) + span : Infinity;
    return Math.max(paused, Math.min(freeAt, growAt(state)));
  };

  const slotOf = (key: string, state: KeyState): RateLimitRelease => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.inFlight -= 1;
      const now = clock.now();
      state.ended.push(now);
      // An answer during a pause: one more the server accepted (a 429's own pause follows at once).
      if (now < state.pausedUntil) cut(state, now);
      drain(key, state);
    };
  };

  /** Grants slots to waiters in order; arms one timer for when the next one may go. */
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
      const wakeAt = nextChange(state, now);
      if (wakeAt > now) {
        if (wakeAt === Infinity) return;
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
      state.inFlight += 1;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve(slotOf(key, state));
    }
    const idle =
      occupied(state) === 0 && state.refused.length === 0 && state.pausedUntil <= clock.now();
    if (idle && state.ceiling === limit) states.delete(key);
  };

  return {
    acquire(key, signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const state = stateOf(key);
      if (state.queue.length === 0) {
        // The common case: nobody waits and a slot is free now. Grant it without queueing a waiter
        // (what drain would do at once), so a request under the ceiling allocates next to nothing.
        const now = clock.now();
        prune(state, now);
        if (nextChange(state, now) <= now) {
          state.inFlight += 1;
          return Promise.resolve(slotOf(key, state));
        }
      }
      return new Promise<RateLimitRelease>((resolve, reject) => {
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
      prune(state, now);
      // The first 429 of a run: the budget it interrupted; later ones of the run refine the cut.
      if (now >= state.pausedUntil) state.cutFrom = state.ceiling;
      state.refused.push(now);
      cut(state, now);
      state.pausedUntil = Math.max(state.pausedUntil, now + durationMs);
      drain(key, state);
    },
  };
}
