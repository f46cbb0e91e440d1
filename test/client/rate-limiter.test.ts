import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSlidingWindowRateLimiter,
  type SlidingWindowRateLimiterOptions,
} from '../../src/client/index.js';
import { createManualClock, flush } from './support/clocks.js';
import { maxInAnyWindow } from './support/windows.js';

/** A limiter on a manual clock: `advance(ms)` moves time and lets due waiters through. */
function manualLimiter(options: Omit<SlidingWindowRateLimiterOptions, 'clock'> = {}) {
  const { clock, advance } = createManualClock();
  return { limiter: createSlidingWindowRateLimiter({ ...options, clock }), clock, advance };
}

describe('createSlidingWindowRateLimiter', () => {
  it('grants `limit` slots at once, then the next one a full window (+ margin) after the first', async () => {
    const { limiter, clock, advance } = manualLimiter({
      limit: 3,
      windowMs: 1000,
      safetyMarginMs: 50,
    });
    const granted: number[] = [];
    for (let i = 0; i < 4; i += 1) void limiter.acquire('t').then(() => granted.push(clock.now()));
    await flush();
    expect(granted).toEqual([0, 0, 0]);
    await advance(1049);
    expect(granted).toHaveLength(3);
    await advance(1);
    expect(granted).toEqual([0, 0, 0, 1050]);
  });

  it('never lets more than `limit` requests start in any window, whatever the arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }),
        async (limit, gaps) => {
          const { limiter, clock, advance } = manualLimiter({
            limit,
            windowMs: 500,
            safetyMarginMs: 0,
          });
          const starts: number[] = [];
          for (const gap of gaps) {
            void limiter.acquire('tenant').then(() => starts.push(clock.now()));
            await advance(gap);
          }
          await advance(500 * (gaps.length + 1));
          expect(starts).toHaveLength(gaps.length);
          expect(maxInAnyWindow(starts, 500)).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('runs at the ceiling: 25 per 5 s over a minute of demand', async () => {
    const { limiter, clock, advance } = manualLimiter();
    const starts: number[] = [];
    for (let i = 0; i < 300; i += 1)
      void limiter.acquire('tenant').then(() => starts.push(clock.now()));
    await advance(60_000);
    expect(maxInAnyWindow(starts, 5000)).toBe(25);
    // 25 per 5150 ms (default margin): 11 full windows in a minute, then the 12th batch.
    expect(starts.length).toBe(300);
  });

  it('serves waiters first come, first served', async () => {
    const { limiter, advance } = manualLimiter({
      limit: 1,
      windowMs: 100,
      safetyMarginMs: 0,
    });
    const order: number[] = [];
    for (let i = 0; i < 5; i += 1) void limiter.acquire('t').then(() => order.push(i));
    await advance(1000);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps a separate budget per key', async () => {
    const { limiter } = manualLimiter({ limit: 1, windowMs: 100 });
    const granted: string[] = [];
    void limiter.acquire('a').then(() => granted.push('a1'));
    void limiter.acquire('a').then(() => granted.push('a2'));
    void limiter.acquire('b').then(() => granted.push('b1'));
    await flush();
    expect(granted).toEqual(['a1', 'b1']);
  });

  it('rejects a waiter whose signal aborts, and the next waiter moves up', async () => {
    const { limiter, advance } = manualLimiter({
      limit: 1,
      windowMs: 100,
      safetyMarginMs: 0,
    });
    await limiter.acquire('t');
    const controller = new AbortController();
    const aborted = limiter.acquire('t', controller.signal);
    const next = limiter.acquire('t');
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    let nextGranted = false;
    void next.then(() => {
      nextGranted = true;
    });
    await advance(100);
    expect(nextGranted).toBe(true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = createSlidingWindowRateLimiter();
    await expect(limiter.acquire('t', AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('grants nothing while paused after a 429', async () => {
    const { limiter, advance } = manualLimiter({ limit: 10, windowMs: 100 });
    limiter.pause('t', 2000);
    let granted = false;
    void limiter.acquire('t').then(() => {
      granted = true;
    });
    await advance(1999);
    expect(granted).toBe(false);
    await advance(1);
    expect(granted).toBe(true);
  });

  it('throws at construction on nonsense settings, showing the correct call', () => {
    expect(() => createSlidingWindowRateLimiter({ limit: 0 })).toThrow(/limit: 25, windowMs: 5000/);
    expect(() => createSlidingWindowRateLimiter({ limit: 2.5 })).toThrow(RangeError);
    expect(() => createSlidingWindowRateLimiter({ windowMs: -1 })).toThrow(RangeError);
    expect(() => createSlidingWindowRateLimiter({ safetyMarginMs: Number.NaN })).toThrow(
      RangeError,
    );
  });

  it('waits out a window longer than the longest timer in steps, never granting early', async () => {
    const { clock, advance } = createManualClock();
    const delays: number[] = [];
    const recording = {
      ...clock,
      setTimeout: (callback: () => void, ms: number) => {
        delays.push(ms);
        return clock.setTimeout(callback, ms);
      },
    };
    const day = 86_400_000;
    const limiter = createSlidingWindowRateLimiter({
      limit: 1,
      windowMs: 30 * day,
      clock: recording,
    });
    await limiter.acquire('t');
    let granted = false;
    void limiter.acquire('t').then(() => {
      granted = true;
    });
    await advance(25 * day);
    expect(granted).toBe(false);
    await advance(5 * day + 150);
    expect(granted).toBe(true);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('halves the budget after a 429 pause (once per storm), then regrows it by one per window', async () => {
    const { limiter, clock, advance } = manualLimiter({
      limit: 4,
      windowMs: 1000,
      safetyMarginMs: 0,
    });
    for (let i = 0; i < 4; i += 1) await limiter.acquire('t');
    // Three 429s of one burst: one cut, 4 → 2.
    for (let i = 0; i < 3; i += 1) limiter.pause('t', 100);
    const granted: number[] = [];
    for (let i = 0; i < 10; i += 1) void limiter.acquire('t').then(() => granted.push(clock.now()));
    await advance(3000);
    // One window after the cut the budget is 3, a window later 4 again.
    expect(granted).toEqual([1000, 1000, 1000, 2000, 2000, 2000, 2000, 3000, 3000, 3000]);
  });
});
