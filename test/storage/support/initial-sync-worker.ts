/**
 * A process running the initial sync on a SQLite file against the emulator over HTTP (run with
 * `node --import tsx`); the test kills it with SIGKILL mid-run.
 */
import { createFortnoxClient } from '../../../src/client/index.js';
import { createSqliteStorage } from '../../../src/storage/sqlite/index.js';
import { createEngineCore } from '../../../src/sync/engine-core.js';
import { runInitialSync } from '../../../src/sync/initial-sync.js';
import { processEntry } from '../../../src/sync/process-entry.js';
import { generateSampleSource, type SampleSourceOptions } from '../../../src/testing/index.js';
import { createSampleHost, RATE, TENANT, TOKEN } from '../../sync/support/initial-sync-harness.js';

type Settings = { path: string; url: string; sample: SampleSourceOptions; leaseMs: number };
const settings = JSON.parse(process.env.INITIAL_SYNC_WORKER ?? '{}') as Settings;

const storage = createSqliteStorage({
  path: settings.path,
  leaseMs: settings.leaseMs,
  pollIntervalMs: 20,
});
const client = createFortnoxClient({
  auth: { type: 'access-token', accessToken: TOKEN, tenantId: TENANT },
  apiBaseUrl: settings.url,
  rateLimit: { ...RATE },
});
const ctx = createEngineCore({
  storage,
  clients: () => client,
  source: createSampleHost(generateSampleSource(settings.sample).sourceCustomers),
  backoff: { initialMs: 50, maxMs: 500 },
});
storage.queue.start((item) => processEntry(ctx, item), { concurrency: 16 });
process.stdout.write('ready\n');
await runInitialSync(ctx, TENANT);
process.stdout.write('finished\n');
