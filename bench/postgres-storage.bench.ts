/**
 * The Postgres adapter under the engine's access pattern:
 * - pickup latency: `outbox.enqueue` + `queue.schedule` → the handler starts, one save at a time
 *   (LISTEN/NOTIFY wakes graphile-worker);
 * - the shared rate limiter's cost: acquire + release of one slot, one caller at a time and 16 callers
 *   on 4 tenants at once (budget never exhausted: only the bookkeeping is measured);
 * - the ceiling of notifying commits (16 connections), and saves alone (`outbox.enqueue`) with 1, 8
 *   and 64 at once: saves/s, transactions per save (the outbox batches saves that arrive together),
 *   Postgres CPU per save;
 * - the durable floor: Postgres CPU of one committed INSERT per save and one DELETE per delivery, what
 *   any durable queue pays at least, to compare the adapter's cost with;
 * - jobs per second with 1, 2 and 4 worker processes (each concurrency 8), N saves over 1 000 tenants
 *   enqueued, then every item handled (get the entry and the link, a slot of the shared rate limiter
 *   around the Fortnox call, complete the entry with a link): (a) handlers with no Fortnox call,
 *   the queue's own ceiling on this machine; (b) handlers that wait 150 ms like a Fortnox round trip,
 *   where processes wait rather than compute, so throughput should grow with them. For each run:
 *   Postgres CPU per job (user + system time of the worker processes' backends, read from /proc —
 *   the Postgres server must run on this machine) and per save (the host's enqueue + schedule, as
 *   the engine does it), what both mean for 5 000 saves/s, and the queries the workers sent per job.
 * Needs FORTNOX_SYNC_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test); uses fresh
 * schemas and drops them afterwards. Timings depend on the machine's load: compare within one run.
 *
 * Run: npm run bench:storage:postgres
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPostgresRateLimiter, createPostgresStorage } from '../src/storage/postgres/index.js';
import type { SyncStorage } from '../src/storage/sync-storage.js';
import { sampleCustomer } from '../src/testing/storage-suite/suite-context.js';
import { completeHandler } from './support/complete-handler.js';
import {
  backendCpu as backendCpuOf,
  cpuBetween,
  tagged as taggedUrl,
} from './support/postgres-cpu.js';

const URL_ = process.env.FORTNOX_SYNC_TEST_POSTGRES_URL;
if (URL_ === undefined || URL_ === '') {
  console.error('Set FORTNOX_SYNC_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
  process.exit(1);
}
const url: string = URL_;
const PICKUPS = 300;
/** The Fortnox ceiling's tenants: the throughput runs spread their saves over this many. */
const TENANTS = 1_000;
const CONCURRENCY = 8;
/** The engine's ceiling: 1 000 tenants × 25 requests per 5 s. */
const FORTNOX_CEILING = 5_000;
const WORKER = fileURLToPath(new URL('./support/postgres-bench-worker.ts', import.meta.url));
const schemas: string[] = [];
const admin = new pg.Pool({ connectionString: url, max: 1 });

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const backendCpu = (name: string) => backendCpuOf(admin, name);
const tagged = (name: string) => taggedUrl(url, name);

async function open(): Promise<{ storage: SyncStorage; schema: string }> {
  const schema = `fsbench_${process.pid}_${schemas.length}`;
  schemas.push(schema);
  const connectionString = tagged(`${schema}_host`);
  return { storage: await createPostgresStorage({ connectionString, schema }), schema };
}

async function pickupLatency(): Promise<{ p50: number; p99: number; runs: number }> {
  const { storage } = await open();
  const latencies: number[] = [];
  let started = 0;
  let runs = 0;
  let current: string | undefined;
  let signal: (() => void) | undefined;
  const worker = storage.queue.start(
    async (item) => {
      runs++;
      // The first run of the save being timed is its pickup; a later one is a rerun (below).
      if (item.sourceId === current) {
        latencies.push(performance.now() - started);
        current = undefined;
      }
      await completeHandler(storage, () => signal?.())(item);
    },
    { concurrency: CONCURRENCY },
  );
  await new Promise((resolve) => setTimeout(resolve, 500)); // the runner is listening
  for (let index = 0; index < PICKUPS; index++) {
    const done = new Promise<void>((resolve) => {
      signal = resolve;
    });
    const id = `p${index}`;
    current = id;
    started = performance.now();
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
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), runs };
}

