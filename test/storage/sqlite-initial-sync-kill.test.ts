/**
 * `kill -9` in the middle of an initial sync on SQLite (issue 10): a real child process runs the sync
 * against the emulator over HTTP and is killed with SIGKILL after a third of the creates; a new engine
 * on the same file resumes. Nothing lost, nothing doubled.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { createFortnoxClient } from '../../src/client/index.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import { createEngineCore } from '../../src/sync/engine-core.js';
import { INITIAL_SYNC_CHECKPOINT, runInitialSync } from '../../src/sync/initial-sync.js';
import { processEntry } from '../../src/sync/process-entry.js';
import {
  createEmulatorCore,
  type EmulatorServer,
  generateSampleSource,
  seedSampleFortnox,
} from '../../src/testing/index.js';
import {
  createSampleHost,
  customersByReference,
  RATE,
  TENANT,
  TOKEN,
} from '../sync/support/initial-sync-harness.js';
import { sqlitePath } from './support/sqlite-files.js';

const WORKER = fileURLToPath(new URL('./support/initial-sync-worker.ts', import.meta.url));
const SAMPLE = { sourceCustomers: 200, fortnoxCustomers: 160, seed: 8 };
const LEASE_MS = 1_000;

const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('kill -9 mid initial sync on SQLite, then a new process resumes: one POST per create, nothing lost or doubled', async () => {
  const sample = generateSampleSource(SAMPLE);
  const { create, link, update, failed, ask } = sample.expectedCounts;
  const emulator = createEmulatorCore({
    rateLimit: { ...RATE },
    staticTokens: { [TOKEN]: TENANT },
  });
  seedSampleFortnox(emulator.tenant(TENANT), sample);
  const server: EmulatorServer = await emulator.listen();
  cleanup.push(() => server.close());
  const path = sqlitePath(`initial-sync-kill-${process.pid}-${Date.now()}`);
  const setup = createSqliteStorage({ path });
  await setup.tenants.put({
    tenantId: TENANT,
    connection: 'connected',
    reason: null,
    updatedAt: Date.now(),
  });
  await setup.close();

  const posts = () => emulator.requests().filter((entry) => entry.method === 'POST').length;
  const killAt = Math.floor(create / 3);
  expect(killAt).toBeGreaterThan(5);
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: {
      ...process.env,
      INITIAL_SYNC_WORKER: JSON.stringify({
        path,
        url: server.url,
        sample: SAMPLE,
        leaseMs: LEASE_MS,
      }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(() => child.exitCode === null && child.kill('SIGKILL'));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const deadline = Date.now() + 60_000;
  while (posts() < killAt) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the sync did not get going: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(output).not.toContain('finished');
  const postsBeforeKill = posts();
  expect(postsBeforeKill).toBeLessThan(create);

  const storage: SyncStorage = createSqliteStorage({ path, leaseMs: LEASE_MS, pollIntervalMs: 20 });
  cleanup.push(() => storage.close());
  expect(await storage.checkpoints.get(TENANT, INITIAL_SYNC_CHECKPOINT)).toMatchObject({
    phase: 'executing',
  });
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: TOKEN, tenantId: TENANT },
    apiBaseUrl: server.url,
    rateLimit: { ...RATE },
  });
  const ctx = createEngineCore({
    storage,
    clients: () => client,
    source: createSampleHost(sample.sourceCustomers),
    backoff: { initialMs: 50, maxMs: 500 },
    // The dead process's POSTs went to a local emulator (answered in milliseconds): its attempted
    // creates are reconciled two leases after the attempt, not after the default 45 s.
    createSettleMs: 2 * LEASE_MS,
  });
  const worker = storage.queue.start((item) => processEntry(ctx, item), { concurrency: 16 });
  cleanup.push(() => worker.stop());
  const report = await runInitialSync(ctx, TENANT);
  expect(report).toMatchObject({ resumed: true, phase: 'done' });

  // One POST per create over both processes: a create the dead process sent was reconciled, not re-sent.
  expect(posts()).toBe(create);
  const references = customersByReference(emulator);
  expect([...references].filter(([, numbers]) => numbers.length > 1)).toEqual([]);
  expect(emulator.tenant(TENANT).customers()).toHaveLength(160 + create);
  const links = await storage.links.list(TENANT);
  expect(links).toHaveLength(create + link + update);
  expect(new Set(links.map((entry) => entry.customerNumber)).size).toBe(links.length);
  expect(await storage.outbox.countByState(TENANT)).toEqual({
    pending: 0,
    failed,
    'needs-decision': ask,
  });
}, 120_000);
