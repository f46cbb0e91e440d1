import { describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createMemoryTokenStore,
  type FortnoxTokens,
  type RateLimiter,
  type TokenStore,
} from '../../src/client/index.js';
import {
  API,
  AUTH,
  customerRecord,
  HttpResponse,
  http,
  makeJwt,
  useMockServer,
} from './support/fortnox-api.js';

const server = useMockServer();
const HOUR = 3_600_000;

function tokens(accessToken: string, refreshToken: string, expiresAt: number): FortnoxTokens {
  return { accessToken, refreshToken, expiresAt };
}

/** A memory store that logs every save in `log`. */
function loggingStore(initial: FortnoxTokens, log: string[], failSaves = 0): TokenStore {
  const inner = createMemoryTokenStore({ '42': initial });
  let failures = failSaves;
  return {
    load: (tenantId) => inner.load(tenantId),
    save: async (tenantId, value) => {
      if (failures > 0) {
        failures -= 1;
        log.push('save-failed');
        throw new Error('database is down');
      }
      await inner.save(tenantId, value);
      log.push(`saved:${value.refreshToken}`);
    },
  };
}

function refreshClient(tokenStore: TokenStore, extra: { refreshSkewMs?: number } = {}) {
  return createFortnoxClient({
    auth: {
      type: 'refresh-token',
      clientId: 'cid',
      clientSecret: 'csecret',
      tenantId: '42',
      tokenStore,
      ...extra,
    },
    apiBaseUrl: API,
    authBaseUrl: AUTH,
    retry: { baseDelayMs: 1 },
  });
}

/** API handler that logs which bearer token each call used. */
function apiLogging(log: string[]) {
  return http.get(`${API}/3/customers/:n`, ({ request }) => {
    log.push(`api:${request.headers.get('authorization')?.replace('Bearer ', '')}`);
    return HttpResponse.json({ Customer: customerRecord() });
  });
}

function tokenEndpoint(log: string[], next: () => { access: string; refresh: string }) {
  return http.post(`${AUTH}/oauth-v1/token`, async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    log.push(`token:${form.get('grant_type')}:${form.get('refresh_token')}`);
    const { access, refresh } = next();
    return HttpResponse.json({ access_token: access, refresh_token: refresh, expires_in: 3600 });
  });
}

