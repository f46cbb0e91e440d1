/**
 * The engine at Fortnox's ceiling: many tenants, each with a backlog of saves, every one of them
 * limited by Fortnox to 25 requests per 5 s. Does the engine keep every tenant at its budget (so that
 * Fortnox, not the engine, limits throughput), and what does a request cost the engine?
 *
 * One process: a SyncEngine on the memory storage, one FortnoxClient per tenant, and the Fortnox
 * emulator in-process (`handle`, no HTTP: a socket per request would measure Node's HTTP stack, not
 * the engine), answering after `LATENCY_MS` like Fortnox over the internet, with its strict per-tenant
 * limiter counting 429s. Each tenant gets the same `SAVES` source customers (tenants are separate
 * Fortnox companies), saved at once; the engine creates them (duplicate searches and a POST each).
 *
 * Printed: requests per second in the steady window (after the first window, whose burst the sliding
 * window allows) against the ceiling `TENANTS × 25 / 5 s`; 429s; CPU of this process per request
 * (the engine, the client and the emulator together, so an upper bound for the engine), and how many
 * requests per second one core gives at that cost. Timings depend on the machine's load: compare
 * within one run, and read the CPU columns with the load average printed beside them.
 *
 * Run: npm run bench:ceiling   (env: TENANTS=1000 SAVES=40 LATENCY_MS=100 SECONDS=20 CONCURRENCY)
 */
import { availableParallelism, loadavg } from 'node:os';
import { createFortnoxClient } from '../src/client/client.js';
import { createMemoryStorage } from '../src/storage/memory-storage.js';
import { createSyncEngine } from '../src/sync/create-sync-engine.js';
import { createEmulatorCore } from '../src/testing/emulator/emulator-core.js';
import { generateSampleSource } from '../src/testing/seed/sample-source.js';

const whole = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const TENANTS = whole('TENANTS', 1_000);
const SAVES = whole('SAVES', 40);
const LATENCY_MS = whole('LATENCY_MS', 100);
const SECONDS = whole('SECONDS', 20);
const LIMIT = 25;
const WINDOW_MS = 5_000;
const CEILING = (TENANTS * LIMIT * 1000) / WINDOW_MS;
const API = 'https://api.fortnox.se';

const tenantIds = Array.from({ length: TENANTS }, (_, index) => String(2_000_001 + index));
const emulator = createEmulatorCore({
  tenants: Object.fromEntries(tenantIds.map((id) => [id, { seedCustomers: 0 }])),
  rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
  upstreamLatency: () => LATENCY_MS,
});
const fetchFromEmulator = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
  emulator.handle(new Request(input, init));
const clients = new Map(
  tenantIds.map((tenantId) => [
    tenantId,
    createFortnoxClient({
      auth: { type: 'access-token', accessToken: emulator.issueAccessToken(tenantId), tenantId },
      apiBaseUrl: API,
      fetch: fetchFromEmulator,
      rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
    }),
  ]),
);
const storage = createMemoryStorage();
for (const tenantId of tenantIds) {
  await storage.tenants.put({ tenantId, connection: 'connected', reason: null, updatedAt: 0 });
}
// Handlers: by default enough for every tenant's whole window in flight at once (a sliding window
// grants a tenant's 25 together, then nothing until they leave it).
const concurrency = whole('CONCURRENCY', TENANTS * LIMIT);
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

const machine = (): string => {
  const [one] = loadavg();
  return `${availableParallelism()} cores, load average ${one?.toFixed(1)}`;
};
const requestsSoFar = (): { all: number; limited: number } => {
  const stats = emulator.stats();
  return { all: stats.requests, limited: stats.rateLimited };
};

console.log(
  `${TENANTS} tenants × ${SAVES} saves, Fortnox latency ${LATENCY_MS} ms, engine concurrency ${concurrency}; ceiling ${CEILING} requests/s; ${machine()}`,
);
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

// The first window may burst (a sliding window allows `LIMIT` at once); the steady state follows.
await sleepUntil(started + WINDOW_MS);
const steadyFrom = requestsSoFar();
const steadyStart = performance.now();
const cpuBefore = process.cpuUsage();
const seconds: number[] = [];
let last = steadyFrom.all;
while (performance.now() - steadyStart < SECONDS * 1000) {
  await sleepUntil(steadyStart + (seconds.length + 1) * 1000);
  const now = requestsSoFar().all;
  seconds.push(now - last);
  last = now;
}
const cpu = msOf(process.cpuUsage(cpuBefore));
const steadyTo = requestsSoFar();
const steadySeconds = (performance.now() - steadyStart) / 1000;
const requests = steadyTo.all - steadyFrom.all;
const perSecond = requests / steadySeconds;
const cpuPerRequest = cpu / Math.max(1, requests);
await engine.stop();

console.table([
  {
    'requests/s (steady)': Math.round(perSecond),
    ceiling: CEILING,
    'of ceiling': `${Math.round((100 * perSecond) / CEILING)}%`,
    '429s': steadyTo.limited,
    'CPU ms/request': Number(cpuPerRequest.toFixed(3)),
    'CPU use (cores)': Number((cpu / 1000 / steadySeconds).toFixed(2)),
    'requests/s per core': Math.round(1000 / cpuPerRequest),
    'saves enqueued/s': Math.round((TENANTS * SAVES) / (enqueueMs / 1000)),
    'enqueue CPU ms/save': Number((enqueueCpuMs / (TENANTS * SAVES)).toFixed(3)),
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
