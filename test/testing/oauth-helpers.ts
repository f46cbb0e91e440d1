import { expect } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/testing/index.js';

/** The redirect URI the tests authorize with. */
export const REDIRECT = 'https://app.example.se/callback';

/** HTTP Basic credentials of an OAuth client (the default one unless told). */
export const basic = (id = DEFAULT_CLIENT_ID, secret = DEFAULT_CLIENT_SECRET) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Runs `/oauth-v1/auth` (auto-approve), checks the redirect and returns the authorization code. */
export async function authorize(baseUrl: string, extra = ''): Promise<string> {
  const query = `client_id=${DEFAULT_CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=customer%20companyinformation&state=xyz&access_type=offline&response_type=code${extra}`;
  const response = await fetch(`${baseUrl}/oauth-v1/auth?${query}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('Location') ?? '');
  expect(location.origin + location.pathname).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('xyz');
  return location.searchParams.get('code') ?? '';
}

/** `POST /oauth-v1/token` with the default client's Basic credentials (headers may override). */
export const token = (
  baseUrl: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(`${baseUrl}/oauth-v1/token`, {
    method: 'POST',
    headers: {
      Authorization: basic(),
      'Content-Type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: new URLSearchParams(form),
  });

/** Authorizes and exchanges the code: the token response of a fresh connection. */
export async function connect(baseUrl: string): Promise<Record<string, string>> {
  const code = await authorize(baseUrl);
  const response = await token(baseUrl, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
  });
  return (await response.json()) as Record<string, string>;
}

/** `grant_type=refresh_token` with the given refresh token. */
export const refresh = (baseUrl: string, refreshToken: string | undefined) =>
  token(baseUrl, { grant_type: 'refresh_token', refresh_token: refreshToken ?? '' });
