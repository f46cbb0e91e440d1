import { describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createSlidingWindowRateLimiter,
  type FortnoxClient,
  type RateLimiter,
} from '../../src/client/index.js';
import { createVirtualClock } from './support/clocks.js';
import { API, customerRecord, HttpResponse, http, useMockServer } from './support/fortnox-api.js';
import { maxInAnyWindow } from './support/windows.js';

const server = useMockServer();

describe('rate limiting through the client', () => {
  it('sends 60 concurrent calls without ever exceeding the limit per window', async () => {
    server.use(
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const { clock, now } = createVirtualClock();
    const starts: number[] = [];
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
      clock,
      rateLimit: { limit: 5, windowMs: 1000, safetyMarginMs: 10 },
      hooks: { onRequest: () => starts.push(now()) },
    });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => client.customers.get(String(i))),
    );
    expect(results.every((result) => result.isOk())).toBe(true);
    expect(starts).toHaveLength(60);
    expect(maxInAnyWindow(starts, 1010)).toBe(5);
  });

  it('releases each slot once its response has arrived, also when the attempt fails', async () => {
    const events: string[] = [];
    let calls = 0;
    server.use(
      http.get(`${API}/3/customers/:n`, async () => {
        calls += 1;
        events.push(`server ${calls}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (calls === 1) return HttpResponse.error();
        return HttpResponse.json({ Customer: customerRecord() });
      }),
    );
    let slots = 0;
    const rateLimiter: RateLimiter = {
      acquire: async () => {
        slots += 1;
        const slot = slots;
        events.push(`acquire ${slot}`);
        return () => void events.push(`release ${slot}`);
      },
      pause: () => undefined,
    };
    const { clock } = createVirtualClock();
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
      clock,
      rateLimiter,
      hooks: { onResponse: () => void events.push('response') },
    });
    expect((await client.customers.get('1')).isOk()).toBe(true);
    // The network error ends slot 1 (then a retry); slot 2 ends when its answer is in.
    expect(events).toEqual([
      'acquire 1',
      'server 1',
      'release 1',
      'acquire 2',
      'server 2',
      'release 2',
      'response',
    ]);
  });

  it('shares one injected limiter between clients of the same tenant', async () => {
    server.use(
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const { clock, now } = createVirtualClock();
    const rateLimiter = createSlidingWindowRateLimiter({
      limit: 3,
      windowMs: 1000,
      safetyMarginMs: 0,
      clock,
    });
    const starts: number[] = [];
    const make = () =>
      createFortnoxClient({
        auth: { type: 'access-token', accessToken: 't', tenantId: '42' },
        apiBaseUrl: API,
        clock,
        rateLimiter,
        hooks: { onRequest: () => starts.push(now()) },
      });
    const [a, b] = [make(), make()];
    await Promise.all([
      ...Array.from({ length: 6 }, () => a.customers.get('1')),
      ...Array.from({ length: 6 }, () => b.customers.get('2')),
    ]);
    expect(starts).toHaveLength(12);
    expect(maxInAnyWindow(starts, 1000)).toBe(3);
  });

  it('pauses the tenant after a 429 so other calls wait for Retry-After too', async () => {
    let calls = 0;
    const { clock, now } = createVirtualClock();
    const starts: Array<[string, number]> = [];
    server.use(
      http.get(`${API}/3/customers/:n`, ({ params }) => {
        calls += 1;
        starts.push([String(params.n), now()]);
        if (calls === 1)
          return new HttpResponse(null, { status: 429, headers: { 'Retry-After': '3' } });
        return HttpResponse.json({ Customer: customerRecord() });
      }),
    );
    let second: ReturnType<FortnoxClient['customers']['get']> | undefined;
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
      clock,
      rateLimit: { limit: 100, windowMs: 10, safetyMarginMs: 0 },
      // Another call for the same tenant arrives right after the 429.
      hooks: {
        onRateLimited: () => {
          second = client.customers.get('2');
        },
      },
    });
    expect((await client.customers.get('1')).isOk()).toBe(true);
    await second;
    const [first, ...rest] = starts;
    expect(rest.map(([n]) => n).sort()).toEqual(['1', '2']);
    expect(rest.every(([, t]) => t - (first?.[1] ?? 0) >= 3000)).toBe(true);
  });
});
