import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import type { FortnoxEmulatorOptions } from '../../src/testing/index.js';
import { createFortnoxEmulator, type FortnoxEmulator } from '../../src/testing/msw.js';

/** A running emulator reached through one of its faces. */
export type Running = {
  readonly emulator: FortnoxEmulator;
  /** Origin that both the API and OAuth answer on. */
  readonly baseUrl: string;
  /** Calls the API with a bearer token of the default tenant (or `token`). */
  api(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  stop(): Promise<void>;
};

/** One way of reaching the emulator: msw in-process, or the real HTTP server. */
export type Face = {
  readonly name: string;
  start(options?: FortnoxEmulatorOptions): Promise<Running>;
};

function running(emulator: FortnoxEmulator, baseUrl: string, stop: () => Promise<void>): Running {
  const defaultToken = emulator.issueAccessToken();
  return {
    emulator,
    baseUrl,
    stop,
    api(method, path, body, token = defaultToken) {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      return fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    },
  };
}

/** The msw face; registers the msw server's lifecycle in the calling test file. */
export function useMswFace(): Face {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());
  return {
    name: 'msw',
    async start(options) {
      const emulator = createFortnoxEmulator(options);
      server.resetHandlers(...emulator.handlers);
      return running(emulator, 'https://api.fortnox.se', async () => {
        server.resetHandlers();
      });
    },
  };
}

/** The HTTP face: a real server on 127.0.0.1, port 0. */
export const httpFace: Face = {
  name: 'http',
  async start(options) {
    const emulator = createFortnoxEmulator(options);
    const server = await emulator.listen({ port: 0 });
    return running(emulator, server.url, () => server.close());
  },
};

/** A clock tests move by hand. */
export function createManualClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(instant: number) {
      now = instant;
    },
  };
}
