/**
 * A process that takes work from the Postgres queue and never finishes it (run with `node --import
 * tsx`): prints `holding <sourceId>` once its handler has an item, so the test can kill it mid-work.
 */
import { createPostgresStorage } from '../../../src/storage/postgres/index.js';

const { url, schema, workerSchema, leaseMs } = JSON.parse(
  process.env.POSTGRES_QUEUE_WORKER ?? '{}',
) as { url: string; schema: string; workerSchema: string; leaseMs: number };
const storage = await createPostgresStorage({
  connectionString: url,
  schema,
  workerSchema,
  leaseMs,
  pollIntervalMs: 50,
});
storage.queue.start(
  async (item) => {
    process.stdout.write(`holding ${item.sourceId}\n`);
    await new Promise(() => {}); // works forever, until killed
  },
  { concurrency: 1 },
);
process.stdout.write('ready\n');
