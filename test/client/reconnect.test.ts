import { delay } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createMemoryTokenStore,
  isReconnectRequired,
  type TokenStore,
} from '../../src/client/index.js';
import {
  API,
  AUTH,
  customerRecord,
  HttpResponse,
  http,
  useMockServer,
} from './support/fortnox-api.js';

const server = useMockServer();

/** A refresh-token client for tenant 42 over `tokenStore`. */
function refreshClient(tokenStore: TokenStore) {
  return createFortnoxClient({
    auth: {
      type: 'refresh-token',
      clientId: 'cid',
      clientSecret: 'cs',
      tenantId: '42',
      tokenStore,
    },
    apiBaseUrl: API,
    authBaseUrl: AUTH,
  });
}

describe('a dead refresh token', () => {
  it('is sent to Fortnox once; later calls fail at once until a person reconnects', async () => {
    const sent: string[] = [];
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, async ({ request }) => {
        const refreshToken = new URLSearchParams(await request.text()).get('refresh_token') ?? '';
        sent.push(refreshToken);
        if (refreshToken === 'dead-refresh') {
          return new HttpResponse(
            '{"error":"invalid_grant","error_description":"Invalid refresh token"}',
            {
              status: 400,
              headers: { 'Content-Type': 'text/html' },
            },
          );
        }
        return HttpResponse.json({
          access_token: 'new-access',
          refresh_token: 'refresh-3',
          expires_in: 3600,
        });
      }),
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const tokenStore = createMemoryTokenStore({
      '42': { accessToken: 'expired', refreshToken: 'dead-refresh', expiresAt: Date.now() - 1 },
    });
    const client = refreshClient(tokenStore);
    const errors = [];
    for (let i = 0; i < 3; i += 1)
      errors.push((await client.customers.get('1'))._unsafeUnwrapErr());
    expect(errors.every(isReconnectRequired)).toBe(true);
    expect(errors.map((error) => error.kind === 'auth' && error.reason)).toEqual([
      'invalid-grant',
      'invalid-grant',
      'invalid-grant',
    ]);
    expect(sent).toEqual(['dead-refresh']);
    // A person reconnects: the store now holds a new (expired) pair, so the client refreshes again.
    await tokenStore.save('42', {
      accessToken: 'expired-2',
      refreshToken: 'refresh-2',
      expiresAt: 0,
    });
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(sent).toEqual(['dead-refresh', 'refresh-2']);
  });
});

describe('a token store whose lock fails', () => {
  it('fails that call with a typed error, and the next call refreshes normally', async () => {
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () =>
        HttpResponse.json({ access_token: 'a2', refresh_token: 'r2', expires_in: 3600 }),
      ),
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const inner = createMemoryTokenStore({
      '42': { accessToken: 'a1', refreshToken: 'r1', expiresAt: 0 },
    });
    let broken = true;
    const tokenStore: TokenStore = {
      load: (tenantId) => inner.load(tenantId),
      save: (tenantId, tokens) => inner.save(tenantId, tokens),
      lock<T>(tenantId: string, critical: () => Promise<T>): Promise<T> {
        if (broken) throw new Error('lock table missing');
        return inner.lock ? inner.lock(tenantId, critical) : critical();
      },
    };
    const client = refreshClient(tokenStore);
    expect((await client.customers.get('1'))._unsafeUnwrapErr()).toMatchObject({
      kind: 'auth',
      reason: 'token-store-failed',
    });
    broken = false;
    expect((await client.customers.get('1')).isOk()).toBe(true);
    expect((await tokenStore.load('42'))?.refreshToken).toBe('r2');
  });
});

describe('a caller that aborts while the token is being refreshed', () => {
  it('gets aborted; the refresh goes on for the others and is saved', async () => {
    let tokenCalls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, async () => {
        tokenCalls += 1;
        await delay(80);
        return HttpResponse.json({ access_token: 'a2', refresh_token: 'r2', expires_in: 3600 });
      }),
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const tokenStore = createMemoryTokenStore({
      '42': { accessToken: 'a1', refreshToken: 'r1', expiresAt: 0 },
    });
    const client = refreshClient(tokenStore);
    const controller = new AbortController();
    const aborted = client.customers.get('1', { signal: controller.signal });
    const patient = client.customers.get('2');
    setTimeout(() => controller.abort(), 10);
    expect((await aborted)._unsafeUnwrapErr().kind).toBe('aborted');
    expect((await patient).isOk()).toBe(true);
    expect(tokenCalls).toBe(1);
    expect((await tokenStore.load('42'))?.refreshToken).toBe('r2');
  });
});

describe('an access token that lives shorter than the refresh skew', () => {
  it('is used for half its life instead of being renewed on every call', async () => {
    let tokenCalls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () => {
        tokenCalls += 1;
        return HttpResponse.json({
          access_token: `a${tokenCalls + 1}`,
          refresh_token: `r${tokenCalls + 1}`,
          expires_in: 60,
        });
      }),
      http.get(`${API}/3/customers/:n`, () => HttpResponse.json({ Customer: customerRecord() })),
    );
    const tokenStore = createMemoryTokenStore({
      '42': { accessToken: 'a1', refreshToken: 'r1', expiresAt: 0 },
    });
    // Default skew: 120 s, twice the token's 60 s life.
    const client = refreshClient(tokenStore);
    for (let i = 0; i < 3; i += 1) expect((await client.customers.get('1')).isOk()).toBe(true);
    expect(tokenCalls).toBe(1);
  });
});
