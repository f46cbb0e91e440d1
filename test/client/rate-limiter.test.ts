import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSlidingWindowRateLimiter,
  type RateLimiter,
  type SlidingWindowRateLimiterOptions,
} from '../../src/client/index.js';
import { createManualClock, flush } from './support/clocks.js';
import { maxInAnyWindow } from './support/windows.js';

/** A limiter on a manual clock: `advance(ms)` moves time and lets due waiters through. */
function manualLimiter(options: Omit<SlidingWindowRateLimiterOptions, 'clock'> = {}) {
  const { clock, advance } = createManualClock();
  return { limiter: createSlidingWindowRateLimiter({ ...options, clock }), clock, advance };
}

/** The limiter as it was before: a slot counted from its start only (released at once). */
function countingAtSend(limiter: ReturnType<typeof createSlidingWindowRateLimiter>): RateLimiter {
  return {
    acquire: async (key, signal) => {
      const release = await limiter.acquire(key, signal);
      release();
    },
    pause: (key, durationMs) => limiter.pause(key, durationMs),
  };
}

/** One request through `limiter` on a manual clock; the server counts it `upMs` after the grant. */
type Exchange = { readonly upMs: number; readonly downMs: number };

/**
 * Sends `exchanges` (all queued at time 0 with the given gaps) through `limiter`, the way the client
 * does: acquire, send, release when the response is in. Returns when the server counted each one.
 */
async function simulate(
  limiter: RateLimiter,
  clock: ReturnType<typeof createManualClock>['clock'],
  advance: (ms: number) => Promise<void>,
  exchanges: readonly (Exchange & { readonly gapMs: number })[],
  settleMs: number,
): Promise<number[]> {
  const arrivals: number[] = [];
  const wait = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  for (const { upMs, downMs, gapMs } of exchanges) {
    void (async () => {
      const release = await limiter.acquire('tenant');
      await wait(upMs);
      arrivals.push(clock.now());
      await wait(downMs);
      await release?.();
    })();
    await advance(gapMs);
  }
  await advance(settleMs);
  expect(arrivals).toHaveLength(exchanges.length);
  return arrivals;
}

