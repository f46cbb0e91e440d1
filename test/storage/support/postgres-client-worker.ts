/**
 * One process of the Postgres rate-limit and token tests (run with `node --import tsx`). Builds a
 * Fortnox client per tenant against the emulator, prints `ready`, waits for `go` on stdin, sends its
 * requests, prints one JSON line with what happened and exits.
 */
import { createInterface } from 'node:readline';
import {
  createFortnoxClient,
  createSlidingWindowRateLimiter,
  type TokenStore,
} from '../../../src/client/index.js';
import {
  createPostgresRateLimiter,
  createPostgresTokenStore,
} from '../../../src/storage/postgres/index.js';

/** What the parent passes in `POSTGRES_CLIENT_WORKER` (JSON). */
export type ClientWorkerSettings = {
  readonly mode: 'rate' | 'token';
  readonly url: string;
  readonly schema: string;
  /** The test run's graphile-worker schema (migrated before the tests start). */
  readonly workerSchema: string;
  readonly apiBaseUrl: string;
  readonly authBaseUrl: string;
  /** Per tenant: its access token (rate mode; tokens come from the store in token mode). */
  readonly tenants: Readonly<Record<string, string>>;
  readonly requestsPerTenant: number;
  /** rate: 'postgres' shares one budget; 'local' gives each process its own (the control). */
  readonly limiter?: 'postgres' | 'local';
  readonly limit?: number;
  readonly windowMs?: number;
  /** token: false drops the store's lock (the control). */
  readonly lock?: boolean;
  readonly encryptionKey?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
};

/** What the process prints at the end. */
export type ClientWorkerReport = { readonly ok: number; readonly errors: string[] };

const settings = JSON.parse(process.env.POSTGRES_CLIENT_WORKER ?? '{}') as ClientWorkerSettings;

const shared =
  settings.mode === 'rate' && settings.limiter === 'postgres'
    ? await createPostgresRateLimiter({
        connectionString: settings.url,
        schema: settings.schema,
        workerSchema: settings.workerSchema,
        limit: settings.limit ?? 25,
        windowMs: settings.windowMs ?? 5_000,
      })
    : undefined;
const tokenStore =
  settings.mode === 'token'
    ? await createPostgresTokenStore({
        connectionString: settings.url,
        schema: settings.schema,
        workerSchema: settings.workerSchema,
        encryptionKeys: [{ id: 'k1', key: settings.encryptionKey ?? '' }],
      })
    : undefined;
const local = createSlidingWindowRateLimiter({
  limit: settings.limit ?? 25,
  windowMs: settings.windowMs ?? 5_000,
});

const clients = Object.entries(settings.tenants).map(([tenantId, accessToken]) => {
  const store: TokenStore | undefined =
    tokenStore === undefined
      ? undefined
      : settings.lock === false
        ? { load: tokenStore.load, save: tokenStore.save }
        : tokenStore;
  return createFortnoxClient({
    auth:
      store === undefined
        ? { type: 'access-token', accessToken }
        : {
            type: 'refresh-token',
            tenantId,
            clientId: settings.clientId ?? '',
            clientSecret: settings.clientSecret ?? '',
            tokenStore: store,
          },
    apiBaseUrl: settings.apiBaseUrl,
    authBaseUrl: settings.authBaseUrl,
    rateLimitKey: tenantId,
    rateLimiter: shared ?? local,
  });
});

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;

const report: { ok: number; errors: string[] } = { ok: 0, errors: [] };
await Promise.all(
  clients.flatMap((client) =>
    Array.from({ length: settings.requestsPerTenant }, async () => {
      const result = await client.customers.list({ limit: 1 });
      if (result.isOk()) report.ok += 1;
      else
        report.errors.push(
          `${result.error.kind}:${'reason' in result.error ? String(result.error.reason) : ''}`,
        );
    }),
  ),
);
process.stdout.write(`${JSON.stringify(report)}\n`);
await shared?.close();
await tokenStore?.close();
process.exit(0);
