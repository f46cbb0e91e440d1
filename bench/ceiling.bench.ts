/**
 * The engine at Fortnox's ceiling: many tenants, each with a backlog of saves, every one of them
 * limited by Fortnox to 25 requests per 5 s. Does the engine keep every tenant at its budget (so that
 * Fortnox, not the engine, limits throughput), and what does a request cost the engine?
 *
 * One process: a SyncEngine on the memory storage (`STORAGE=sqlite`: a SQLite file per process;
 * `STORAGE=postgres`: a schema per process and the shared Postgres rate limiter, with the Postgres CPU
 * of the process's connections per request, read from /proc: needs FORTNOX_SYNC_TEST_POSTGRES_URL and
 * the server on this machine), one FortnoxClient per tenant, and the Fortnox emulator in-process (`handle`, no HTTP: a socket per request would measure Node's HTTP stack, not
 * the engine), answering after `LATENCY_MS` like Fortnox over the internet, with its strict per-tenant
 * limiter counting 429s. Each tenant gets the same `SAVES` source customers (tenants are separate
 * Fortnox companies), saved at once; the engine creates them (duplicate searches and a POST each).
 * `ARRIVAL=steady`: after those, each tenant saves one of its customers again, changed, every
 * `SAVE_EVERY_MS` (an update each: the steady state of a running business, not a bulk import).
 *
 * Printed: requests per second in the steady window (after the first window, whose burst the sliding
 * window allows) against the ceiling `TENANTS × 25 / 5 s`; 429s; CPU of this process per request
 * (the engine, the client and the emulator together, so an upper bound for the engine), and how many
 * requests per second one core gives at that cost. Timings depend on the machine's load: compare
 * within one run, and read the CPU columns with the load average printed beside them.
 *
 * With `PROCESSES` > 1 the tenants are split over that many engine processes (each with its own
 * in-process emulator for its tenants: tenants share nothing), run at once, and summed: how the engine
 * scales out when one process's CPU is the limit.
 *
 * Run: npm run bench:ceiling
 *   (env: TENANTS=1000 PROCESSES=1 STORAGE=memory ARRIVAL=backlog SAVE_EVERY_MS=200 SAVES=40 LATENCY_MS=100 SECONDS=20 (whole 5 s windows) CONCURRENCY=<per process>)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createFortnoxClient } from '../src/client/client.js';
import { createMemoryStorage } from '../src/storage/memory-storage.js';
import {
  createPostgresRateLimiter,
  createPostgresStorage,
  type PostgresRateLimiter,
} from '../src/storage/postgres/index.js';
import { createSqliteStorage } from '../src/storage/sqlite/index.js';
import type { SyncStorage } from '../src/storage/sync-storage.js';
import { createSyncEngine } from '../src/sync/create-sync-engine.js';
import { createEmulatorCore } from '../src/testing/emulator/emulator-core.js';
import { generateSampleSource } from '../src/testing/seed/sample-source.js';
import { backendCpu, cpuBetween, tagged } from './support/postgres-cpu.js';

const whole = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const TENANTS = whole('TENANTS', 1_000);
const PROCESSES = whole('PROCESSES', 1);
const STORAGE = process.env.STORAGE ?? 'memory';
if (!['memory', 'sqlite', 'postgres'].includes(STORAGE)) {
  throw new Error('STORAGE must be memory, sqlite or postgres');
}
const POSTGRES_URL = process.env.FORTNOX_SYNC_TEST_POSTGRES_URL ?? '';
if (STORAGE === 'postgres' && POSTGRES_URL === '') {
  throw new Error('STORAGE=postgres needs FORTNOX_SYNC_TEST_POSTGRES_URL');
}
const SAVES = whole('SAVES', 40);
// `backlog`: every tenant's SAVES at once (a bulk import). `steady`: the SAVES are created first, then
// each tenant saves one of them again, changed (its city), every SAVE_EVERY_MS: one update each.
const ARRIVAL = process.env.ARRIVAL ?? 'backlog';
if (ARRIVAL !== 'backlog' && ARRIVAL !== 'steady')
  throw new Error('ARRIVAL must be backlog or steady');
const SAVE_EVERY_MS = whole('SAVE_EVERY_MS', 200);
const LATENCY_MS = whole('LATENCY_MS', 100);
const SECONDS = whole('SECONDS', 20);
const LIMIT = 25;
const WINDOW_MS = 5_000;
// The steady window is whole rate windows long: a shorter one can catch one tenant's 25 in less than
// 5 s (a sliding window allows that) and read above the ceiling.
const STEADY_MS = Math.ceil((SECONDS * 1000) / WINDOW_MS) * WINDOW_MS;
const CEILING = (TENANTS * LIMIT * 1000) / WINDOW_MS;
const API = 'https://api.fortnox.se';

/** What one engine process measured over its steady window. */
type SliceResult = {
  tenants: number;
  concurrency: number;
  requests: number;
  seconds: number;
  rateLimited: number;
  cpuMs: number;
  saves: number;
  enqueueMs: number;
  enqueueCpuMs: number;
  /** Postgres CPU of this process's connections in the steady window (STORAGE=postgres). */
  postgresCpuMs: number;
  /** Statements this process sent to Postgres in the steady window (graphile-worker's included). */
  queries: number;
};