describe('createSlidingWindowRateLimiter', () => {
  it('grants `limit` slots at once, then the next one a full window after the first response', async () => {
    const { limiter, clock, advance } = manualLimiter({ limit: 3, windowMs: 1000 });
    const granted: number[] = [];
    const releases = await Promise.all([0, 1, 2].map(() => limiter.acquire('t')));
    void limiter.acquire('t').then(() => granted.push(clock.now()));
    await advance(200);
    // The first response arrives 200 ms after its send: Fortnox may have counted it as late as that.
    releases[0]?.();
    await advance(1199 - 200);
    expect(granted).toEqual([]);
    await advance(1);
    expect(granted).toEqual([1200]);
  });

  it('keeps a slot counted while its request is in flight, however long that takes', async () => {
    const { limiter, clock, advance } = manualLimiter({ limit: 1, windowMs: 1000 });
    const release = await limiter.acquire('t');
    const granted: number[] = [];
    void limiter.acquire('t').then(() => granted.push(clock.now()));
    await advance(10_000);
    expect(granted).toEqual([]);
    release();
    release(); // a second call changes nothing
    await advance(1000);
    expect(granted).toEqual([11_000]);
  });

  it('adds `safetyMarginMs` after the response', async () => {
    const { limiter, clock, advance } = manualLimiter({
      limit: 1,
      windowMs: 1000,
      safetyMarginMs: 50,
    });
    const release = await limiter.acquire('t');
    const granted: number[] = [];
    void limiter.acquire('t').then(() => granted.push(clock.now()));
    await advance(100);
    release();
    await advance(1049);
    expect(granted).toEqual([]);
    await advance(1);
    expect(granted).toEqual([1150]);
  });

  // Fortnox counts a request when it arrives, anywhere between our send and its response.
  const latencies = fc.array(
    fc.record({
      upMs: fc.integer({ min: 0, max: 700 }),
      downMs: fc.integer({ min: 0, max: 300 }),
      gapMs: fc.integer({ min: 0, max: 400 }),
    }),
    { minLength: 1, maxLength: 40 },
  );

  it('never lets the server count more than `limit` in any window, whatever the latencies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), latencies, async (limit, exchanges) => {
        const { limiter, clock, advance } = manualLimiter({ limit, windowMs: 500 });
        const arrivals = await simulate(limiter, clock, advance, exchanges, 1500 * 41);
        expect(maxInAnyWindow(arrivals, 500)).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 60 },
    );
  });

  it('counting at send with a fixed margin (the old limiter) overruns the server when latency exceeds the margin', async () => {
    const { limiter, clock, advance } = manualLimiter({
      limit: 3,
      windowMs: 500,
      safetyMarginMs: 15,
    });
    // Cold connections: 30 ms to arrive; the next window's warm ones: 1 ms.
    const cold = { upMs: 30, downMs: 1, gapMs: 0 };
    const warm = { upMs: 1, downMs: 1, gapMs: 0 };
    const exchanges = [cold, cold, cold, warm, warm, warm];
    const arrivals = await simulate(countingAtSend(limiter), clock, advance, exchanges, 2000);
    expect(maxInAnyWindow(arrivals, 500)).toBeGreaterThan(3);
  });

  it('runs at the ceiling: 25 per 5 s over a minute of demand, with 10 ms round trips', async () => {
    const { limiter, clock, advance } = manualLimiter();
    const exchanges = Array.from({ length: 300 }, () => ({ upMs: 5, downMs: 5, gapMs: 0 }));
    const arrivals = await simulate(limiter, clock, advance, exchanges, 60_000);
    expect(maxInAnyWindow(arrivals, 5000)).toBe(25);
    // Batch k starts at k × 5010 ms: the 12th batch (k = 11) by 55.2 s.
    expect(Math.max(...arrivals)).toBeLessThanOrEqual(11 * 5010 + 5);
  });

  it('serves waiters first come, first served', async () => {
    const { limiter, advance } = manualLimiter({ limit: 1, windowMs: 100 });
    const order: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      void limiter.acquire('t').then((release) => {
        order.push(i);
        release();
      });
    }
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
    const { limiter, advance } = manualLimiter({ limit: 1, windowMs: 100 });
    (await limiter.acquire('t'))();
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
    (await limiter.acquire('t'))();
    let granted = false;
    void limiter.acquire('t').then(() => {
      granted = true;
    });
    await advance(25 * day);
    expect(granted).toBe(false);
    await advance(5 * day);
    expect(granted).toBe(true);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  /** `limit` slots at 0, answered at once, then `refused` of them answered 429 (pause 100 ms). */
  async function afterRefusals(limit: number, refused: number, waiting: number, forMs = 5000) {
    const { limiter, clock, advance } = manualLimiter({ limit, windowMs: 1000 });
    for (let i = 0; i < limit; i += 1) (await limiter.acquire('t'))();
    for (let i = 0; i < refused; i += 1) limiter.pause('t', 100);
    const granted: number[] = [];
    for (let i = 0; i < waiting; i += 1) {
      void limiter.acquire('t').then((release) => {
        granted.push(clock.now());
        release();
      });
    }
    await advance(forMs);
    return granted;
  }

  it('recovers the full budget within one window after a 429', async () => {
    const granted = await afterRefusals(4, 1, 12);
    // One 429: 3 slots in the window after the pause, all 4 again a window (1000 ms) after it.
    expect(granted).toEqual([
      1000, 1000, 1000, 1100, 2000, 2000, 2000, 2100, 3000, 3000, 3000, 3100,
    ]);
  });

  it('lowers the budget to what the server accepted (others use the tenant), then grows it back one slot per clean window', async () => {
    const granted = await afterRefusals(10, 7, 60, 10_000);
    // 7 of 10 refused measured the budget: 3 per window at first, then one more per clean window.
    expect(granted.filter((t) => t < 2000)).toEqual([1000, 1000, 1000, 1100]);
    for (const [until, most] of [
      [1100, 3],
      [2100, 4],
      [3100, 5],
      [4100, 6],
    ] as const) {
      expect(
        maxInAnyWindow(
          granted.filter((t) => t < until),
          1000,
        ),
      ).toBe(most);
    }
    expect(maxInAnyWindow(granted, 1000)).toBe(10);
  });

  it("a budget far above the server's (250 against 25): one burst of 429s settles it near 25", async () => {
    const { limiter, clock, advance } = manualLimiter({ limit: 250, windowMs: 1000 });
    // A burst of 40 at 0: the server accepts 25 and refuses 15 (429, pause 1000 ms); answers in any order.
    const slots = await Promise.all(Array.from({ length: 40 }, () => limiter.acquire('t')));
    for (const [i, release] of slots.entries()) {
      release();
      if (i % 8 < 3) limiter.pause('t', 1000);
    }
    const granted: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      void limiter.acquire('t').then((release) => {
        granted.push(clock.now());
        release();
      });
    }
    await advance(5000);
    // 25 in the window after the pause, then one more per clean window; not 250: no second storm.
    const perWindow = [1000, 2000, 3000].map((start) =>
      granted.filter((t) => t >= start && t < start + 1000),
    );
    expect(perWindow.map((window) => window.length)).toEqual([25, 26, 27]);
    expect(granted.filter((t) => t < 1000)).toEqual([]);
  });
});
