/**
 * One process of the SQLite token tests (run with `node --import tsx`), on a token store in a shared
 * file. `clients`: builds a Fortnox client per tenant against the emulator, prints `ready`, waits for
 * `go` on stdin, sends its requests, prints one JSON line with what happened and exits. `hold`: takes
 * a tenant's token lock, prints `ready` and never lets go (the parent kills it with SIGKILL).
 */
import { createInterface } from 'node:readline';
import { createFortnoxClient, type TokenStore } from '../../../src/client/index.js';
import { createSqliteTokenStore } from '../../../src/storage/sqlite/index.js';

/** What the parent passes in `SQLITE_TOKEN_WORKER` (JSON). */
export type SqliteTokenWorkerSettings = {
  readonly mode: 'clients' | 'hold';
  readonly path: string;
  readonly encryptionKey: string;
  readonly tenants: readonly string[];
  /** clients: false drops the store's lock (the control). */
  readonly lock?: boolean;
  readonly leaseMs?: number;
  readonly apiBaseUrl: string;
  readonly requestsPerTenant?: number;
  readonly clientId?: string;
  readonly clientSecret?: string;
};

/** What a `clients` process prints at the end. */
export type SqliteTokenWorkerReport = { readonly ok: number; readonly errors: string[] };

const settings = JSON.parse(process.env.SQLITE_TOKEN_WORKER ?? '{}') as SqliteTokenWorkerSettings;
const tokenStore = createSqliteTokenStore({
  path: settings.path,
  encryptionKeys: [{ id: 'k1', key: settings.encryptionKey }],
  ...(settings.leaseMs === undefined ? {} : { leaseMs: settings.leaseMs }),
});

if (settings.mode === 'hold') {
  await tokenStore.lock(settings.tenants[0] as string, async () => {
    process.stdout.write('ready\n');
    // Stays inside the lock, alive (as if a refresh were under way), until the parent kills it.
    setInterval(() => undefined, 1_000);
    await new Promise(() => undefined);
  });
}

const store: TokenStore =
  settings.lock === false ? { load: tokenStore.load, save: tokenStore.save } : tokenStore;
const clients = settings.tenants.map((tenantId) =>
  createFortnoxClient({
    auth: {
      type: 'refresh-token',
      tenantId,
      clientId: settings.clientId ?? '',
      clientSecret: settings.clientSecret ?? '',
      tokenStore: store,
    },
    apiBaseUrl: settings.apiBaseUrl,
    authBaseUrl: settings.apiBaseUrl,
  }),
);

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;

const report: { ok: number; errors: string[] } = { ok: 0, errors: [] };
await Promise.all(
  clients.flatMap((client) =>
    Array.from({ length: settings.requestsPerTenant ?? 1 }, async () => {
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
await tokenStore.close();
process.exit(0);
