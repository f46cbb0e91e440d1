import { HttpResponse, http, type RequestHandler } from 'msw';
import type { FortnoxEmulatorCore } from './emulator-core.js';

/**
 * msw 3 request handlers that send every request to the emulator's origins (Fortnox's hosts unless
 * configured) under `/3/` and `/oauth-v1/` through `emulator.handle`; other requests stay unhandled.
 * A network error (an injected connection reset or lost response) becomes `HttpResponse.error()`.
 *
 * @example
 * ```ts
 * const emulator = createEmulatorCore();
 * const server = setupServer(...createMswHandlers(emulator));
 * ```
 */
export function createMswHandlers(
  emulator: Pick<FortnoxEmulatorCore, 'handle' | 'options'>,
): RequestHandler[] {
  const wanted = new Set(emulator.options.origins);
  const handler = http.all(
    ({ request }) => {
      const url = new URL(request.url);
      return wanted.has(url.origin) && /^\/(3|oauth-v1)\//.test(url.pathname);
    },
    async ({ request }) => {
      const response = await emulator.handle(request);
      return response.type === 'error' ? HttpResponse.error() : response;
    },
  );
  return [handler];
}