// Every statement goes through pg.Client#query (the pools' clients and graphile-worker's alike).
let queriesSent = 0;
const sendQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queriesSent++;
  return (sendQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof sendQuery;

/** One engine process's part: `count` tenants from `first`, their saves, the steady window. */
async function runSlice(first: number, count: number): Promise<SliceResult> {
  const tenantIds = Array.from({ length: count }, (_, index) => String(2_000_001 + first + index));
  const emulator = createEmulatorCore({
    tenants: Object.fromEntries(tenantIds.map((id) => [id, { seedCustomers: 0 }])),
    rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
    upstreamLatency: () => LATENCY_MS,
  });
  const fetchFromEmulator = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    emulator.handle(new Request(input, init));
  // SQLite: a file of this process's own (WAL, in the temp directory), as one embedded worker has.
  // Postgres: a schema of this process's own, with the shared rate limiter (a slot per request).
  const directory = STORAGE === 'sqlite' ? mkdtempSync(path.join(tmpdir(), 'ceiling-')) : undefined;
  const schema = `fsceiling_${process.pid}`;
  const tag = `${schema}_engine`;
  let admin: pg.Pool | undefined;
  // The storage's pool is ours (passed in, so its size is ours): ended after the storage closes.
  let storagePool: pg.Pool | undefined;
  let rateLimiter: PostgresRateLimiter | undefined;
  let storage: SyncStorage;
  if (STORAGE === 'postgres') {
    admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const connectionString = tagged(POSTGRES_URL, tag);
    storagePool = new pg.Pool({ connectionString, max: 20 });
    // As a host should (graphile-worker warns otherwise): an idle connection's error must not crash it.
    storagePool.on('error', () => undefined);
    storagePool.on('connect', (connection) => connection.on('error', () => undefined));
    storage = await createPostgresStorage({ pool: storagePool, schema });
    rateLimiter = await createPostgresRateLimiter({ connectionString, schema });
  } else {
    storage =
      directory === undefined
        ? createMemoryStorage()
        : createSqliteStorage({ path: path.join(directory, 'sync.db') });
  }
  const clients = new Map(
    tenantIds.map((tenantId) => [
      tenantId,
      createFortnoxClient({
        auth: { type: 'access-token', accessToken: emulator.issueAccessToken(tenantId), tenantId },
        apiBaseUrl: API,
        fetch: fetchFromEmulator,
        ...(rateLimiter === undefined
          ? { rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } }
          : { rateLimiter }),
      }),
    ]),
  );
  for (const tenantId of tenantIds) {
    await storage.tenants.put({ tenantId, connection: 'connected', reason: null, updatedAt: 0 });
  }
  // Handlers: by default enough for every tenant's whole window in flight at once (a sliding window
  // grants a tenant's 25 together, then nothing until they leave it).
  const concurrency = whole('CONCURRENCY', count * LIMIT);
  const engine = createSyncEngine({
    storage,
    clients: (tenantId) => {
      const client = clients.get(tenantId);
      if (client === undefined) throw new Error(`no client for ${tenantId}`);
      return client;
    },
    concurrency,
    saveTimeoutMs: 1,
  });
  const sample = generateSampleSource({ sourceCustomers: SAVES, fortnoxCustomers: SAVES, seed: 1 });
  const requestsSoFar = (): { all: number; limited: number } => {
    const stats = emulator.stats();
    return { all: stats.requests, limited: stats.rateLimited };
  };

  const started = performance.now();
  const enqueueCpu = process.cpuUsage();
  await Promise.all(
    tenantIds.flatMap((tenantId) =>
      sample.sourceCustomers.map(async (customer) => {
        const saved = await engine.customerSaved(tenantId, customer);
        if (saved.isErr()) throw saved.error;
      }),
    ),
  );
  const enqueueMs = performance.now() - started;
  const enqueueCpuMs = msOf(process.cpuUsage(enqueueCpu));

  // Steady arrivals: each tenant re-saves its customers in turn, changed, from its own offset.
  let arriving = ARRIVAL === 'steady';
  let resaves = 0;
  const arrivals =
    ARRIVAL === 'steady'
      ? tenantIds.map(async (tenantId, index) => {
          await sleepUntil(started + (index / tenantIds.length) * SAVE_EVERY_MS);
          for (let round = 0; arriving; round++) {
            const customer = sample.sourceCustomers[round % sample.sourceCustomers.length];
            if (customer === undefined) return;
            const city = round % 2 === 0 ? 'Uppsala' : 'Lund';
            const saved = await engine.customerSaved(tenantId, {
              ...customer,
              address: { ...customer.address, city },
            });
            if (saved.isErr()) throw saved.error;
            resaves++;
            await sleepUntil(started + (index / tenantIds.length + round + 1) * SAVE_EVERY_MS);
          }
        })
      : [];

  // The first window may burst (a sliding window allows `LIMIT` at once); the steady state follows.
  await sleepUntil(started + WINDOW_MS);
  const from = requestsSoFar();
  const steadyStart = performance.now();
  const cpuBefore = process.cpuUsage();
  const postgresBefore = admin === undefined ? undefined : await backendCpu(admin, tag);
  const queriesBefore = queriesSent;
  await sleepUntil(steadyStart + STEADY_MS);
  const cpuMs = msOf(process.cpuUsage(cpuBefore));
  const queries = queriesSent - queriesBefore;
  const postgresCpuMs =
    admin === undefined || postgresBefore === undefined
      ? 0
      : cpuBetween(postgresBefore, await backendCpu(admin, tag));
  const to = requestsSoFar();
  const seconds = (performance.now() - steadyStart) / 1000;
  arriving = false;
  await Promise.all(arrivals);
  await engine.stop();
  await storage.close();
  await storagePool?.end();
  await rateLimiter?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  if (admin !== undefined) {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}_worker" CASCADE`);
    await admin.end();
  }
  return {
    tenants: count,
    concurrency,
    requests: to.all - from.all,
    seconds,
    rateLimited: to.limited,
    cpuMs,
    saves: count * SAVES + resaves,
    enqueueMs,
    enqueueCpuMs,
    postgresCpuMs,
    queries,
  };
}

