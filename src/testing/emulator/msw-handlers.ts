import { HttpResponse, http, type RequestHandler } from 'msw';

/**
 * msw request handlers that send every request to Fortnox's hosts (or the configured origins) under
 * `/3/` and `/oauth-v1/` through the emulator core. A network error becomes `HttpResponse.error()`.
 */
export function createMswHandlers(
  handle: (request: Request) => Promise<Response>,
  origins: readonly string[],
): RequestHandler[] {
  const wanted = new Set(origins);
  const handler = http.all(
    ({ request }) => {
      const url = new URL(request.url);
      return wanted.has(url.origin) && /^\/(3|oauth-v1)\//.test(url.pathname);
    },
    async ({ request }) => {
      const response = await handle(request);
      return response.type === 'error' ? HttpResponse.error() : response;
    },
  );
  return [handler];
}
