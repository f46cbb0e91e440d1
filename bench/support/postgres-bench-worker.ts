/**
 * A worker process of `npm run bench:storage:postgres` (run with `node --import tsx`): handles outbox
 * work on the benchmark's Postgres schema (get the entry, complete it with a link) until `stop`.
 */
import { createInterface } from 'node:readline';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { completeHandler } from './complete-handler.js';

const { url, schema, concurrency } = JSON.parse(process.env.POSTGRES_BENCH_WORKER ?? '{}') as {
  url: string;
  schema: string;
  concurrency: number;
};
const storage = await createPostgresStorage({ connectionString: url, schema, pollIntervalMs: 200 });
const worker = storage.queue.start(completeHandler(storage), { concurrency });
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin }))
  if (line.trim() === 'stop') break;
await worker.stop();
await storage.close();
process.exit(0);
