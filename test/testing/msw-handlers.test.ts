import type { UnhandledFrameHandle } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorCore } from '../../src/testing/index.js';
import { createFortnoxEmulator, createMswHandlers } from '../../src/testing/msw.js';

/**
 * Requests no handler answered, as `METHOD url`. Like `onUnhandledFrame: 'error'` each one fails with
 * a network error, but quietly: the test asserts them instead of msw printing a warning block.
 */
const unhandled: string[] = [];
const failQuietly: UnhandledFrameHandle = ({ frame }) => {
  const { request } = frame.data as { request?: Request };
  unhandled.push(`${request?.method} ${request?.url}`);
  (frame as unknown as { respondWith(response: Response): void }).respondWith(Response.error());
};

const emulator = createFortnoxEmulator({ origins: ['https://fortnox.test'] });
const server = setupServer(...emulator.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: failQuietly }));
afterEach(() => {
  server.resetHandlers();
  unhandled.length = 0;
});
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
    expect(unhandled).toEqual([
      'GET https://api.fortnox.se/3/customers',
      'GET https://fortnox.test/other',
    ]);
  });

  it('can be made for a core created without msw', async () => {
    const core = createEmulatorCore();
    server.use(...createMswHandlers(core));
    const response = await fetch('https://api.fortnox.se/3/customers', {
      headers: { Authorization: `Bearer ${core.issueAccessToken()}` },
    });
    expect(response.status).toBe(200);
    expect(core.stats().requests).toBe(1);
    expect(unhandled).toEqual([]);
  });
});
