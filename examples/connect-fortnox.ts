/**
 * Connecting a Fortnox company (what an admin's "Connect Fortnox" button does), then using the
 * connection: the client refreshes the one-hour access token itself, saving each single-use refresh
 * token before it uses the new access token. A connection whose refresh token died reports
 * `reconnectRequired` so the app can ask an admin to connect again.
 */
import { randomBytes } from 'node:crypto';
import {
  buildAuthorizationUrl,
  createFortnoxClient,
  errAsync,
  exchangeAuthorizationCode,
  type FortnoxClient,
  type FortnoxError,
  ResultAsync,
  type TokenStore,
} from 'fortnox-sync';

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
