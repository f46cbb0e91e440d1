import { describe, expect, it } from 'vitest';
import {
  buildAuthorizationUrl,
  decodeAccessTokenClaims,
  exchangeAuthorizationCode,
  revokeToken,
} from '../../src/client/index.js';
import { AUTH, HttpResponse, http, makeJwt, useMockServer } from './support/fortnox-api.js';

const server = useMockServer();
const credentials = { clientId: 'my-client', clientSecret: 'my-secret', authBaseUrl: AUTH };
const basic = `Basic ${Buffer.from('my-client:my-secret').toString('base64')}`;

/** Exchanges `code` with the test app's credentials and redirect URI. */
const exchange = (code: string) =>
  exchangeAuthorizationCode({ ...credentials, code, redirectUri: 'https://app.example/cb' });

describe('buildAuthorizationUrl', () => {
  it('builds the authorization-code URL with offline access and space-separated scopes', () => {
    const url = new URL(
      buildAuthorizationUrl({
        clientId: 'my-client',
        redirectUri: 'https://app.example/callback',
        scopes: ['customer', 'companyinformation'],
        state: 'xyz',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://apps.fortnox.se/oauth-v1/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'my-client',
      redirect_uri: 'https://app.example/callback',
      scope: 'customer companyinformation',
      state: 'xyz',
      access_type: 'offline',
      response_type: 'code',
    });
    expect(url.search).toContain('scope=customer+companyinformation');
  });

  it('asks for a service account when accountType is service, on a configured base', () => {
    const url = new URL(
      buildAuthorizationUrl({
        clientId: 'c',
        redirectUri: 'https://app.example/cb',
        scopes: ['customer'],
        state: 's',
        accountType: 'service',
        authBaseUrl: AUTH,
      }),
    );
    expect(url.origin).toBe(AUTH);
    expect(url.searchParams.get('account_type')).toBe('service');
  });

  it('throws on missing scopes or an http base', () => {
    const base = { clientId: 'c', redirectUri: 'https://a/cb', state: 's' };
    expect(() => buildAuthorizationUrl({ ...base, scopes: [] })).toThrow(/scopes: \['customer'\]/);
    expect(() =>
      buildAuthorizationUrl({ ...base, scopes: ['customer companyinformation'] }),
    ).toThrow(TypeError);
    expect(() =>
      buildAuthorizationUrl({
        ...base,
        scopes: ['customer'],
        authBaseUrl: 'http://apps.fortnox.se',
      }),
    ).toThrow(/https/);
  });
});

describe('exchangeAuthorizationCode', () => {
  it('posts the code with Basic auth and returns the tokens with the tenant id read from the JWT', async () => {
    const accessToken = makeJwt({ tenantId: 4711 });
    let form: URLSearchParams | undefined;
    let authorization: string | null = null;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, async ({ request }) => {
        authorization = request.headers.get('authorization');
        form = new URLSearchParams(await request.text());
        return HttpResponse.json({
          access_token: accessToken,
          refresh_token: 'refresh-1',
          expires_in: 3600,
          scope: 'customer',
          token_type: 'bearer',
        });
      }),
    );
    const before = Date.now();
    const tokens = (await exchange('the-code'))._unsafeUnwrap();
    expect(authorization).toBe(basic);
    expect(Object.fromEntries(form ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://app.example/cb',
    });
    expect(tokens).toMatchObject({
      accessToken,
      refreshToken: 'refresh-1',
      scope: 'customer',
      tenantId: '4711',
    });
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
  });

  it('turns a dead code (invalid_grant served as text/html) into a reconnect-required auth error', async () => {
    let calls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () => {
        calls += 1;
        return new HttpResponse(
          '{"error":"invalid_grant","error_description":"Invalid authorization code"}',
          {
            status: 400,
            headers: { 'Content-Type': 'text/html' },
          },
        );
      }),
    );
    const error = (await exchange('old'))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'auth',
      reason: 'invalid-grant',
      reconnectRequired: true,
      status: 400,
    });
    expect(calls).toBe(1);
    expect(JSON.stringify(error)).not.toContain('my-secret');
  });

  it('rejects a token answer without a refresh token as an invalid response', async () => {
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () =>
        HttpResponse.json({ access_token: 'a', expires_in: 3600 }),
      ),
    );
    const error = (await exchange('c'))._unsafeUnwrapErr();
    expect(error.kind).toBe('invalid-response');
  });

  it('throws on a missing redirect URI (configuration), sending nothing', () => {
    expect(() => exchangeAuthorizationCode({ ...credentials, code: 'c', redirectUri: '' })).toThrow(
      /redirectUri must be a non-empty string/,
    );
  });

  it('returns a validation error for an empty code without calling Fortnox', async () => {
    const error = (await exchange(' '))._unsafeUnwrapErr();
    expect(error.kind).toBe('validation');
  });
});

describe('token endpoint failures', () => {
  it('retries a 503 or a lost answer from the OAuth server, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () => {
        calls += 1;
        if (calls === 1)
          return new HttpResponse('<html>503</html>', {
            status: 503,
            headers: { 'Content-Type': 'text/html' },
          });
        if (calls === 2) return HttpResponse.error();
        return HttpResponse.json({ access_token: 'a', refresh_token: 'r', expires_in: 3600 });
      }),
    );
    const tokens = (await exchange('c'))._unsafeUnwrap();
    expect(tokens).toMatchObject({ accessToken: 'a', refreshToken: 'r' });
    expect(tokens.tenantId).toBeUndefined();
    expect(calls).toBe(3);
  });

  it('does not retry an OAuth error answer', async () => {
    let calls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () => {
        calls += 1;
        return HttpResponse.json({ error: 'invalid_request' }, { status: 400 });
      }),
    );
    const error = (await exchange('c'))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'auth',
      reason: 'token-endpoint',
      oauthError: 'invalid_request',
    });
    expect(calls).toBe(1);
  });
});

describe('revokeToken', () => {
  it('posts token_type_hint and token with Basic auth', async () => {
    let form: Record<string, string> = {};
    server.use(
      http.post(`${AUTH}/oauth-v1/revoke`, async ({ request }) => {
        expect(request.headers.get('authorization')).toBe(basic);
        form = Object.fromEntries(new URLSearchParams(await request.text()));
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const result = await revokeToken({ ...credentials, token: 'refresh-1' });
    expect(result.isOk()).toBe(true);
    expect(form).toEqual({ token_type_hint: 'refresh_token', token: 'refresh-1' });
  });

  it('reports a refused revoke as an auth error', async () => {
    server.use(
      http.post(`${AUTH}/oauth-v1/revoke`, () =>
        HttpResponse.json({ error: 'invalid_client' }, { status: 401 }),
      ),
    );
    const error = (await revokeToken({ ...credentials, token: 't' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'auth',
      reason: 'invalid-client',
      reconnectRequired: false,
    });
  });
});

describe('decodeAccessTokenClaims', () => {
  it('reads tenantId and exp from a JWT, tolerating opaque and broken tokens', () => {
    expect(decodeAccessTokenClaims(makeJwt({ tenantId: 'Åre-42', exp: 1_900_000_000 }))).toEqual({
      tenantId: 'Åre-42',
      exp: 1_900_000_000,
    });
    expect(decodeAccessTokenClaims('opaque-token')).toEqual({});
    expect(decodeAccessTokenClaims('a.!!!.c')).toEqual({});
    expect(decodeAccessTokenClaims(`a.${Buffer.from('not json').toString('base64url')}.c`)).toEqual(
      {},
    );
    expect(decodeAccessTokenClaims(makeJwt({ tenantId: { nested: true } }))).toEqual({});
  });
});
