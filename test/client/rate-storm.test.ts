/**
 * A 429 storm: other processes use most of the tenant's budget, so the emulator (Fortnox's own
 * sliding window) refuses far more than this client's limiter expects. Shared virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { createFortnoxClient } from '../../src/client/index.js';
import { DEFAULT_TENANT_ID } from '../../src/testing/index.js';
import { createFortnoxEmulator } from '../../src/testing/msw.js';
import { createVirtualClock } from './support/clocks.js';
import { useMockServer } from './support/fortnox-api.js';
import { maxInAnyWindow } from './support/windows.js';

const server = useMockServer();

describe('a 429 storm', () => {
  it('is ridden out by pausing the tenant and lowering the budget to what got through: every call succeeds, 429s stay a minority', async () => {
    const { clock, now } = createVirtualClock();
    const emulator = createFortnoxEmulator({
      now,
      staticTokens: { 'static-token': DEFAULT_TENANT_ID },
      // Only 8 of the 25 per window are left for this process.
      rateLimit: { limit: 8, windowMs: 5000 },
    });
    server.use(...emulator.handlers);
    const rateLimited: number[] = [];
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 'static-token', tenantId: DEFAULT_TENANT_ID },
      clock,
      hooks: { onRateLimited: (event) => rateLimited.push(event.delayMs) },
    });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => client.customers.list({ limit: 1 })),
    );
    expect(results.filter((result) => result.isErr())).toEqual([]);
    const statuses = emulator.requests().map((entry) => entry.status);
    // The limiter lowers its budget to what got through instead of releasing 25 calls into 8 free slots.
    expect(statuses.filter((status) => status === 429).length).toBeLessThan(statuses.length / 2);
    expect(rateLimited.length).toBeGreaterThan(0);
  });

  it("a client limit ten times the server's (250 against 25 per 5 s) finishes at the server's rate: every call succeeds, few 429s", async () => {
    const { clock, now } = createVirtualClock();
    const emulator = createFortnoxEmulator({
      now,
      staticTokens: { 'static-token': DEFAULT_TENANT_ID },
    });
    server.use(...emulator.handlers);
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 'static-token', tenantId: DEFAULT_TENANT_ID },
      clock,
      rateLimit: { limit: 250, windowMs: 5000 },
    });
    const calls = 500;
    const started = now();
    const results = await Promise.all(
      Array.from({ length: calls }, () => client.customers.list({ limit: 1 })),
    );
    expect(results.filter((result) => result.isErr())).toEqual([]);
    // The server's pace is 25 per 5 s: 500 calls need 95 s at the least.
    const elapsed = now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95_000);
    expect(elapsed).toBeLessThan(95_000 * 1.2);
    // The first burst (250 at once) draws 225 refusals; it measured the budget, so later 429s are
    // only the probes of one slot more now and then, not a storm per window.
    const refused = emulator
      .requests()
      .filter((entry) => entry.status === 429)
      .map((entry) => entry.at - started);
    expect(refused.filter((at) => at < 5000)).toHaveLength(225);
    expect(refused.filter((at) => at >= 5000).length).toBeLessThan(20);
  });

  it('a single 429 costs one slot for one window: then the client is back at 25 per 5 s', async () => {
    const { clock, now } = createVirtualClock();
    const emulator = createFortnoxEmulator({
      now,
      staticTokens: { 'static-token': DEFAULT_TENANT_ID },
      // One stray 429 at the start (Retry-After: 5 s), e.g. another process's burst.
      faults: { rules: [{ kind: 'rate-limit', count: 1 }] },
    });
    server.use(...emulator.handlers);
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 'static-token', tenantId: DEFAULT_TENANT_ID },
      clock,
    });
    const results = await Promise.all(
      Array.from({ length: 150 }, () => client.customers.list({ limit: 1 })),
    );
    expect(results.filter((result) => result.isErr())).toEqual([]);
    const log = emulator.requests();
    expect(log.filter((entry) => entry.status === 429)).toHaveLength(1);
    const starts = log.map((entry) => entry.at);
    const first = starts[0] ?? 0;
    // 25, then 24 in the window after the pause, then 25 per window again: 151 sends by 30 s.
    expect(
      maxInAnyWindow(
        starts.filter((t) => t >= first + 10_000),
        5000,
      ),
    ).toBe(25);
    expect((starts.at(-1) ?? 0) - first).toBeLessThanOrEqual(30_000);
  });
});
