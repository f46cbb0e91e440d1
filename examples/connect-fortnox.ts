/**
 * Connecting a Fortnox company (what an admin's "Connect Fortnox" button does), then using the
 * connection: the client refreshes the one-hour access token itself, saving each single-use refresh
 * token before it uses the new access token. A connection whose refresh token died reports
 * `reconnectRequired` so the app can ask an admin to connect again.
 *
 *   npx tsx examples/connect-fortnox.ts
 *     runs the whole flow against an emulator it starts itself (the emulator's consent page approves
 *     at once, where Fortnox would show the admin a login and a consent screen).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildAuthorizationUrl,
  createFortnoxClient,
  createMemoryTokenStore,
  errAsync,
  exchangeAuthorizationCode,
  type FortnoxClient,
  type FortnoxError,
  ResultAsync,
  type TokenStore,
} from 'fortnox-sync';
import { createEmulatorCore, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from 'fortnox-sync/testing';

/** Your Fortnox app's registration. */
export type FortnoxApp = {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /** Point at the emulator in tests. @defaultValue Fortnox's own OAuth server */
  readonly authBaseUrl?: string;
};

/** Step 1: where to send the admin, and the `state` to check when Fortnox sends them back. */
export function startConnect(app: FortnoxApp): { readonly url: string; readonly state: string } {
  const state = randomBytes(16).toString('hex');
  const url = buildAuthorizationUrl({
    clientId: app.clientId,
    redirectUri: app.redirectUri,
    scopes: ['customer', 'companyinformation'],
    state,
    ...(app.authBaseUrl === undefined ? {} : { authBaseUrl: app.authBaseUrl }),
  });
  return { url, state };
}

/**
 * Step 2, on the redirect back: check `state`, exchange the code (valid ten minutes, single use) and
 * save the tokens under the tenant id the access token carries. Resolves to that tenant id.
 */
export function finishConnect(
  app: FortnoxApp,
  store: TokenStore,
  callback: { readonly code: string; readonly state: string; readonly expectedState: string },
): ResultAsync<string, FortnoxError | Error> {
  if (callback.state !== callback.expectedState) {
    return errAsync(new Error('OAuth state does not match: start the connection again'));
  }
  return exchangeAuthorizationCode({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: app.redirectUri,
    code: callback.code,
    ...(app.authBaseUrl === undefined ? {} : { authBaseUrl: app.authBaseUrl }),
  }).andThen((tokens) => {
    const tenantId = tokens.tenantId;
    if (tenantId === undefined) return errAsync(new Error('the access token names no tenant'));
    const saving = store.save(tenantId, tokens);
    return ResultAsync.fromPromise(
      saving,
      (cause) => new Error('could not save the tokens', { cause }),
    ).map(() => tenantId);
  });
}

/** Step 3, any time later: a client for the connected company. */
export function connectedClient(
  app: FortnoxApp,
  store: TokenStore,
  tenantId: string,
  apiBaseUrl?: string,
): FortnoxClient {
  return createFortnoxClient({
    auth: {
      type: 'refresh-token',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      tenantId,
      tokenStore: store,
    },
    ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
    ...(app.authBaseUrl === undefined ? {} : { authBaseUrl: app.authBaseUrl }),
  });
}

async function main(): Promise<void> {
  const redirectUri = 'http://localhost:3000/fortnox/callback';
  const emulator = createEmulatorCore({
    oauth: {
      clients: [
        {
          clientId: DEFAULT_CLIENT_ID,
          clientSecret: DEFAULT_CLIENT_SECRET,
          redirectUris: [redirectUri],
        },
      ],
    },
  });
  emulator.tenant().seedCustomers(5, { seed: 1 });
  const server = await emulator.listen({ port: 0 });
  try {
    const app: FortnoxApp = {
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      redirectUri,
      authBaseUrl: server.url,
    };
    // In production: a TokenStore that keeps the tokens encrypted in your database.
    const store = createMemoryTokenStore();

    const { url, state } = startConnect(app);
    console.log(`1. send the admin to ${url}`);

    // The admin approves; Fortnox redirects the browser to redirectUri with ?code=…&state=….
    const consent = await fetch(url, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') ?? redirectUri);
    const code = back.searchParams.get('code') ?? '';
    const returnedState = back.searchParams.get('state') ?? '';
    console.log(`2. Fortnox sent the admin back to ${back.origin}${back.pathname}`);

    const tenantId = await finishConnect(app, store, {
      code,
      state: returnedState,
      expectedState: state,
    });
    if (tenantId.isErr()) throw tenantId.error;
    console.log(`3. connected Fortnox company ${tenantId.value}; tokens saved`);

    const client = connectedClient(app, store, tenantId.value, server.url);
    const page = await client.customers.list();
    if (page.isErr()) throw page.error;
    console.log(`4. the connection works: the company has ${page.value.totalResources} customers`);
  } finally {
    await server.close();
  }
}

// Run main only when this file is the entry point (works from any path, spaces included).
if (isEntryPoint(import.meta.url)) await main();

/** Whether this module is the script node was started with (paths with spaces and symlinks included). */
function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = realpathSync(fileURLToPath(moduleUrl));
  // `npx tsx examples/<name>` may leave out the extension, as tsx allows.
  return [script, `${script}.ts`].some((file) => existsSync(file) && realpathSync(file) === self);
}
