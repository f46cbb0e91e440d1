import { describe, expect, it } from 'vitest';
import type { Face } from './faces.js';
import { connect, refresh } from './oauth-helpers.js';
import { useStartedEmulators } from './suite-helpers.js';

/** The OAuth endpoints under injected faults, through one face. */
export function defineOAuthFaultSuite(face: Face): void {
  const start = useStartedEmulators(face);

  describe(`OAuth under faults through ${face.name}`, () => {
    it('a refresh whose answer is lost still rotated the token: the old one is dead', async () => {
      const { baseUrl, emulator } = await start();
      const first = await connect(baseUrl);
      emulator.faults.inject({ kind: 'lost-response', path: '/oauth-v1/token', count: 1 });
      await expect(refresh(baseUrl, first.refresh_token)).rejects.toThrow();
      const retried = await refresh(baseUrl, first.refresh_token);
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
