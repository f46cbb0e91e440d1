/** A user's logger, hook or shared limiter that fails must not turn a call into a rejected promise. */
import { describe, expect, it } from 'vitest';
import { createFortnoxClient, type Logger, type RateLimiter } from '../../src/client/index.js';
import { createVirtualClock } from './support/clocks.js';
import { API, customerRecord, HttpResponse, http, useMockServer } from './support/fortnox-api.js';

const server = useMockServer();

/** 429 once, then the customer. */
function rateLimitedOnce() {
  let calls = 0;
  return http.get(`${API}/3/customers/:n`, () => {
    calls += 1;
    if (calls === 1)
      return new HttpResponse(null, { status: 429, headers: { 'Retry-After': '1' } });
    return HttpResponse.json({ Customer: customerRecord() });
  });
}

describe('broken collaborators', () => {
  it.each([
    [
      'throws',
      () => {
        throw new Error('postgres is down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('postgres is down'))],
  ])('a shared limiter whose pause %s: the call still waits and retries', async (_, pause) => {
    server.use(rateLimitedOnce());
    const { clock, sleeps } = createVirtualClock();
    const warnings: string[] = [];
    const rateLimiter: RateLimiter = { acquire: async () => undefined, pause };
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
      clock,
      rateLimiter,
      logger: { debug() {}, info() {}, warn: (message) => void warnings.push(message), error() {} },
    });
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(sleeps).toContain(1000);
    expect(warnings).toContain('fortnox rate limiter failed to pause');
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('postgres is down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('postgres is down'))],
  ])(
    'a shared limiter whose release %s: the call still succeeds, with a warning',
    async (_, release) => {
      server.use(rateLimitedOnce());
      const { clock } = createVirtualClock();
      const warnings: string[] = [];
      const rateLimiter: RateLimiter = { acquire: async () => release, pause: () => undefined };
      const client = createFortnoxClient({
        auth: { type: 'access-token', accessToken: 't' },
        apiBaseUrl: API,
        clock,
        rateLimiter,
        logger: {
          debug() {},
          info() {},
          warn: (message) => void warnings.push(message),
          error() {},
        },
      });
      expect((await client.customers.get('1')).isOk()).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(warnings).toContain('fortnox rate limiter failed to release a slot');
    },
  );

  it('a logger and hooks that throw change nothing', async () => {
    server.use(rateLimitedOnce());
    const { clock } = createVirtualClock();
    const boom = () => {
      throw new Error('logger bug');
    };
    const logger: Logger = { debug: boom, info: boom, warn: boom, error: boom };
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
      clock,
      logger,
      hooks: { onRequest: boom, onResponse: boom, onRetry: boom, onRateLimited: boom },
    });
    expect((await client.customers.get('1')).isOk()).toBe(true);
  });
});