describe('refresh-token auth', () => {
  it('refreshes once for two concurrent callers, saving the new refresh token before using the new access token', async () => {
    const log: string[] = [];
    const store = loggingStore(tokens('old-access', 'refresh-1', Date.now() - 1000), log);
    server.use(
      tokenEndpoint(log, () => ({ access: 'new-access', refresh: 'refresh-2' })),
      apiLogging(log),
    );
    const client = refreshClient(store);
    const [a, b] = await Promise.all([client.customers.get('1'), client.customers.get('2')]);
    expect(a.isOk() && b.isOk()).toBe(true);
    expect(log.filter((line) => line.startsWith('token:'))).toEqual([
      'token:refresh_token:refresh-1',
    ]);
    expect(log.indexOf('saved:refresh-2')).toBeGreaterThan(-1);
    expect(log.indexOf('saved:refresh-2')).toBeLessThan(log.indexOf('api:new-access'));
    expect(log.filter((line) => line === 'api:new-access')).toHaveLength(2);
    expect(log).not.toContain('api:old-access');
    expect((await store.load('42'))?.refreshToken).toBe('refresh-2');
  });

  it('refreshes ahead of expiry by the configured skew', async () => {
    const log: string[] = [];
    const store = loggingStore(tokens('old-access', 'refresh-1', Date.now() + 60_000), log);
    server.use(
      tokenEndpoint(log, () => ({ access: 'new-access', refresh: 'refresh-2' })),
      apiLogging(log),
    );
    await refreshClient(store, { refreshSkewMs: 120_000 }).customers.get('1');
    expect(log).toEqual(['token:refresh_token:refresh-1', 'saved:refresh-2', 'api:new-access']);
  });

  it('uses a stored token that is still fresh without refreshing', async () => {
    const log: string[] = [];
    const store = loggingStore(tokens('fresh', 'refresh-1', Date.now() + HOUR), log);
    server.use(apiLogging(log));
    await refreshClient(store).customers.get('1');
    expect(log).toEqual(['api:fresh']);
  });

  it('refreshes after a 401 and repeats the call once', async () => {
    const log: string[] = [];
    const store = loggingStore(tokens('revoked', 'refresh-1', Date.now() + HOUR), log);
    server.use(
      tokenEndpoint(log, () => ({ access: 'new-access', refresh: 'refresh-2' })),
      http.get(`${API}/3/customers/:n`, ({ request }) => {
        const token = request.headers.get('authorization')?.replace('Bearer ', '');
        log.push(`api:${token}`);
        if (token === 'revoked')
          return HttpResponse.json({ message: 'unauthorized' }, { status: 401 });
        return HttpResponse.json({ Customer: customerRecord() });
      }),
    );
    const result = await refreshClient(store).customers.get('1');
    expect(result.isOk()).toBe(true);
    expect(log).toEqual([
      'api:revoked',
      'token:refresh_token:refresh-1',
      'saved:refresh-2',
      'api:new-access',
    ]);
  });

  it('gives up with reconnectRequired when the renewed token is rejected too', async () => {
    const log: string[] = [];
    const store = loggingStore(tokens('a', 'refresh-1', Date.now() + HOUR), log);
    server.use(
      tokenEndpoint(log, () => ({ access: 'b', refresh: 'refresh-2' })),
      http.get(`${API}/3/customers/:n`, () =>
        HttpResponse.json(
          { ErrorInformation: { error: 1, message: 'Ogiltig inloggning', code: 2000311 } },
          { status: 401 },
        ),
      ),
    );
    const error = (await refreshClient(store).customers.get('1'))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'auth',
      reason: 'unauthorized',
      reconnectRequired: true,
      code: 2000311,
    });
    expect(log.filter((line) => line.startsWith('token:'))).toHaveLength(1);
  });

  it('reports a dead refresh token (invalid_grant as text/html) as reconnectRequired after exactly one token request', async () => {
    let tokenCalls = 0;
    let apiCalls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () => {
        tokenCalls += 1;
        return new HttpResponse(
          '{"error":"invalid_grant","error_description":"Invalid refresh token"}',
          {
            status: 400,
            headers: { 'Content-Type': 'text/html' },
          },
        );
      }),
      http.get(`${API}/3/customers/:n`, () => {
        apiCalls += 1;
        return HttpResponse.json({ Customer: customerRecord() });
      }),
    );
    const store = createMemoryTokenStore({
      '42': tokens('expired', 'dead-refresh', Date.now() - 1),
    });
    const error = (await refreshClient(store).customers.get('1'))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'auth',
      reason: 'invalid-grant',
      reconnectRequired: true,
      retryable: false,
    });
    expect(tokenCalls).toBe(1);
    expect(apiCalls).toBe(0);
    expect(JSON.stringify(error)).not.toMatch(/dead-refresh|csecret/);
  });

  it('fails the call with a typed auth error when the store cannot save, and never uses the unsaved token', async () => {
    const log: string[] = [];
    const store = loggingStore(tokens('old', 'refresh-1', Date.now() - 1), log, 1);
    server.use(
      tokenEndpoint(log, () => ({ access: 'unsaved-access', refresh: 'refresh-2' })),
      apiLogging(log),
    );
    const client = refreshClient(store);
    const error = (await client.customers.get('1'))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'auth', reason: 'token-store-failed', retryable: true });
    expect(log).toEqual(['token:refresh_token:refresh-1', 'save-failed']);
    // The next call saves the tokens it kept (the old refresh token is spent) before using them.
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(log).toEqual([
      'token:refresh_token:refresh-1',
      'save-failed',
      'saved:refresh-2',
      'api:unsaved-access',
    ]);
  });

  it('says reconnect when the store has no tokens for the tenant', async () => {
    const error = (
      await refreshClient(createMemoryTokenStore()).customers.get('1')
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'auth',
      reason: 'missing-tokens',
      reconnectRequired: true,
    });
  });

  it('serialises refreshes across clients sharing a store with a lock: the second reuses the first one', async () => {
    const log: string[] = [];
    const store = createMemoryTokenStore({ '42': tokens('old', 'refresh-1', Date.now() - 1) });
    let n = 1;
    server.use(
      tokenEndpoint(log, () => {
        n += 1;
        return { access: `access-${n}`, refresh: `refresh-${n}` };
      }),
      apiLogging(log),
    );
    const [a, b] = await Promise.all([
      refreshClient(store).customers.get('1'),
      refreshClient(store).customers.get('2'),
    ]);
    expect(a.isOk() && b.isOk()).toBe(true);
    expect(log.filter((line) => line.startsWith('token:'))).toEqual([
      'token:refresh_token:refresh-1',
    ]);
    expect(log.filter((line) => line.startsWith('api:'))).toEqual(['api:access-2', 'api:access-2']);
  });
});

