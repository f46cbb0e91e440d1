/**
 * The client at Fortnox's rate ceiling, judged by the emulator's own sliding-window limiter
 * (25 requests per 5 s): client and emulator share one virtual clock, so a burst costs no real time.
 */
import { describe, expect, it } from 'vitest';
import { createFortnoxClient } from '../../src/client/index.js';
import { createFortnoxEmulator, DEFAULT_TENANT_ID } from '../../src/testing/index.js';
import { createVirtualClock } from './support/clocks.js';
import { useMockServer } from './support/fortnox-api.js';
import { maxInAnyWindow } from './support/windows.js';

const server = useMockServer();
const WINDOW_MS = 5000;
const LIMIT = 25;

function setup(clientLimit?: number) {
  const { clock, now } = createVirtualClock();
  const emulator = createFortnoxEmulator({
    now,
    staticTokens: { 'static-token': DEFAULT_TENANT_ID },
    tenants: { [DEFAULT_TENANT_ID]: { seedCustomers: 3, seed: 1 } },
  });
  server.use(...emulator.handlers);
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: 'static-token', tenantId: DEFAULT_TENANT_ID },
    clock,
    ...(clientLimit === undefined ? {} : { rateLimit: { limit: clientLimit } }),
  });
  return { client, emulator };
}

describe('a burst at the rate ceiling, against the emulator', () => {
  it('sends 130 concurrent calls with never more than 25 in any 5 s window and no 429', async () => {
    const { client, emulator } = setup();
    const results = await Promise.all(
      Array.from({ length: 130 }, (_, i) =>
        i % 2 === 0 ? client.customers.list({ limit: 10 }) : client.customers.get('1'),
      ),
    );
    expect(results.filter((result) => result.isErr())).toEqual([]);
    const log = emulator.requests();
    expect(log).toHaveLength(130);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    const starts = log.map((entry) => entry.at);
    expect(maxInAnyWindow(starts, WINDOW_MS)).toBe(LIMIT);
    // At the ceiling, not below it: answers take no virtual time here, so batch k of 25 starts
    // exactly one window after batch k-1 (no fixed margin on top).
    const first = starts[0] ?? 0;
    expect((starts[LIMIT] ?? 0) - first).toBe(WINDOW_MS);
    expect((starts.at(-1) ?? 0) - first).toBe(5 * WINDOW_MS);
  });

  it('the emulator does answer 429 to a client that allows itself one request too many', async () => {
    const { client, emulator } = setup(LIMIT + 1);
    const results = await Promise.all(
      Array.from({ length: LIMIT + 1 }, () => client.customers.get('1')),
    );
    // The client rides the 429 out, but the emulator saw it: the ceiling test above can fail.
    expect(results.every((result) => result.isOk())).toBe(true);
    expect(emulator.requests().filter((entry) => entry.status === 429)).toHaveLength(1);
  });
});
