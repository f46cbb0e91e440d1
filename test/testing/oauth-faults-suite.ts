import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../src/testing/index.js';
import type { Face } from './faces.js';
import { useStartedEmulators } from './suite-helpers.js';

const basic = `Basic ${Buffer.from(`${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET}`).toString('base64')}`;
const REDIRECT = 'https://app.example.se/callback';

/** The OAuth endpoints under injected faults, through one face. */
export function defineOAuthFaultSuite(face: Face): void {
  const start = useStartedEmulators(face);

  describe(`OAuth under faults through ${face.name}`, () => {
    const tokenRequest = (baseUrl: string, form: Record<string, string>) =>
      fetch(`${baseUrl}/oauth-v1/token`, {
        method: 'POST',
        headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });

    it('a refresh whose answer is lost still rotated the token: the old one is dead', async () => {
      const { baseUrl, emulator } = await start();
      const authorize = await fetch(
        `${baseUrl}/oauth-v1/auth?client_id=${DEFAULT_CLIENT_ID}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}`,
        { redirect: 'manual' },
      );
      const code = new URL(authorize.headers.get('Location') ?? '').searchParams.get('code') ?? '';
      const first = (await (
        await tokenRequest(baseUrl, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
        })
      ).json()) as Record<string, string>;
      emulator.faults.inject({ kind: 'lost-response', path: '/oauth-v1/token', count: 1 });
      const refresh = { grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '' };
      await expect(tokenRequest(baseUrl, refresh)).rejects.toThrow();
      const retried = await tokenRequest(baseUrl, refresh);
      expect(retried.status).toBe(400);
      expect(JSON.parse(await retried.text())).toMatchObject({ error: 'invalid_grant' });
      expect(emulator.requests().map((entry) => [entry.path, entry.status])).toEqual([
        ['/oauth-v1/auth', 302],
        ['/oauth-v1/token', 200],
        ['/oauth-v1/token', 0],
        ['/oauth-v1/token', 400],
      ]);
    });
  });
}
