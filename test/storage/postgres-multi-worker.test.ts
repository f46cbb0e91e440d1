/**
 * The issue's scale-out test: 4 worker processes × 3 tenants on one Postgres storage and one shared
 * rate budget, 3 000 saves, against the emulator over HTTP with its strict limiter; one worker is
 * killed with SIGKILL mid-run. Every customer is synced exactly once, nothing goes over the limit.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/mapping/index.js';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import { createSyncEngine } from '../../src/sync/create-sync-engine.js';
import { createEmulatorCore } from '../../src/testing/index.js';
import { killChildren, spawnScript } from '../support/child-processes.js';
import {
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../support/postgres.js';
import { ADMIN, sampleCustomers } from '../sync/support/engine-harness.js';
import type { EngineWorkerSettings } from './support/postgres-engine-worker.js';
import { WORKER_SCHEMA } from './support/postgres-schemas.js';

const ENGINE_WORKER = fileURLToPath(
  new URL('./support/postgres-engine-worker.ts', import.meta.url),
);
const TENANTS = ['3000001', '3000002', '3000003'];
const PER_TENANT = 1_000;
const WORKERS = 4;
const LIMIT = 100;
const WINDOW_MS = 1_000;

const children: ChildProcess[] = [];
afterEach(() => killChildren(children));

async function totals(storage: SyncStorage) {
  let links = 0;
  let pending = 0;
  for (const tenant of TENANTS) {
    links += await storage.links.count(tenant);
    const counts = await storage.outbox.countByState(tenant);
    pending += counts.pending + counts.failed + counts['needs-decision'];
  }
  return { links, pending };
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

if (postgresAvailable()) {
  const schema = schemaFor(`multi_${process.pid}_${Date.now().toString(36)}`);
  afterAll(async () => {
    await dropSchemas([schema]);
    await closeAdmin();
  });

  describe('fortnox-sync/postgres: many workers', () => {
    it('4 worker processes × 3 tenants, 3 000 saves, one worker killed mid-run: each customer synced exactly once, zero 429s', async () => {
      const emulator = createEmulatorCore({
        defaultTenantId: TENANTS[0] as string,
        tenants: Object.fromEntries(TENANTS.map((tenant) => [tenant, {}])),
        rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
      });
      const server = await emulator.listen({ host: '127.0.0.1', port: 0 });
      const storage = await createPostgresStorage({
        connectionString: POSTGRES_URL as string,
        schema,
        workerSchema: WORKER_SCHEMA,
      });
      // The host's side: saves are queued here; the worker processes deliver them.
      const host = createSyncEngine({
        storage,
        clients: () => {
          throw new Error('the host process sends nothing');
        },
        autoStart: false,
        saveTimeoutMs: 1,
      });
      try {
        for (const tenant of TENANTS) (await host.connect(tenant, ADMIN))._unsafeUnwrap();
        const settings: EngineWorkerSettings = {
          url: POSTGRES_URL as string,
          schema,
          workerSchema: WORKER_SCHEMA,
          apiBaseUrl: server.url,
          tokens: Object.fromEntries(
            TENANTS.map((tenant) => [tenant, emulator.issueAccessToken(tenant)]),
          ),
          limit: LIMIT,
          windowMs: WINDOW_MS,
          concurrency: 16,
          leaseMs: 3_000,
          // A worker that stalls past its lease (or is killed) may still have a POST on its way: the
          // worker that takes the item over waits this long after the attempt before it looks the
          // customer up. The clients' timeout (10 s) plus a margin, as the default is built; only the
          // items taken over wait, so the run is hardly longer.
          createSettleMs: 12_000,
        };
        const workers = await Promise.all(
          Array.from({ length: WORKERS }, () =>
            spawnScript(
              ENGINE_WORKER,
              { POSTGRES_ENGINE_WORKER: JSON.stringify(settings) },
              children,
            ),
          ),
        );
        const customers = new Map<string, SourceCustomer[]>(
          TENANTS.map((tenant, index) => [
            tenant,
            sampleCustomers(PER_TENANT, 300 + index, `m${index}`),
          ]),
        );
        const started = Date.now();
        const saves = TENANTS.flatMap((tenant) =>
          (customers.get(tenant) ?? []).map((customer) => ({ tenant, customer })),
        );
        // Interleave the tenants, 32 saves in flight at a time.
        saves.sort(
          (a, b) => Number(a.customer.id.split('-')[1]) - Number(b.customer.id.split('-')[1]),
        );
        let next = 0;
        const enqueueing = Promise.all(
          Array.from({ length: 32 }, async () => {
            while (next < saves.length) {
              const save = saves[next++] as (typeof saves)[number];
              (await host.customerSaved(save.tenant, save.customer))._unsafeUnwrap();
            }
          }),
        ).then(() => Date.now() - started);

        // Mid-run, while saves still arrive: kill one worker without warning.
        await until('some customers delivered', 120_000, async () => {
          return (await totals(storage)).links >= 300;
        });
        const victim = workers[0]?.child;
        victim?.kill('SIGKILL');
        const atKill = await totals(storage);
        const enqueuedMs = await enqueueing;
        await until('every customer delivered', 240_000, async () => {
          const now = await totals(storage);
          return now.links === TENANTS.length * PER_TENANT && now.pending === 0;
        });
        const doneMs = Date.now() - started;
        for (const worker of workers.slice(1)) worker.child.stdin?.write('stop\n');
        const exits = await Promise.all(workers.slice(1).map((worker) => worker.exited));
        expect(exits).toEqual([0, 0, 0]);

        const stats = emulator.stats();
        const log = emulator.requests();
        console.info(
          `multi-worker: worker killed at ${atKill.links} links; ${saves.length} saves enqueued in ${enqueuedMs} ms, all delivered in ${doneMs} ms; ${stats.requests} requests, ${stats.rateLimited} answered 429`,
        );
        expect(stats.rateLimited).toBe(0);
        for (const tenant of TENANTS) {
          const inFortnox = emulator.tenant(tenant).customers();
          const references = inFortnox.map((customer) => customer.ExternalReference);
          // Exactly once: one Fortnox customer per source customer, none twice, none missing.
          expect(new Set(references).size).toBe(inFortnox.length);
          expect([...references].sort()).toEqual(
            (customers.get(tenant) ?? []).map((customer) => customer.id).sort(),
          );
          expect(await storage.links.count(tenant)).toBe(PER_TENANT);
          const posts = log.filter(
            (entry) => entry.tenantId === tenant && entry.method === 'POST' && entry.status < 300,
          );
          expect(posts).toHaveLength(PER_TENANT);
        }
      } finally {
        await host.stop();
        await storage.close();
        await server.close();
      }
    }, 420_000);
  });
} else {
  describe.skip('fortnox-sync/postgres: many workers (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
