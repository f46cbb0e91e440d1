import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_HOST } from './options.js';

/** Where the HTTP server listens. */
export type ListenOptions = {
  /** Port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Interface to bind. @defaultValue '127.0.0.1' */
  host?: string;
};

/** A running emulator HTTP server. */
export type EmulatorServer = {
  /** Base URL, e.g. `http://127.0.0.1:4010`: use it as both the API and the OAuth base URL. */
  readonly url: string;
  /** The port it listens on (the one picked when `port` was 0). */
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
};

async function toRequest(incoming: IncomingMessage, base: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = incoming.method ?? 'GET';
  const chunks: Buffer[] = [];
  if (method !== 'GET' && method !== 'HEAD') {
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
  }
  return new Request(new URL(incoming.url ?? '/', base), {
    method,
    headers,
    ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
  });
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  outgoing.writeHead(response.status, headers);
  outgoing.end(body);
}

/**
 * Serves a fetch-API handler over `node:http`. A `Response.error()` (an injected connection reset or
 * lost response) destroys the socket, so the client sees a real network error.
 */
export function startEmulatorServer(
  handle: (request: Request) => Promise<Response>,
  options: ListenOptions = {},
): Promise<EmulatorServer> {
  const host = options.host ?? DEFAULT_HOST;
  let base = '';
  const server = createServer((incoming, outgoing) => {
    toRequest(incoming, base)
      .then(handle)
      .then((response) => {
        if (response.type !== 'error') return writeResponse(response, outgoing);
        incoming.socket.destroy();
        return undefined;
      })
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'Content-Type': 'text/plain' });
        outgoing.end('Emulator failure');
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      const printableHost = host.includes(':') ? `[${host}]` : host;
      base = `http://${printableHost}:${port}`;
      resolve({
        url: base,
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((error) => (error === undefined ? done() : fail(error)));
          }),
      });
    });
  });
}
