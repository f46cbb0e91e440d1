import { delay } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  type FetchFunction,
  type FortnoxClientOptions,
  type RateLimitedEvent,
  type RateLimiter,
  type RetryEvent,
  SYSTEM_CLOCK,
} from '../../src/client/index.js';
import { createVirtualClock } from './support/clocks.js';
import {
  API,
  customerRecord,
  errorBody,
  HttpResponse,
  http,
  useMockServer,
} from './support/fortnox-api.js';

const server = useMockServer();

function setup(extra: Partial<FortnoxClientOptions> = {}) {
  const { clock, sleeps } = createVirtualClock();
  const retries: RetryEvent[] = [];
  const rateLimited: RateLimitedEvent[] = [];
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: 'secret-access-token' },
    apiBaseUrl: API,
    clock,
    random: () => 0.5,
    hooks: { onRetry: (e) => retries.push(e), onRateLimited: (e) => rateLimited.push(e) },
    ...extra,
  } as FortnoxClientOptions);
  return { client, sleeps, retries, rateLimited };
}

/** Answers with `responses` in turn (the last one repeats), counting calls. */
function sequence(
  method: 'get' | 'post' | 'put' | 'delete',
  path: string,
  responses: Array<() => Response>,
) {
  const state = { calls: 0 };
  const handler = http[method](`${API}${path}`, () => {
    const respond = responses[Math.min(state.calls, responses.length - 1)] as () => Response;
    state.calls += 1;
    return respond();
  });
  return { handler, state };
}

const ok = () => HttpResponse.json({ Customer: customerRecord() });
const created = () => HttpResponse.json({ Customer: customerRecord() }, { status: 201 });
const tooMany = (retryAfter?: string) => () =>
  new HttpResponse(null, {
    status: 429,
    ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }),
  });

describe('429 handling', () => {
  it('rides out a 429 storm without Retry-After with growing, jittered back-off', async () => {
    const { handler, state } = sequence('get', '/3/customers/:n', [
      tooMany(),
      tooMany(),
      tooMany(),
      ok,
    ]);
    server.use(handler);
    const { client, retries, rateLimited } = setup();
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(state.calls).toBe(4);
    expect(rateLimited.map((e) => [e.attempt, e.delayMs, e.fromRetryAfter])).toEqual([
      [1, 750, false],
      [2, 1500, false],
      [3, 3000, false],
    ]);
    expect(retries.map((e) => e.reason)).toEqual(['rate-limited', 'rate-limited', 'rate-limited']);
  });

  it('honours Retry-After (seconds and HTTP date) and pauses the tenant limiter for that long', async () => {
    const date = new Date(Date.now() + 4000).toUTCString();
    const { handler, state } = sequence('get', '/3/customers/:n', [
      tooMany('2'),
      tooMany(date),
      ok,
    ]);
    server.use(handler);
    const { client, rateLimited, sleeps } = setup();
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(state.calls).toBe(3);
    expect(rateLimited[0]).toMatchObject({
      delayMs: 2000,
      fromRetryAfter: true,
      path: '/3/customers/{CustomerNumber}',
    });
    expect(rateLimited[1]?.delayMs).toBeGreaterThan(2000);
    expect(rateLimited[1]?.delayMs).toBeLessThanOrEqual(4000);
    expect(sleeps).toContain(2000);
  });

  it('ends with a rate-limited error once the attempts are spent', async () => {
    const { handler, state } = sequence('get', '/3/customers/:n', [tooMany('1')]);
    server.use(handler);
    const { client } = setup({ retry: { maxAttempts: 3 } });
    const error = (await client.customers.get('1'))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 1000,
      retryable: true,
    });
    expect(state.calls).toBe(3);
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs', async () => {
    const { handler, state } = sequence('get', '/3/customers/:n', [tooMany('3600')]);
    server.use(handler);
    const error = (await setup().client.customers.get('1'))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterMs: 3_600_000 });
    expect(state.calls).toBe(1);
  });

  it('pauses a shared limiter at most maxRetryAfterMs, and reports a failing limiter as a typed error', async () => {
    const pauses: Array<[string, number]> = [];
    let fail = false;
    const rateLimiter: RateLimiter = {
      acquire: async () => {
        if (fail) throw new Error('postgres is down');
      },
      pause: (key, ms) => void pauses.push([key, ms]),
    };
    server.use(sequence('get', '/3/customers/:n', [tooMany('3600')]).handler);
    const { client } = setup({ rateLimiter, rateLimitKey: 'tenant-9' });
    expect((await client.customers.get('1'))._unsafeUnwrapErr().kind).toBe('rate-limited');
    expect(pauses).toEqual([['tenant-9', 60_000]]);
    fail = true;
    expect((await client.customers.get('1'))._unsafeUnwrapErr()).toMatchObject({
      kind: 'network',
      retryable: true,
    });
  });

  it('retries a POST rejected with 429 (it was not carried out)', async () => {
    const { handler, state } = sequence('post', '/3/customers', [tooMany('1'), created]);
    server.use(handler);
    const result = await setup().client.customers.create({ Name: 'Acme AB' });
    expect(result.isOk()).toBe(true);
    expect(state.calls).toBe(2);
  });
});