/** A worker process: `ask(command)` writes a line and resolves with the next line it prints. */
type BenchWorker = { child: ChildProcess; ask(command: string): Promise<string> };

async function spawnWorker(url: string, schema: string, fortnoxMs: number): Promise<BenchWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: {
      ...process.env,
      POSTGRES_BENCH_WORKER: JSON.stringify({ url, schema, concurrency: CONCURRENCY, fortnoxMs }),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`bench worker exited (${code})`))),
  );
  exited.catch(() => undefined);
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) =>
    waiting.shift()?.(line),
  );
  const next = (): Promise<string> =>
    Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
  const ready = await next();
  if (ready !== 'ready') throw new Error(`bench worker said ${ready}`);
  return {
    child,
    ask(command) {
      const line = next();
      child.stdin?.write(`${command}\n`);
      return line;
    },
  };
}

type Throughput = {
  handler: string;
  processes: number;
  jobs: number;
  jobsPerSecond: number;
  /** Saves (enqueue + schedule) per second before the workers start, 8 at once. */
  enqueuePerSecond: number;
  /** Postgres CPU of one save's enqueue + schedule. */
  saveCpuMs: number;
  /** Jobs per second if every handler slot were busy all the time (only when handlers wait). */
  ideal: number | undefined;
  postgresCpuMsPerJob: number;
  queriesPerJob: number;
};

async function throughput(processes: number, jobs: number, fortnoxMs: number): Promise<Throughput> {
  const { storage, schema } = await open();
  // The host's side of a save, as the engine does it: enqueue, then schedule (its job is waiting).
  const hostCpuBefore = await backendCpu(`${schema}_host`);
  const enqueueStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let index = next++; index < jobs; index = next++) {
        const id = `j${index}`;
        const change = { operation: 'upsert' as const, customer: sampleCustomer(id) };
        await storage.outbox.enqueue(`t${index % TENANTS}`, id, change, Date.now());
        await storage.queue.schedule({ tenantId: `t${index % TENANTS}`, sourceId: id });
      }
    }),
  );
  const enqueuePerSecond = jobs / ((performance.now() - enqueueStart) / 1000);
  const saveCpuMs = cpuBetween(hostCpuBefore, await backendCpu(`${schema}_host`)) / jobs;
  await storage.close();
  const name = `${schema}_workers`;
  const workers = await Promise.all(
    Array.from({ length: processes }, () => spawnWorker(tagged(name), schema, fortnoxMs)),
  );
  // The workers were started on a full queue; time from their start to the last link.
  const cpuBefore = await backendCpu(name);
  const queriesBefore = await Promise.all(workers.map((worker) => worker.ask('count')));
  const startedAt = performance.now();
  for (;;) {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${schema}".links`,
    );
    if (rows[0]?.n === jobs) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const cpuAfter = await backendCpu(name);
  const queriesAfter = await Promise.all(workers.map((worker) => worker.ask('count')));
  const queries = queriesAfter.reduce(
    (sum, line, index) =>
      sum + Number(line.split(' ')[1]) - Number(queriesBefore[index]?.split(' ')[1]),
    0,
  );
  for (const { child } of workers) child.stdin?.write('stop\n');
  await Promise.all(
    workers.map(({ child }) => new Promise((resolve) => child.once('exit', resolve))),
  );
  return {
    handler: fortnoxMs > 0 ? `${fortnoxMs} ms Fortnox wait` : 'no Fortnox call',
    processes,
    jobs,
    jobsPerSecond: jobs / seconds,
    enqueuePerSecond,
    saveCpuMs,
    ideal: fortnoxMs > 0 ? (processes * CONCURRENCY * 1000) / fortnoxMs : undefined,
    postgresCpuMsPerJob: cpuBetween(cpuBefore, cpuAfter) / jobs,
    queriesPerJob: queries / jobs,
  };
}

/**
 * The floor any durable per-save queue pays: one committed write when a customer is saved (an
 * `INSERT` of its row) and one when it is delivered (a `DELETE`), each its own transaction, 8 at once,
 * prepared like the adapter's statements. Postgres CPU per save, to compare the adapter's with.
 */
