/**
 * A second process on the same SQLite file (run with `node --import tsx`): handles outbox work with
 * {@link deliveryHandler} until the outbox is empty, or until it is killed.
 */
import { createSqliteStorage } from '../../../src/storage/sqlite/index.js';
import { deliveryHandler, type WorkerSettings } from './sqlite-work.js';

const settings = JSON.parse(process.env.SQLITE_WORKER ?? '{}') as WorkerSettings;
const storage = createSqliteStorage({
  path: settings.path,
  leaseMs: settings.leaseMs,
  pollIntervalMs: 20,
});
const worker = storage.queue.start(deliveryHandler(storage, settings.log, settings.handleMs), {
  concurrency: settings.concurrency,
});
process.stdout.write('ready\n');

const tenants = ['t1', 't2', 't3'];
const poll = setInterval(async () => {
  const counts = await Promise.all(tenants.map((tenant) => storage.outbox.countByState(tenant)));
  if (counts.every((count) => count.pending === 0)) {
    clearInterval(poll);
    await worker.stop();
    await storage.close();
    process.exit(0);
  }
}, 50);