describe('retries and unknown outcomes', () => {
  it('never repeats a POST whose response was lost: unknown-outcome after exactly one POST', async () => {
    const { handler, state } = sequence('post', '/3/customers', [
      () => HttpResponse.error(),
      created,
    ]);
    server.use(handler);
    const error = (await setup().client.customers.create({ Name: 'Acme AB' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unknown-outcome', reason: 'network', retryable: false });
    expect(state.calls).toBe(1);
  });

  it('never repeats a POST answered 5xx: unknown-outcome with the status', async () => {
    const { handler, state } = sequence('post', '/3/customers', [
      () => HttpResponse.json(errorBody(1000003, 'Serverfel'), { status: 500 }),
      created,
    ]);
    server.use(handler);
    const error = (await setup().client.customers.create({ Name: 'Acme AB' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unknown-outcome', reason: 'server-error', status: 500 });
    expect(state.calls).toBe(1);
  });

  it('never repeats a POST that timed out', async () => {
    let calls = 0;
    server.use(
      http.post(`${API}/3/customers`, async () => {
        calls += 1;
        await delay('infinite');
        return created();
      }),
    );
    const error = (
      await setup({ timeoutMs: 30 }).client.customers.create({ Name: 'Acme AB' })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unknown-outcome', reason: 'timeout' });
    expect(calls).toBe(1);
  });

  it('retries a POST whose connection was refused (nothing was sent)', async () => {
    let calls = 0;
    const fetch: FetchFunction = async () => {
      calls += 1;
      if (calls === 1)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
        });
      return Response.json({ Customer: customerRecord() }, { status: 201 });
    };
    const result = await setup({ fetch }).client.customers.create({ Name: 'Acme AB' });
    expect(result.isOk()).toBe(true);
    expect(calls).toBe(2);
  });

  it('retries GET after network errors and 5xx', async () => {
    const { handler, state } = sequence('get', '/3/customers/:n', [
      () => HttpResponse.error(),
      () =>
        new HttpResponse('<html>503 Service Unavailable</html>', {
          status: 503,
          headers: { 'Content-Type': 'text/html' },
        }),
      ok,
    ]);
    server.use(handler);
    const { client, retries } = setup();
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(state.calls).toBe(3);
    expect(retries.map((e) => [e.reason, e.status])).toEqual([
      ['network', undefined],
      ['server-error', 503],
    ]);
  });

  it('retries PUT on 5xx and DELETE on a lost response; a DELETE repeated into 404 is done', async () => {
    const put = sequence('put', '/3/customers/:n', [
      () => new HttpResponse(null, { status: 502 }),
      ok,
    ]);
    const del = sequence('delete', '/3/customers/:n', [
      () => HttpResponse.error(),
      () => HttpResponse.json(errorBody(2000433, 'Kan inte hitta kunden.'), { status: 404 }),
    ]);
    server.use(put.handler, del.handler);
    const { client } = setup();
    expect((await client.customers.update('1', { City: 'Lund' })).isOk()).toBe(true);
    expect(put.state.calls).toBe(2);
    expect((await client.customers.remove('1')).isOk()).toBe(true);
    expect(del.state.calls).toBe(2);
  });

  it('reports a network error once the attempts run out; a 404 on a first DELETE stays an error', async () => {
    const get = sequence('get', '/3/customers/:n', [() => HttpResponse.error()]);
    const del = sequence('delete', '/3/customers/:n', [
      () => HttpResponse.json(errorBody(2000433, 'Kan inte hitta kunden.'), { status: 404 }),
    ]);
    server.use(get.handler, del.handler);
    const { client } = setup({ retry: { maxAttempts: 2 } });
    expect((await client.customers.get('1'))._unsafeUnwrapErr()).toMatchObject({
      kind: 'network',
      retryable: true,
    });
    expect(get.state.calls).toBe(2);
    expect((await client.customers.remove('9'))._unsafeUnwrapErr()).toMatchObject({
      kind: 'api',
      status: 404,
      code: 2000433,
    });
  });
});

describe('error bodies', () => {
  it.each(['lower', 'upper'] as const)(
    'reads ErrorInformation with %s-case keys',
    async (casing) => {
      server.use(
        http.get(`${API}/3/customers/:n`, () =>
          HttpResponse.json(errorBody(2000433, 'Kan inte hitta kunden.', casing), { status: 404 }),
        ),
      );
      const error = (await setup().client.customers.get('77'))._unsafeUnwrapErr();
      expect(error).toMatchObject({
        kind: 'api',
        status: 404,
        code: 2000433,
        fortnoxMessage: 'Kan inte hitta kunden.',
        explanation: 'The customer was not found.',
        retryable: false,
        request: { method: 'GET', path: '/3/customers/{CustomerNumber}' },
      });
    },
  );

  it('handles an HTML error page (downtime) after the retries', async () => {
    server.use(
      http.get(
        `${API}/3/customers/:n`,
        () =>
          new HttpResponse('<html><body>Down for maintenance</body></html>', {
            status: 503,
            headers: { 'Content-Type': 'text/html' },
          }),
      ),
    );
    const error = (
      await setup({ retry: { maxAttempts: 2 } }).client.customers.get('1')
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'api', status: 503, retryable: true });
    expect(error.kind === 'api' ? error.code : 'not an api error').toBeUndefined();
  });

  it('reports a 2xx body that breaks the schema as invalid-response (also non-JSON)', async () => {
    server.use(
      http.get(`${API}/3/customers/1`, () =>
        HttpResponse.json({ Customer: { Name: 'No number' } }),
      ),
      http.get(`${API}/3/customers/2`, () => new HttpResponse('<html>ok</html>', { status: 200 })),
    );
    const { client } = setup();
    const first = (await client.customers.get('1'))._unsafeUnwrapErr();
    expect(first).toMatchObject({ kind: 'invalid-response', status: 200 });
    expect(first.kind === 'invalid-response' && first.issues[0]?.path).toEqual([
      'Customer',
      'CustomerNumber',
    ]);
    expect((await client.customers.get('2'))._unsafeUnwrapErr().kind).toBe('invalid-response');
  });
});

describe('abort and timeout', () => {
  it('returns aborted without sending when the signal is already aborted', async () => {
    const { handler, state } = sequence('get', '/3/customers/:n', [ok]);
    server.use(handler);
    const error = (
      await setup().client.customers.get('1', { signal: AbortSignal.abort() })
    )._unsafeUnwrapErr();
    expect(error.kind).toBe('aborted');
    expect(state.calls).toBe(0);
  });

  it('aborts a GET in flight; aborting a POST in flight leaves its outcome unknown', async () => {
    server.use(
      http.get(`${API}/3/customers/:n`, async () => {
        await delay('infinite');
        return ok();
      }),
      http.post(`${API}/3/customers`, async () => {
        await delay('infinite');
        return created();
      }),
    );
    const { client } = setup();
    const get = new AbortController();
    const pendingGet = client.customers.get('1', { signal: get.signal });
    setTimeout(() => get.abort(), 20);
    expect((await pendingGet)._unsafeUnwrapErr().kind).toBe('aborted');
    const post = new AbortController();
    const pendingPost = client.customers.create({ Name: 'Acme AB' }, { signal: post.signal });
    setTimeout(() => post.abort(), 20);
    expect((await pendingPost)._unsafeUnwrapErr()).toMatchObject({
      kind: 'unknown-outcome',
      reason: 'aborted',
    });
  });

  it('aborts while waiting for a rate-limit slot', async () => {
    server.use(http.get(`${API}/3/customers/:n`, ok));
    const { client } = setup({ rateLimit: { limit: 1, windowMs: 3_600_000 }, clock: SYSTEM_CLOCK });
    expect((await client.customers.get('1')).isOk()).toBe(true);
    const controller = new AbortController();
    const waiting = client.customers.get('2', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await waiting)._unsafeUnwrapErr().kind).toBe('aborted');
  });

  it('times out per attempt (per-call override), retrying a GET', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/3/customers/:n`, async () => {
        calls += 1;
        await delay('infinite');
        return ok();
      }),
    );
    const { client, retries } = setup({ retry: { maxAttempts: 2 } });
    const error = (await client.customers.get('1', { timeoutMs: 25 }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 25, retryable: true });
    expect(calls).toBe(2);
    expect(retries.map((e) => e.reason)).toEqual(['timeout']);
  });
});