async function durableFloor(jobs: number): Promise<number> {
  const schema = `fsbench_${process.pid}_${schemas.length}`;
  schemas.push(schema);
  const name = `${schema}_floor`;
  const pool = new pg.Pool({ connectionString: tagged(name), max: 8 });
  await pool.query(`CREATE SCHEMA "${schema}"`);
  await pool.query(
    `CREATE TABLE "${schema}".saves (tenant_id text, source_id text, customer text,
       PRIMARY KEY (tenant_id, source_id))`,
  );
  const customer = JSON.stringify(sampleCustomer('floor'));
  const insert = `INSERT INTO "${schema}".saves VALUES ($1, $2, $3)`;
  const remove = `DELETE FROM "${schema}".saves WHERE tenant_id = $1 AND source_id = $2`;
  const run = async (text: string): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let index = next++; index < jobs; index = next++) {
          const values =
            text === insert
              ? [`t${index % TENANTS}`, `j${index}`, customer]
              : [`t${index % TENANTS}`, `j${index}`];
          await pool.query({
            name: text === insert ? 'floor_insert' : 'floor_delete',
            text,
            values,
          });
        }
      }),
    );
  };
  await Promise.all(Array.from({ length: 8 }, () => pool.query('SELECT 1'))); // 8 connections
  const before = await backendCpu(name);
  await run(insert);
  await run(remove);
  const cpu = cpuBetween(before, await backendCpu(name)) / jobs;
  await pool.end();
  return cpu;
}

/** Saves alone (no workers), `savers` at once: how many a second, and what each costs Postgres. */
type SaveRate = {
  savers: number;
  savesPerSecond: number;
  postgresCpuMsPerSave: number;
  /** Enqueue statements (each its own transaction, one NOTIFY) per save. */
  transactionsPerSave: number;
};

async function saveRate(savers: number, saves: number): Promise<SaveRate> {
  const schema = `fsbench_${process.pid}_${schemas.length}`;
  schemas.push(schema);
  const name = `${schema}_savers`;
  const storage = await createPostgresStorage({ connectionString: tagged(name), schema });
  await storage.outbox.list('t0'); // migrated
  let statements = 0;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first] = args;
    const text = typeof first === 'string' ? first : String((first as { text?: unknown }).text);
    if (text.startsWith('SELECT') && text.includes('.enqueue_change')) statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  const cpuBefore = await backendCpu(name);
  const started = performance.now();
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: savers }, async () => {
        for (let index = next++; index < saves; index = next++) {
          const id = `s${index}`;
          const change = { operation: 'upsert' as const, customer: sampleCustomer(id) };
          await storage.outbox.enqueue(`t${index % TENANTS}`, id, change, Date.now());
        }
      }),
    );
  } finally {
    pg.Client.prototype.query = original;
  }
  const savesPerSecond = saves / ((performance.now() - started) / 1000);
  const postgresCpuMsPerSave = cpuBetween(cpuBefore, await backendCpu(name)) / saves;
  await storage.close();
  return { savers, savesPerSecond, postgresCpuMsPerSave, transactionsPerSave: statements / saves };
}

/**
 * The ceiling of transactions that NOTIFY: Postgres takes one database-wide lock for each such commit
 * and holds it through the commit's WAL flush, so they commit one at a time. `clients` connections
 * each commit `INSERT` + `pg_notify` (graphile-worker's add_job does both) for `ms`, against the same
 * without the notify.
 */
async function notifyCeiling(
  clients: number,
  ms: number,
): Promise<{ plain: number; notify: number }> {
  const schema = `fsbench_${process.pid}_${schemas.length}`;
  schemas.push(schema);
  const pool = new pg.Pool({ connectionString: url, max: clients });
  await pool.query(`CREATE SCHEMA "${schema}"`);
  await pool.query(`CREATE TABLE "${schema}".rows (n integer)`);
  const rate = async (text: string): Promise<number> => {
    let commits = 0;
    const until = performance.now() + ms;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          await pool.query(text);
          commits++;
        }
      }),
    );
    return commits / (ms / 1000);
  };
  const plain = await rate(`INSERT INTO "${schema}".rows VALUES (1)`);
  const notify = await rate(
    `WITH added AS (INSERT INTO "${schema}".rows VALUES (1) RETURNING n)
     SELECT pg_notify('fortnox_sync_bench', random()::text) FROM added`,
  );
  await pool.end();
  return { plain, notify };
}

