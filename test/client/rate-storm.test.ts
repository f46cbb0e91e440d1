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

const server = useMockServer();

describe('a 429 storm', () => {
  it('is ridden out by pausing the tenant and halving its budget: every call succeeds, 429s stay a minority', async () => {
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
    // The limiter halves its budget after a 429 instead of releasing 25 calls into 8 free slots.
    expect(statuses.filter((status) => status === 429).length).toBeLessThan(statuses.length / 2);
    expect(rateLimited.length).toBeGreaterThan(0);
  });
});
