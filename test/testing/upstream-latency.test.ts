import { describe, expect, it } from 'vitest';
import { createEmulatorCore, DEFAULT_TENANT_ID } from '../../src/testing/index.js';

const get = (path = '/3/customers') =>
  new Request(`https://api.fortnox.se${path}`, { headers: { Authorization: 'Bearer t' } });

/** An emulator on a manual clock whose latency waits move the clock. */
function onManualClock(options: Parameters<typeof createEmulatorCore>[0]) {
  let now = 0;
  const sleeps: number[] = [];
  const emulator = createEmulatorCore({
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    staticTokens: { t: DEFAULT_TENANT_ID },
    ...options,
  });
  return { emulator, sleeps, setNow: (at: number) => (now = at) };
}

describe('upstreamLatency', () => {
  it('makes requests on new connections cold and on reused ones warm, like a keep-alive pool', async () => {
    const { emulator, sleeps } = onManualClock({ upstreamLatency: { coldMs: 200, warmMs: 5 } });
    // Three at once open three connections; afterwards two in a row reuse one.
    await Promise.all([emulator.handle(get()), emulator.handle(get()), emulator.handle(get())]);
    await emulator.handle(get());
    await emulator.handle(get());
    expect(sleeps).toEqual([200, 200, 200, 5, 5]);
    // OAuth requests go to another host: no API latency.
    await emulator.handle(
      new Request('https://apps.fortnox.se/oauth-v1/token', { method: 'POST' }),
    );
    expect(sleeps).toHaveLength(5);
    emulator.reset();
    await emulator.handle(get());
    expect(sleeps.at(-1)).toBe(200);
  });

  it('is applied before the rate check: Fortnox counts a request when it arrives', async () => {
    const schedule = async (coldMs: number) => {
      const { emulator, setNow } = onManualClock({
        rateLimit: { limit: 1, windowMs: 1000 },
        upstreamLatency: { coldMs, warmMs: 5 },
      });
      const first = await emulator.handle(get());
      // Sent a full window (and more) after the first was sent.
      setNow(1050);
      const second = await emulator.handle(get());
      return [first.status, second.status];
    };
    expect(await schedule(0)).toEqual([200, 200]);
    // The first arrived at 300, the second at 1055: one window holds both.
    expect(await schedule(300)).toEqual([200, 429]);
  });

  it('draws ranges from a seeded source and passes the connection to a function', async () => {
    const drawn = async (seed: number) => {
      const { emulator, sleeps } = onManualClock({
        upstreamLatency: { coldMs: [60, 300], warmMs: [5, 15], seed },
      });
      await Promise.all(Array.from({ length: 10 }, () => emulator.handle(get())));
      for (let i = 0; i < 10; i += 1) await emulator.handle(get());
      return sleeps;
    };
    const sleeps = await drawn(7);
    expect(sleeps.slice(0, 10).every((ms) => ms >= 60 && ms <= 300)).toBe(true);
    expect(sleeps.slice(10).every((ms) => ms >= 5 && ms <= 15)).toBe(true);
    expect(new Set(sleeps).size).toBeGreaterThan(10);
    expect(await drawn(7)).toEqual(sleeps);

    const seen: string[] = [];
    const { emulator } = onManualClock({
      upstreamLatency: ({ connection, method, path }) => {
        seen.push(`${connection} ${method} ${path}`);
        return 0;
      },
    });
    await emulator.handle(get('/3/customers/1'));
    await emulator.handle(get());
    expect(seen).toEqual(['cold GET /3/customers/1', 'warm GET /3/customers']);
  });

  it('refuses nonsense latencies, naming the option', () => {
    expect(() => createEmulatorCore({ upstreamLatency: { coldMs: -1 } })).toThrow(
      /upstreamLatency.coldMs/,
    );
    expect(() => createEmulatorCore({ upstreamLatency: { coldMs: 1, warmMs: [9, 3] } })).toThrow(
      /upstreamLatency.warmMs/,
    );
    expect(() =>
      // @ts-expect-error not an option shape
      createEmulatorCore({ upstreamLatency: 100 }),
    ).toThrow(TypeError);
  });
});
