/**
 * The client against an emulator whose requests travel before Fortnox counts them (cold connections
 * slow, warm ones fast), in real time at a tenth of Fortnox's scale: a 500 ms window, cold requests
 * 30–60 ms on their way, warm ones 1 ms. Only 429s are counted, never speed.
 */
import { describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createSlidingWindowRateLimiter,
  type RateLimiter,
  type SlidingWindowRateLimiterOptions,
} from '../../src/client/index.js';
import { createFortnoxEmulator, DEFAULT_TENANT_ID } from '../../src/testing/index.js';
import { useMockServer } from './support/fortnox-api.js';

const server = useMockServer();
const WINDOW_MS = 500;
const LIMIT = 25;

/** Runs 75 concurrent GETs (three windows' worth) from a cold start; returns the 429s drawn. */
async function coldRun(
  limiter: { rateLimiter: RateLimiter } | { rateLimit: SlidingWindowRateLimiterOptions },
) {
  const emulator = createFortnoxEmulator({
    now: () => performance.now(),
    staticTokens: { 'static-token': DEFAULT_TENANT_ID },
    rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
    upstreamLatency: { coldMs: [30, 60], warmMs: 1 },
  });
  server.use(...emulator.handlers);
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: 'static-token', tenantId: DEFAULT_TENANT_ID },
    ...limiter,
  });
  const results = await Promise.all(
    Array.from({ length: 75 }, () => client.customers.list({ limit: 1 })),
  );
  expect(results.filter((result) => result.isErr())).toEqual([]);
  return emulator.stats().rateLimited;
}

describe('rate limit under upstream latency', () => {
  it('a limiter counting at send with a fixed margin (scaled 150 ms → 15 ms) draws 429s on a cold start', async () => {
    const inner = createSlidingWindowRateLimiter({
      limit: LIMIT,
      windowMs: WINDOW_MS,
      safetyMarginMs: 15,
    });
    const countingAtSend: RateLimiter = {
      acquire: async (key, signal) => {
        (await inner.acquire(key, signal))();
      },
      pause: (key, ms) => inner.pause(key, ms),
    };
    expect(await coldRun({ rateLimiter: countingAtSend })).toBeGreaterThan(0);
  });

  it('the built-in limiter, holding each slot until its response, draws none (same margin)', async () => {
    expect(await coldRun({ rateLimit: { windowMs: WINDOW_MS, safetyMarginMs: 15 } })).toBe(0);
  });

  it('the built-in limiter draws none with its default margin either', async () => {
    expect(await coldRun({ rateLimit: { windowMs: WINDOW_MS } })).toBe(0);
  });
});
