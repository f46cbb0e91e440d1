/**
 * The Postgres adapter under the engine's access pattern (no Fortnox):
 * - pickup latency: `outbox.enqueue` + `queue.schedule` → the handler starts, one save at a time
 *   (LISTEN/NOTIFY wakes graphile-worker);
 * - enqueue rate: saves enqueued one after another (each a transaction that also adds the job);
 * - the shared rate limiter's cost: acquire + release of one slot, one caller at a time and 16 callers
 *   on 4 tenants at once (budget never exhausted: only the bookkeeping is measured);
 * - jobs per second with 1, 2 and 4 worker processes (each concurrency 8): N saves enqueued, then
 *   every item handled (get the entry + complete with a link).
 * Needs FORTNOX_SYNC_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test); uses a fresh
 * schema and drops it afterwards.
 *
 * Run: npm run bench:storage:postgres
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPostgresRateLimiter, createPostgresStorage } from '../src/storage/postgres/index.js';
import type { SyncStorage } from '../src/storage/sync-storage.js';
import { sampleCustomer } from '../src/testing/storage-suite/suite-context.js';
import { spawnScript, tell } from '../test/support/child-processes.js';
import { closeAdmin, dropSchemas, schemaFor } from '../test/support/postgres.js';
import { completeHandler } from './support/complete-handler.js';

const URL_ = process.env.FORTNOX_SYNC_TEST_POSTGRES_URL;
if (URL_ === undefined || URL_ === '') {
  console.error('Set FORTNOX_SYNC_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
  process.exit(1);
}
const url: string = URL_;
const PICKUPS = 300;
const JOBS = 2_000;
const CONCURRENCY = 8;
const WORKER = fileURLToPath(new URL('./support/postgres-bench-worker.ts', import.meta.url));
const schemas: string[] = [];

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function open(): Promise<{ storage: SyncStorage; schema: string }> {
  const schema = schemaFor(`bench_${process.pid}_${schemas.length}`);
  schemas.push(schema);
  return { storage: await createPostgresStorage({ connectionString: url, schema }), schema };
}

async function pickupLatency(): Promise<{ p50: number; p99: number }> {
  const { storage } = await open();
  const latencies: number[] = [];
  let started = 0;
  let signal: (() => void) | undefined;
  const worker = storage.queue.start(
    async (item) => {
      latencies.push(performance.now() - started);
      await completeHandler(storage, () => signal?.())(item);
    },
    { concurrency: CONCURRENCY },
  );
  await new Promise((resolve) => setTimeout(resolve, 500)); // the runner is listening
  for (let index = 0; index < PICKUPS; index++) {
    const done = new Promise<void>((resolve) => {
      signal = resolve;
    });
    started = performance.now();
    const id = `p${index}`;
    await storage.outbox.enqueue(
      't1',
      id,
      { operation: 'upsert', customer: sampleCustomer(id) },
      Date.now(),
    );
    await storage.queue.schedule({ tenantId: 't1', sourceId: id });
    await done;
  }
  await worker.stop();
  await storage.close();
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function throughput(
  processes: number,
): Promise<{ enqueuePerSecond: number; jobsPerSecond: number }> {
  const { storage, schema } = await open();
  const enqueueStart = performance.now();
  for (let index = 0; index < JOBS; index++) {
    const id = `j${index}`;
    const tenantId = `t${index % 5}`;
    await storage.outbox.enqueue(
      tenantId,
      id,
      { operation: 'upsert', customer: sampleCustomer(id) },
      Date.now(),
    );
  }
  const enqueuePerSecond = JOBS / ((performance.now() - enqueueStart) / 1000);
  const children: ChildProcess[] = [];
  const workers = await Promise.all(
    Array.from({ length: processes }, () =>
      spawnScript(
        WORKER,
        { POSTGRES_BENCH_WORKER: JSON.stringify({ url, schema, concurrency: CONCURRENCY }) },
        children,
      ),
    ),
  );
  // The workers were started on a full queue; time from their start to the last link.
  const startedAt = performance.now();
  for (;;) {
    let links = 0;
    for (let tenant = 0; tenant < 5; tenant++) links += await storage.links.count(`t${tenant}`);
    if (links === JOBS) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const jobsPerSecond = JOBS / ((performance.now() - startedAt) / 1000);
  tell(workers, 'stop');
  await Promise.all(workers.map((worker) => worker.exited));
  await storage.close();
  return { enqueuePerSecond, jobsPerSecond };
}

async function rateLimiterCost(): Promise<{ serialMs: number; parallelPerSecond: number }> {
  const schema = schemaFor(`bench_${process.pid}_${schemas.length}`);
  schemas.push(schema);
  const limiter = await createPostgresRateLimiter({
    connectionString: url,
    schema,
    limit: 1_000_000,
    windowMs: 1_000,
  });
  const SLOTS = 500;
  let started = performance.now();
  for (let index = 0; index < SLOTS; index++) await (await limiter.acquire('t1'))();
  const serialMs = (performance.now() - started) / SLOTS;
  started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async (_, caller) => {
      for (let index = 0; index < SLOTS / 16; index++) {
        await (await limiter.acquire(`t${caller % 4}`))();
      }
    }),
  );
  const parallelPerSecond = SLOTS / ((performance.now() - started) / 1000);
  await limiter.close();
  return { serialMs, parallelPerSecond };
}

try {
  const { serialMs, parallelPerSecond } = await rateLimiterCost();
  console.log(
    `postgres rate limiter: ${serialMs.toFixed(2)} ms per slot (acquire + release, one at a time); ${Math.round(parallelPerSecond)} slots/s with 16 callers on 4 tenants`,
  );
  const { p50, p99 } = await pickupLatency();
  console.log(
    `postgres pickup (enqueue+schedule → handler), ${PICKUPS} saves one at a time: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
  );
  for (const processes of [1, 2, 4]) {
    const { enqueuePerSecond, jobsPerSecond } = await throughput(processes);
    console.log(
      `postgres ${processes} worker process(es) × concurrency ${CONCURRENCY}: ${Math.round(jobsPerSecond)} jobs/s (${JOBS} jobs; enqueue ${Math.round(enqueuePerSecond)}/s one at a time)`,
    );
  }
} finally {
  await dropSchemas(schemas);
  await closeAdmin();
}
