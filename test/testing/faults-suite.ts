import { describe, expect, it } from 'vitest';
import { createManualClock, type Face } from './faces.js';
import { useStartedEmulators } from './suite-helpers.js';

/** Rate limiting and fault injection, through every face. */
export function defineFaultSuite(face: Face): void {
  const start = useStartedEmulators(face);

  describe(`rate limit through ${face.name}`, () => {
    it('allows 25 requests per sliding 5 s, then 429 with Retry-After', async () => {
      const clock = createManualClock();
      const { api, emulator } = await start({ now: clock.now });
      for (let index = 0; index < 25; index += 1) {
        expect((await api('GET', '/3/customers')).status).toBe(200);
        clock.advance(100);
      }
      const limited = await api('GET', '/3/customers');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('Retry-After')).toBe('3');
      clock.advance(2550); // only the request at t=0 leaves the window
      expect((await api('GET', '/3/customers')).status).toBe(200);
      expect((await api('GET', '/3/customers')).status).toBe(429);
      expect(emulator.stats().rateLimited).toBe(2);
    });

    it('keeps one budget per tenant and can leave Retry-After out', async () => {
      const { api, emulator } = await start({
        now: () => 0,
        rateLimit: { limit: 2, retryAfter: false },
      });
      const other = emulator.issueAccessToken('2000002');
      await api('GET', '/3/customers');
      await api('GET', '/3/customers');
      const limited = await api('GET', '/3/customers');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('Retry-After')).toBeNull();
      expect((await api('GET', '/3/customers', undefined, other)).status).toBe(200);
    });
    it('keeps one budget per client id within a tenant', async () => {
      const { api, emulator } = await start({
        now: () => 0,
        rateLimit: { limit: 2 },
        oauth: {
          clients: [
            { clientId: 'first-app', clientSecret: 's1' },
            { clientId: 'second-app', clientSecret: 's2' },
          ],
        },
      });
      const second = emulator.issueAccessToken(undefined, { clientId: 'second-app' });
      await api('GET', '/3/customers');
      await api('GET', '/3/customers');
      expect((await api('GET', '/3/customers')).status).toBe(429);
      expect((await api('GET', '/3/customers', undefined, second)).status).toBe(200);
      expect((await api('GET', '/3/customers', undefined, second)).status).toBe(200);
      expect((await api('GET', '/3/customers', undefined, second)).status).toBe(429);
    });
  });

  describe(`faults through ${face.name}`, () => {
    it('resets the connection: the client sees a network error', async () => {
      const { api, emulator } = await start({
        faults: { rules: [{ kind: 'connection-reset', count: 1 }] },
      });
      await expect(api('GET', '/3/customers')).rejects.toThrow();
      expect((await api('GET', '/3/customers')).status).toBe(200);
      expect(emulator.requests().map((entry) => entry.status)).toEqual([0, 200]);
    });

    it('loses the response after the write committed', async () => {
      const { api, emulator } = await start();
      emulator.faults.inject({ kind: 'lost-response', methods: ['POST'], count: 1 });
      await expect(
        api('POST', '/3/customers', { Customer: { Name: 'Skrivet ändå' } }),
      ).rejects.toThrow();
      expect(
        emulator
          .tenant()
          .customers()
          .map((customer) => customer.Name),
      ).toEqual(['Skrivet ändå']);
      expect(emulator.stats().faults['lost-response']).toBe(1);
    });

    it('answers 500 and 503, 429 bursts and licence errors', async () => {
      const { api, emulator } = await start();
      emulator.faults.inject({ kind: 'server-error', status: 503, count: 1 });
      emulator.faults.inject({ kind: 'server-error', count: 1 });
      const unavailable = await api('GET', '/3/customers');
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get('Content-Type')).toContain('text/html');
      const failed = await api('GET', '/3/customers');
      expect(failed.status).toBe(500);
      expect(await failed.json()).toMatchObject({ ErrorInformation: { code: 1000003 } });
      emulator.faults.inject({ kind: 'rate-limit', count: 2 });
      expect((await api('GET', '/3/customers')).status).toBe(429);
      expect((await api('GET', '/3/customers')).status).toBe(429);
      emulator.faults.inject({ kind: 'licence-error', count: 1 });
      const licence = await api('GET', '/3/customers');
      expect(licence.status).toBe(403);
      expect(await licence.json()).toMatchObject({ ErrorInformation: { code: 2001103 } });
      expect((await api('GET', '/3/customers')).status).toBe(200);
    });

    it('revokes the tenant’s tokens', async () => {
      const { api, emulator } = await start();
      emulator.faults.inject({ kind: 'revoke-token', count: 1, tenantId: '1000001' });
      const response = await api('GET', '/3/customers');
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'unauthorized' });
    });

    it('matches methods and paths, and can be cleared at runtime', async () => {
      const { api, emulator } = await start();
      emulator.faults.inject({
        kind: 'server-error',
        methods: ['PUT'],
        path: /^\/3\/customers\/\d+$/,
      });
      await api('POST', '/3/customers', { Customer: { Name: 'A' } });
      expect((await api('GET', '/3/customers/1')).status).toBe(200);
      expect((await api('PUT', '/3/customers/1', { Customer: { City: 'Lund' } })).status).toBe(500);
      emulator.faults.clear();
      expect((await api('PUT', '/3/customers/1', { Customer: { City: 'Lund' } })).status).toBe(200);
    });

    it('adds latency through the injected sleep', async () => {
      const waits: number[] = [];
      const sleep = async (ms: number) => {
        waits.push(ms);
      };
      const { api } = await start({
        sleep,
        faults: { rules: [{ kind: 'latency', latencyMs: 750 }] },
      });
      expect((await api('GET', '/3/customers')).status).toBe(200);
      expect(waits).toEqual([750]);
    });

    it('fires the same faults for the same seed', async () => {
      const schedule = async (seed: number) => {
        const { api } = await start({
          faults: { seed, rules: [{ kind: 'server-error', probability: 0.3 }] },
        });
        const statuses: number[] = [];
        for (let index = 0; index < 30; index += 1)
          statuses.push((await api('GET', '/3/customers')).status);
        return statuses;
      };
      const first = await schedule(7);
      expect(await schedule(7)).toEqual(first);
      expect(first).toContain(500);
      expect(first).toContain(200);
      expect(await schedule(8)).not.toEqual(first);
    });
  });
}
