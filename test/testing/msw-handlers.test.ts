import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFortnoxEmulator } from '../../src/testing/index.js';

const emulator = createFortnoxEmulator({ origins: ['https://fortnox.test'] });
const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

describe('msw handlers', () => {
  it('answer the configured origins for /3/ and /oauth-v1/ paths only', async () => {
    const token = emulator.issueAccessToken();
    const response = await fetch('https://fortnox.test/3/customers', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    await expect(fetch('https://api.fortnox.se/3/customers')).rejects.toThrow();
    await expect(fetch('https://fortnox.test/other')).rejects.toThrow();
  });
});
