import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectedClient,
  type FortnoxApp,
  finishConnect,
  startConnect,
} from '../../examples/connect-fortnox.js';
import { createMemoryTokenStore } from '../../src/index.js';
import {
  createEmulatorCore,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TENANT_ID,
  type EmulatorServer,
} from '../../src/testing/index.js';

// Access tokens live two seconds here (an hour at Fortnox), so the refresh happens within the test.
const emulator = createEmulatorCore({
  oauth: {
    accessTokenLifetimeSeconds: 2,
    clients: [
      {
        clientId: DEFAULT_CLIENT_ID,
        clientSecret: DEFAULT_CLIENT_SECRET,
        redirectUris: ['https://app.example/fortnox/callback'],
      },
    ],
  },
});
let server: EmulatorServer;
let app: FortnoxApp;

beforeAll(async () => {
  server = await emulator.listen({ port: 0 });
  app = {
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    redirectUri: 'https://app.example/fortnox/callback',
    authBaseUrl: server.url,
  };
});
afterAll(() => server.close());

/** The admin approves in Fortnox (the emulator approves at once) and is sent back with a code. */
async function approve(url: string): Promise<{ code: string; state: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get('location') ?? '');
  expect(`${back.origin}${back.pathname}`).toBe(app.redirectUri);
  return { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' };
}

describe('examples/connect-fortnox.ts against the emulator', () => {
  it('connects, refreshes with single-use rotation, and says reconnect once Fortnox revoked access', async () => {
    const store = createMemoryTokenStore();
    const { url, state } = startConnect(app);
    expect(new URL(url).searchParams.get('access_type')).toBe('offline');

    const callback = await approve(url);
    const tenantId = (
      await finishConnect(app, store, { ...callback, expectedState: state })
    )._unsafeUnwrap();
    expect(tenantId).toBe(DEFAULT_TENANT_ID);

    const client = connectedClient(app, store, tenantId, server.url);
    emulator.tenant(tenantId).seedCustomers(3);
    expect((await client.customers.list())._unsafeUnwrap().totalResources).toBe(3);

    // Near expiry the client refreshes by itself and saves the new pair (the old refresh token dies).
    const first = await store.load(tenantId);
    if (first === undefined) throw new Error('tokens were not saved');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await client.customers.list()).isOk()).toBe(true);
    const second = await store.load(tenantId);
    expect(second?.refreshToken).not.toBe(first.refreshToken);
    expect(second?.accessToken).not.toBe(first.accessToken);

    // The company disconnected the integration in Fortnox: the app must ask an admin to connect again.
    emulator.revokeTokens(tenantId);
    const revoked = await client.customers.list();
    expect(
      revoked.isErr() && revoked.error.kind === 'auth' && revoked.error.reconnectRequired,
    ).toBe(true);
  });

  it('refuses a callback whose state does not match, without spending the code', async () => {
    const store = createMemoryTokenStore();
    const { url } = startConnect(app);
    const callback = await approve(url);
    const tokenRequests = () =>
      emulator.requests().filter((entry) => entry.path === '/oauth-v1/token');
    const before = tokenRequests().length;
    const forged = await finishConnect(app, store, { ...callback, expectedState: 'another-state' });
    expect(forged.isErr()).toBe(true);
    expect(await store.load(DEFAULT_TENANT_ID)).toBeUndefined();
    expect(tokenRequests()).toHaveLength(before);
  });
});