async function rateLimiterCost(): Promise<{ serialMs: number; parallelPerSecond: number }> {
  const schema = `fsbench_${process.pid}_${schemas.length}`;
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

const machine = (): string => {
  const [one, five] = loadavg();
  return `${availableParallelism()} cores, load average ${one?.toFixed(1)} (1 min) ${five?.toFixed(1)} (5 min)`;
};

try {
  console.log(`machine: ${machine()}`);
  const { serialMs, parallelPerSecond } = await rateLimiterCost();
  console.log(
    `postgres rate limiter: ${serialMs.toFixed(2)} ms per slot (acquire + release, one at a time); ${Math.round(parallelPerSecond)} slots/s with 16 callers on 4 tenants`,
  );
  const floorMs = await durableFloor(2_000);
  console.log(
    `durable floor (one committed INSERT per save + one DELETE per delivery, 8 at once): ${floorMs.toFixed(2)} ms of Postgres CPU per save`,
  );
  const ceiling = await notifyCeiling(16, 2_000);
  console.log(
    `commits/s, 16 connections: ${Math.round(ceiling.plain)} INSERTs; ${Math.round(ceiling.notify)} INSERT + NOTIFY (Postgres commits notifying transactions one at a time)`,
  );
  const saveRates: SaveRate[] = [];
  for (const savers of [1, 8, 64]) saveRates.push(await saveRate(savers, 3_000));
  console.log('\npostgres saves alone (outbox.enqueue: the outbox row and its job), 3 000 saves:');
  console.table(
    saveRates.map((rate) => ({
      'saves at once': rate.savers,
      'saves/s': Math.round(rate.savesPerSecond),
      'transactions/save': Number(rate.transactionsPerSave.toFixed(2)),
      'PG CPU ms/save': Number(rate.postgresCpuMsPerSave.toFixed(3)),
    })),
  );
  const pickup = await pickupLatency();
  // A save whose schedule lands after its handler started is run once more (nothing left to do):
  // the queue cannot know the handler already saw the change.
  console.log(
    `postgres pickup (enqueue+schedule → handler), ${PICKUPS} saves one at a time: p50 ${pickup.p50.toFixed(2)} ms, p99 ${pickup.p99.toFixed(2)} ms (goal p99 ≤ 50 ms); ${(pickup.runs / PICKUPS).toFixed(2)} handler runs per save`,
  );
  const runs: Throughput[] = [];
  for (const processes of [1, 2, 4]) runs.push(await throughput(processes, 2_000, 0));
  for (const processes of [1, 2, 4])
    runs.push(await throughput(processes, 100 * processes * 4, 150));
  console.log(
    `\npostgres worker processes × concurrency ${CONCURRENCY} (jobs/s from start to last link):`,
  );
  console.table(
    runs.map((run) => {
      const base = runs.find((other) => other.handler === run.handler && other.processes === 1);
      return {
        handler: run.handler,
        processes: run.processes,
        jobs: run.jobs,
        'jobs/s': Math.round(run.jobsPerSecond),
        'vs 1 process': `${(run.jobsPerSecond / (base?.jobsPerSecond ?? Number.NaN)).toFixed(2)}x`,
        'of ideal':
          run.ideal === undefined ? '' : `${Math.round((100 * run.jobsPerSecond) / run.ideal)}%`,
        'PG CPU ms/job': Number(run.postgresCpuMsPerJob.toFixed(2)),
        // Both sides: the save (enqueue + schedule) and its job (rate slot included).
        'PG CPU ms/save all in': Number((run.postgresCpuMsPerJob + run.saveCpuMs).toFixed(2)),
        'x floor': Number(((run.postgresCpuMsPerJob + run.saveCpuMs) / floorMs).toFixed(1)),
        [`PG cores at ${FORTNOX_CEILING}/s`]: Number(
          (((run.postgresCpuMsPerJob + run.saveCpuMs) * FORTNOX_CEILING) / 1000).toFixed(1),
        ),
        'queries/job': Number(run.queriesPerJob.toFixed(1)),
        'saves/s (8 at once)': Math.round(run.enqueuePerSecond),
        'PG CPU ms/save': Number(run.saveCpuMs.toFixed(2)),
      };
    }),
  );
  console.log(`machine at the end: ${machine()}`);
} finally {
  for (const schema of schemas) {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}_worker" CASCADE`);
  }
  await admin.end();
}
