/**
 * A worker process of `npm run bench:storage:postgres` (run with `node --import tsx`): handles outbox
 * work on the benchmark's Postgres schema (get the entry, wait `fortnoxMs` like a Fortnox round trip,
 * complete it with a link; a slot of the shared rate limiter around the wait) until `stop`, then prints how many queries its `pg` clients sent
 * (`queries <n>`: graphile-worker's, the queue's and the handler's, LISTEN and polling included).
 */
import { createInterface } from 'node:readline';
import pg from 'pg';
import {
  createPostgresRateLimiter,
  createPostgresStorage,
} from '../../src/storage/postgres/index.js';
import { completeHandler } from './complete-handler.js';

const { url, schema, concurrency, fortnoxMs } = JSON.parse(
  process.env.POSTGRES_BENCH_WORKER ?? '{}',
) as { url: string; schema: string; concurrency: number; fortnoxMs: number };

// Every round trip goes through pg.Client#query (the pool's clients and graphile-worker's alike).
let queries = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  queries++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const storage = await createPostgresStorage({ connectionString: url, schema, pollIntervalMs: 200 });
// Fortnox's own budget (25 per 5 s per tenant), shared by the processes; the bench spreads its jobs
// over enough tenants that no slot is waited for: only the bookkeeping is measured.
const rateLimiter = await createPostgresRateLimiter({ connectionString: url, schema });
const worker = storage.queue.start(completeHandler(storage, undefined, fortnoxMs, rateLimiter), {
  concurrency,
});
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === 'count') process.stdout.write(`queries ${queries}\n`);
  if (line.trim() === 'stop') break;
}
await worker.stop();
await storage.close();
await rateLimiter.close();
process.exit(0);