/** Runs the slices in child processes (this file again, with `CEILING_SLICE`), all at once. */
async function runChildren(): Promise<SliceResult[]> {
  const self = fileURLToPath(import.meta.url);
  const per = Math.ceil(TENANTS / PROCESSES);
  return Promise.all(
    Array.from({ length: PROCESSES }, (_, index) => {
      const first = index * per;
      const count = Math.min(per, TENANTS - first);
      const child = spawn(process.execPath, ['--import', 'tsx', self], {
        env: { ...process.env, CEILING_SLICE: JSON.stringify({ first, count }) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      return new Promise<SliceResult>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (line.startsWith('{')) resolve(JSON.parse(line) as SliceResult);
        });
        child.once('exit', (code) => reject(new Error(`engine process exited (${code})`)));
      });
    }),
  );
}

const machine = (): string => {
  const [one] = loadavg();
  return `${availableParallelism()} cores, load average ${one?.toFixed(1)}`;
};

const slice = process.env.CEILING_SLICE;
if (slice !== undefined) {
  const { first, count } = JSON.parse(slice) as { first: number; count: number };
  process.stdout.write(`${JSON.stringify(await runSlice(first, count))}\n`);
  process.exit(0);
}

console.log(
  `${TENANTS} tenants in ${PROCESSES} engine process(es) on ${STORAGE} storage × ${SAVES} saves each (${ARRIVAL === 'steady' ? `then one every ${SAVE_EVERY_MS} ms` : 'at once'}), Fortnox latency ${LATENCY_MS} ms; ceiling ${CEILING} requests/s; ${machine()}`,
);
const results = PROCESSES === 1 ? [await runSlice(0, TENANTS)] : await runChildren();
const sum = (pick: (result: SliceResult) => number): number =>
  results.reduce((total, result) => total + pick(result), 0);
const perSecond = sum((result) => result.requests / result.seconds);
const cpuPerRequest =
  sum((result) => result.cpuMs) /
  Math.max(
    1,
    sum((result) => result.requests),
  );
console.table([
  {
    processes: PROCESSES,
    'concurrency/process': results[0]?.concurrency,
    'requests/s (steady)': Math.round(perSecond),
    ceiling: CEILING,
    'of ceiling': `${Math.round((100 * perSecond) / CEILING)}%`,
    '429s': sum((result) => result.rateLimited),
    'CPU ms/request': Number(cpuPerRequest.toFixed(3)),
    'CPU use (cores)': Number(sum((result) => result.cpuMs / 1000 / result.seconds).toFixed(2)),
    'requests/s per core': Math.round(1000 / cpuPerRequest),
    ...(STORAGE === 'postgres'
      ? {
          'PG CPU ms/request': Number(
            (
              sum((result) => result.postgresCpuMs) /
              Math.max(
                1,
                sum((result) => result.requests),
              )
            ).toFixed(3),
          ),
          'queries/request': Number(
            (
              sum((result) => result.queries) /
              Math.max(
                1,
                sum((result) => result.requests),
              )
            ).toFixed(1),
          ),
          [`PG cores at ${CEILING}/s`]: Number(
            (
              (sum((result) => result.postgresCpuMs) /
                Math.max(
                  1,
                  sum((result) => result.requests),
                )) *
              (CEILING / 1000)
            ).toFixed(1),
          ),
        }
      : {}),
    'enqueue CPU ms/save': Number(
      (sum((result) => result.enqueueCpuMs) / sum((result) => result.saves)).toFixed(3),
    ),
  },
]);
console.log(`machine at the end: ${machine()}`);
process.exit(0);

function msOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
}
