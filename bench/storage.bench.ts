/**
 * Storage adapters under the engine's access pattern (no Fortnox): for memory and SQLite,
 * - pickup latency: `outbox.enqueue` + `queue.schedule` → the handler starts, one save at a time;
 * - jobs per second: N saves enqueued, then every item handled (get entry + complete with a link).
 * SQLite uses a temp file (WAL, synchronous=NORMAL). Bounded: fixed counts; temp files removed.
 *
 * Run: npm run bench:storage
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMemoryStorage } from '../src/storage/memory-storage.js';
import { createSqliteStorage } from '../src/storage/sqlite/index.js';
import type { SyncStorage } from '../src/storage/sync-storage.js';
import { sampleCustomer } from '../src/testing/storage-suite/suite-context.js';
import { completeHandler } from './support/complete-handler.js';

const PICKUPS = 1_000;
const JOBS = 5_000;
const CONCURRENCY = 8;
const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync-bench-'));

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function pickupLatency(storage: SyncStorage): Promise<{ p50: number; p99: number }> {
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
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function jobsPerSecond(storage: SyncStorage): Promise<number> {
  let handled = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  for (let index = 0; index < JOBS; index++) {
    const id = `j${index}`;
    const tenantId = `t${index % 5}`;
    await storage.outbox.enqueue(
      tenantId,
      id,
      { operation: 'upsert', customer: sampleCustomer(id) },
      Date.now(),
    );
    await storage.queue.schedule({ tenantId, sourceId: id });
  }
  const startedAt = performance.now();
  const worker = storage.queue.start(
    completeHandler(storage, () => {
      handled += 1;
      if (handled === JOBS) finish();
    }),
    { concurrency: CONCURRENCY },
  );
  await finished;
  const seconds = (performance.now() - startedAt) / 1000;
  await worker.stop();
  return JOBS / seconds;
}

const adapters: Record<string, () => SyncStorage> = {
  memory: () => createMemoryStorage(),
  sqlite: () => createSqliteStorage({ path: path.join(directory, `${Math.random()}.db`) }),
};

try {
  console.log(
    `pickup: ${PICKUPS} saves one at a time; throughput: ${JOBS} saves, concurrency ${CONCURRENCY}`,
  );
  for (const [name, open] of Object.entries(adapters)) {
    const latencyStorage = open();
    const { p50, p99 } = await pickupLatency(latencyStorage);
    await latencyStorage.close();
    const throughputStorage = open();
    const rate = await jobsPerSecond(throughputStorage);
    await throughputStorage.close();
    console.log(
      `${name.padEnd(7)} pickup p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; ${Math.round(rate)} jobs/s`,
    );
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
}
