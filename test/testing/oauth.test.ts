import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, type FortnoxEmulatorOptions } from '../../src/testing/index.js';
import { createManualClock, httpFace, type Running } from './faces.js';
import { authorize, basic, connect, REDIRECT, refresh, token } from './oauth-helpers.js';

describe('OAuth', () => {
  const started: Running[] = [];
  const start = async (options?: FortnoxEmulatorOptions) => {
    const running = await httpFace.start(options);
    started.push(running);
    return running;
  };
  afterEach(async () => {
    for (const running of started.splice(0)) await running.stop();
  });

  it('runs the authorization code flow and the token works on the API', async () => {
    const { baseUrl } = await start();
    const code = await authorize(baseUrl);
    const response = await token(baseUrl, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({
      expires_in: 3600,
      token_type: 'bearer',
      scope: 'customer companyinformation',
    });
    const payload = JSON.parse(
      Buffer.from(String(tokens.access_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload.tenantId).toBe(1000001);
    const list = await fetch(`${baseUrl}/3/customers`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(list.status).toBe(200);
  });

  it('uses a code once and only for 10 minutes', async () => {
    const clock = createManualClock();
    const { baseUrl } = await start({ now: clock.now });
    const code = await authorize(baseUrl);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    expect((await token(baseUrl, form)).status).toBe(200);
    expect((await token(baseUrl, form)).status).toBe(400);
    const late = await authorize(baseUrl);
    clock.advance(10 * 60 * 1000 + 1);
    expect((await token(baseUrl, { ...form, code: late })).status).toBe(400);
  });

  it('rotates refresh tokens: the old one dies at once with 400 invalid_grant as text/html', async () => {
    const { baseUrl } = await start();
    const first = await connect(baseUrl);
    const refreshed = await refresh(baseUrl, first.refresh_token);
    expect(refreshed.status).toBe(200);
    const second = (await refreshed.json()) as Record<string, string>;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const reused = await refresh(baseUrl, first.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.headers.get('Content-Type')).toContain('text/html');
    expect(JSON.parse(await reused.text())).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    });
  });

  it('lets only one of two simultaneous refreshes with the same token succeed', async () => {
    const { baseUrl } = await start();
    const first = await connect(baseUrl);
    const form = { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' };
    const statuses = await Promise.all([token(baseUrl, form), token(baseUrl, form)]);
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 400]);
  });

  it('lets refresh tokens expire after 45 days', async () => {
    const clock = createManualClock();
    const { baseUrl } = await start({ now: clock.now });
    const first = await connect(baseUrl);
    clock.advance(45 * 24 * 3600 * 1000);
    expect((await refresh(baseUrl, first.refresh_token)).status).toBe(400);
  });

  it('issues client-credentials tokens for a TenantId, without a refresh token', async () => {
    const { baseUrl } = await start();
    const response = await token(
      baseUrl,
      { grant_type: 'client_credentials' },
      { TenantId: '1000001' },
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect(
      (await token(baseUrl, { grant_type: 'client_credentials' }, { TenantId: '42' })).status,
    ).toBe(400);
  });

  it('uses the configured access-token lifetime', async () => {
    const clock = createManualClock();
    const { baseUrl } = await start({ now: clock.now, oauth: { accessTokenLifetimeSeconds: 120 } });
    const response = await token(
      baseUrl,
      { grant_type: 'client_credentials' },
      { TenantId: '1000001' },
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.expires_in).toBe(120);
    const list = () =>
      fetch(`${baseUrl}/3/customers`, {
        headers: { Authorization: `Bearer ${String(body.access_token)}` },
      });
    clock.advance(119_000);
    expect((await list()).status).toBe(200);
    clock.advance(2_000);
    expect((await list()).status).toBe(401);
  });

  it('revokes an access token', async () => {
    const { baseUrl } = await start();
    const issued = (await (
      await token(baseUrl, { grant_type: 'client_credentials' }, { TenantId: '1000001' })
    ).json()) as Record<string, string>;
    const revoked = await fetch(`${baseUrl}/oauth-v1/revoke`, {
      method: 'POST',
      headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: issued.access_token ?? '' }),
    });
    expect(revoked.status).toBe(200);
    const list = await fetch(`${baseUrl}/3/customers`, {
      headers: { Authorization: `Bearer ${issued.access_token}` },
    });
    expect(list.status).toBe(401);
  });

  it('refuses bad client credentials as Fortnox does: 401, invalid_client JSON labelled text/plain', async () => {
    const { baseUrl } = await start();
    const response = await token(
      baseUrl,
      { grant_type: 'client_credentials' },
      { Authorization: basic(DEFAULT_CLIENT_ID, 'wrong') },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('Content-Type')).toBe('text/plain;charset=UTF-8');
    expect(await response.text()).toBe(
      '{"error":"invalid_client","error_description":"The client credentials are invalid"}',
    );
  });

  it('revokes a refresh token', async () => {
    const { baseUrl } = await start();
    const first = await connect(baseUrl);
    const revoked = await fetch(`${baseUrl}/oauth-v1/revoke`, {
      method: 'POST',
      headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token_type_hint: 'refresh_token',
        token: first.refresh_token ?? '',
      }),
    });
    expect(revoked.status).toBe(200);
    expect((await refresh(baseUrl, first.refresh_token)).status).toBe(400);
  });

  it('shows a consent page when configured, and approving it redirects with a code', async () => {
    const { baseUrl } = await start({ oauth: { consent: 'page' } });
    const query = `client_id=${DEFAULT_CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&response_type=code&state=s1`;
    const page = await fetch(`${baseUrl}/oauth-v1/auth?${query}`);
    expect(page.headers.get('Content-Type')).toContain('text/html');
    expect(await page.text()).toContain('<form method="post" action="/oauth-v1/auth">');
    const approve = new URLSearchParams(query);
    approve.set('decision', 'approve');
    approve.set('tenant', '3000003');
    const response = await fetch(`${baseUrl}/oauth-v1/auth`, {
      method: 'POST',
      body: approve,
      redirect: 'manual',
    });
    const location = new URL(response.headers.get('Location') ?? '');
    const code = location.searchParams.get('code') ?? '';
    const issued = (await (
      await token(baseUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT })
    ).json()) as Record<string, string>;
    const payload = JSON.parse(
      Buffer.from(String(issued.access_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(payload.tenantId).toBe(3000003);
    approve.set('decision', 'deny');
    const denied = await fetch(`${baseUrl}/oauth-v1/auth`, {
      method: 'POST',
      body: approve,
      redirect: 'manual',
    });
    expect(new URL(denied.headers.get('Location') ?? '').searchParams.get('error')).toBe(
      'access_denied',
    );
  });

  it('refuses an unknown client on the authorize endpoint', async () => {
    const { baseUrl } = await start();
    const response = await fetch(
      `${baseUrl}/oauth-v1/auth?client_id=nope&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
  });
});
