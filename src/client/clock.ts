/**
 * Time as the client sees it. Injectable so the rate limiter and back-off can be driven by a fake
 * clock in tests; the default uses the monotonic `performance.now()` and real timers.
 */
export type Clock = {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /** Runs `callback` after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a pending {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
};

/** The longest timer delay: beyond 2^31 − 1 ms (about 24.8 days) timers fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The real clock: `performance.now()` and the global timers. */
export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** An `AbortError` for `signal`: its own reason when it has one. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * Waits `ms` on `clock`; rejects with the signal's reason as soon as `signal` aborts.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(abortReason(signal as AbortSignal));
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
