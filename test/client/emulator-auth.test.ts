/**
 * The client against the emulator's recorded Fortnox answers (over real HTTP, no msw): a rejected
 * access token is `401 {"message":"unauthorized"}`, wrong client credentials are `401 invalid_client`
 * labelled `text/plain`, and an `offset` past the last match is an empty page counted 0/0/1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createMemoryTokenStore,
  exchangeAuthorizationCode,
  isReconnectRequired,
  type TokenStore,
} from '../../src/client/index.js';
import {
  createEmulatorCore,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TENANT_ID,
  type EmulatorServer,
} from '../../src/testing/index.js';
import { authorize, connect, REDIRECT } from '../testing/oauth-helpers.js';

const HOUR = 3_600_000;
const emulator = createEmulatorCore({ rateLimit: false });
let server: EmulatorServer;

beforeAll(async () => {
  server = await emulator.listen({ port: 0 });
});
afterEach(() => emulator.reset());
afterAll(() => server.close());

/** A refresh-token client of the default tenant over `tokenStore`. */
function refreshClient(tokenStore: TokenStore, clientSecret = DEFAULT_CLIENT_SECRET) {
  return createFortnoxClient({
    auth: {
      type: 'refresh-token',
      clientId: DEFAULT_CLIENT_ID,
      clientSecret,
      tenantId: DEFAULT_TENANT_ID,
      tokenStore,
    },
    apiBaseUrl: server.url,
    authBaseUrl: server.url,
  });
}

/** A store holding a real refresh token and an access token the emulator never issued, not expired. */
async function storeWithUnknownAccessToken(): Promise<TokenStore> {
  const issued = await connect(server.url);
  return createMemoryTokenStore({
    [DEFAULT_TENANT_ID]: {
      accessToken: 'never-issued-by-fortnox',
      refreshToken: issued.refresh_token ?? '',
      expiresAt: Date.now() + HOUR,
    },
  });
}

/** `METHOD path status` of every request the emulator answered. */
const traffic = () =>
  emulator.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`);

describe('a rejected access token (401 {"message":"unauthorized"})', () => {
  it('is refreshed once and the call repeated, when the token is unknown to Fortnox', async () => {
    const tokenStore = await storeWithUnknownAccessToken();
    emulator.tenant().insert({ Name: 'Kvar AB' });
    const before = traffic().length;
    const result = await refreshClient(tokenStore).customers.get('1');
    expect(result._unsafeUnwrap().Name).toBe('Kvar AB');
    expect(traffic().slice(before)).toEqual([
      'GET /3/customers/1 401',
      'POST /oauth-v1/token 200',
      'GET /3/customers/1 200',
    ]);
    expect((await tokenStore.load(DEFAULT_TENANT_ID))?.accessToken).not.toBe(
      'never-issued-by-fortnox',
    );
  });

  it('ends in reconnectRequired after exactly one refresh attempt when the connection was revoked', async () => {
    const issued = await connect(server.url);
    const tokenStore = createMemoryTokenStore({
      [DEFAULT_TENANT_ID]: {
        accessToken: issued.access_token ?? '',
        refreshToken: issued.refresh_token ?? '',
        expiresAt: Date.now() + HOUR,
      },
    });
    emulator.revokeTokens();
    const before = traffic().length;
    const error = (await refreshClient(tokenStore).customers.list())._unsafeUnwrapErr();
    expect(isReconnectRequired(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'auth', reason: 'invalid-grant' });
    expect(traffic().slice(before)).toEqual(['GET /3/customers 401', 'POST /oauth-v1/token 400']);
  });

  it('is final for a fixed access token: unauthorized, reconnectRequired, no token request', async () => {
    const revoked = emulator.issueAccessToken();
    emulator.revokeTokens();
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: revoked },
      apiBaseUrl: server.url,
    });
    const before = traffic().length;
    const error = (await client.customers.list())._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'auth', reason: 'unauthorized', status: 401 });
    expect(isReconnectRequired(error)).toBe(true);
    expect(traffic().slice(before)).toEqual(['GET /3/customers 401']);
  });
});

describe('wrong client credentials (401 invalid_client as text/plain)', () => {
  it('are an invalid-client error on refresh, sent once and not a reconnect', async () => {
    const issued = await connect(server.url);
    const tokenStore = createMemoryTokenStore({
      [DEFAULT_TENANT_ID]: {
        accessToken: issued.access_token ?? '',
        refreshToken: issued.refresh_token ?? '',
        expiresAt: Date.now() - 1,
      },
    });
    const before = traffic().length;
    const error = (
      await refreshClient(tokenStore, 'wrong-secret').customers.list()
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'auth',
      reason: 'invalid-client',
      oauthError: 'invalid_client',
      status: 401,
      reconnectRequired: false,
      retryable: false,
    });
    expect(traffic().slice(before)).toEqual(['POST /oauth-v1/token 401']);
  });

  it('are an invalid-client error when exchanging an authorization code', async () => {
    const code = await authorize(server.url);
    const result = await exchangeAuthorizationCode({
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: 'wrong-secret',
      code,
      redirectUri: REDIRECT,
      authBaseUrl: server.url,
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: 'auth', reason: 'invalid-client' });
  });
});

describe('an offset past the last match', () => {
  it('reads as an empty page counted 0 resources, 0 pages, page 1', async () => {
    for (const name of ['A', 'B', 'C']) emulator.tenant().insert({ Name: name });
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
      apiBaseUrl: server.url,
    });
    expect((await client.customers.list({ offset: 3, page: 2 }))._unsafeUnwrap()).toEqual({
      customers: [],
      totalResources: 0,
      totalPages: 0,
      currentPage: 1,
    });
  });
});
