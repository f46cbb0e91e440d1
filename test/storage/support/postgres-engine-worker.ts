/**
 * One sync worker process of the Postgres multi-worker test (run with `node --import tsx`): a sync
 * engine on the shared Postgres storage and the shared Postgres rate budget, delivering to the
 * emulator over HTTP until it is told `stop` on stdin (or killed).
 */
import { createInterface } from 'node:readline';
import pg from 'pg';
import { createFortnoxClient, type FortnoxClient } from '../../../src/client/index.js';
import {
  createPostgresRateLimiter,
  createPostgresStorage,
} from '../../../src/storage/postgres/index.js';
import { createSyncEngine } from '../../../src/sync/create-sync-engine.js';

/** What the parent passes in `POSTGRES_ENGINE_WORKER` (JSON). */
export type EngineWorkerSettings = {
  readonly url: string;
  readonly schema: string;
  /** The test run's graphile-worker schema (migrated before the tests start). */
  readonly workerSchema: string;
  readonly apiBaseUrl: string;
  /** Per tenant: its access token. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly limit: number;
  readonly windowMs: number;
  readonly concurrency: number;
  readonly leaseMs: number;
  /** The engine's `createSettleMs` (a killed worker's creates are reconciled this long after). */
  readonly createSettleMs: number;
};

const settings = JSON.parse(process.env.POSTGRES_ENGINE_WORKER ?? '{}') as EngineWorkerSettings;
// One pool for the storage and the rate budget (a host's usual set-up; keeps connections few).
const pool = new pg.Pool({ connectionString: settings.url, max: 12 });
pool.on('error', () => undefined);
pool.on('connect', (client) => client.on('error', () => undefined));
const storage = await createPostgresStorage({
  pool,
  schema: settings.schema,
  workerSchema: settings.workerSchema,
  leaseMs: settings.leaseMs,
  pollIntervalMs: 100,
});
const rateLimiter = await createPostgresRateLimiter({
  pool,
  schema: settings.schema,
  workerSchema: settings.workerSchema,
  limit: settings.limit,
  windowMs: settings.windowMs,
  maxHoldMs: 15_000,
});
const clients = new Map<string, FortnoxClient>();
const engine = createSyncEngine({
  storage,
  clients: (tenantId) => {
    let client = clients.get(tenantId);
    if (client === undefined) {
      client = createFortnoxClient({
        auth: { type: 'access-token', accessToken: settings.tokens[tenantId] ?? 'none', tenantId },
        apiBaseUrl: settings.apiBaseUrl,
        authBaseUrl: settings.apiBaseUrl,
        rateLimiter,
        rateLimitKey: tenantId,
        timeoutMs: 10_000,
      });
      clients.set(tenantId, client);
    }
    return client;
  },
  concurrency: settings.concurrency,
  backoff: { initialMs: 50, maxMs: 1_000 },
  saveTimeoutMs: 1_000,
  createSettleMs: settings.createSettleMs,
  autoStart: true,
});

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin }))
  if (line.trim() === 'stop') break;
await engine.stop();
await rateLimiter.close();
await storage.close();
await pool.end();
process.exit(0);