describe('client-credentials auth', () => {
  it('gets a token with grant_type=client_credentials, Basic auth and the TenantId header, once', async () => {
    const seen: Array<Record<string, string | null>> = [];
    let apiCalls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, async ({ request }) => {
        seen.push({
          body: await request.text(),
          tenant: request.headers.get('tenantid'),
          authorization: request.headers.get('authorization'),
        });
        return HttpResponse.json({ access_token: 'service-token', expires_in: 3600 });
      }),
      http.get(`${API}/3/customers/:n`, ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer service-token');
        apiCalls += 1;
        return HttpResponse.json({ Customer: customerRecord() });
      }),
    );
    const client = createFortnoxClient({
      auth: {
        type: 'client-credentials',
        clientId: 'cid',
        clientSecret: 'csecret',
        tenantId: '42',
      },
      apiBaseUrl: API,
      authBaseUrl: AUTH,
    });
    await client.customers.get('1');
    await client.customers.get('2');
    expect(apiCalls).toBe(2);
    expect(seen).toEqual([
      {
        body: 'grant_type=client_credentials',
        tenant: '42',
        authorization: `Basic ${Buffer.from('cid:csecret').toString('base64')}`,
      },
    ]);
  });
});

describe('access-token auth', () => {
  it('treats a 401 as final (nothing to renew) and asks for no token', async () => {
    server.use(
      http.get(`${API}/3/customers/:n`, () => new HttpResponse('Unauthorized', { status: 401 })),
    );
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 'static' },
      apiBaseUrl: API,
    });
    const error = (await client.customers.get('1'))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'auth', reason: 'unauthorized', status: 401 });
  });

  it('keys the rate limiter by the tenant id read from the JWT (and tolerates opaque tokens)', async () => {
    const keys: string[] = [];
    const rateLimiter: RateLimiter = {
      acquire: async (key) => void keys.push(key),
      pause: () => undefined,
    };
    server.use(
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const jwt = makeJwt({ tenantId: 1234567 });
    await createFortnoxClient({
      auth: { type: 'access-token', accessToken: jwt },
      apiBaseUrl: API,
      rateLimiter,
    }).customers.get('1');
    await createFortnoxClient({
      auth: { type: 'access-token', accessToken: 'opaque' },
      apiBaseUrl: API,
      rateLimiter,
    }).customers.get('1');
    expect(keys).toEqual(['1234567', 'default']);
  });
});

describe('concurrent 401s', () => {
  it('renew the token once for every caller that saw it rejected', async () => {
    const log: string[] = [];
    const store = loggingStore(tokens('revoked', 'refresh-1', Date.now() + HOUR), log);
    server.use(
      tokenEndpoint(log, () => ({ access: 'new-access', refresh: 'refresh-2' })),
      http.get(`${API}/3/customers/:n`, ({ request }) => {
        const token = request.headers.get('authorization')?.replace('Bearer ', '');
        if (token === 'revoked') return new HttpResponse(null, { status: 401 });
        return HttpResponse.json({ Customer: customerRecord() });
      }),
    );
    const client = refreshClient(store);
    const results = await Promise.all([1, 2, 3].map((n) => client.customers.get(String(n))));
    expect(results.every((result) => result.isOk())).toBe(true);
    expect(log.filter((line) => line.startsWith('token:'))).toHaveLength(1);
  });
});
