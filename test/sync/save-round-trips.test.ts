/**
 * A save's way through storage: no round trip wasted, no outcome missed.
 * - A storage whose `outbox.enqueue` already makes the item due (`enqueueMakesDue`: SQLite, Postgres)
 *   is not scheduled a second time by the engine; one without it (memory, custom adapters) still is.
 * - A durable adapter's worker may deliver the change before `enqueue` even returns: the save still
 *   answers `synced` at once instead of waiting `saveTimeoutMs` for an outcome it missed.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/storage/index.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { SyncStorage, WorkHandler, WorkItem } from '../../src/storage/sync-storage.js';
import { type Harness, sampleCustomers, startHarness } from './support/engine-harness.js';

const T = '1000001';
let h: Harness | undefined;
const files: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const file of files.splice(0)) rmSync(file, { force: true });
});

/** `inner` with every `queue.schedule` recorded, and optionally the claims of a transactional outbox. */
function instrumented(
  inner: SyncStorage,
  options: {
    /** Claim `enqueueMakesDue` (and keep the claim: schedule inside enqueue unless delivering there). */
    readonly enqueueMakesDue?: boolean;
    /** A worker so fast it delivers the change inside `enqueue`, before `enqueue` returns. */
    readonly deliverInsideEnqueue?: boolean;
  } = {},
) {
  const scheduled: WorkItem[] = [];
  let handler: WorkHandler | undefined;
  const storage: SyncStorage = {
    ...inner,
    outbox: {
      ...inner.outbox,
      ...(options.enqueueMakesDue === undefined
        ? {}
        : { enqueueMakesDue: options.enqueueMakesDue }),
      async enqueue(tenantId, sourceId, change, now) {
        const entry = await inner.outbox.enqueue(tenantId, sourceId, change, now);
        const item = { tenantId, sourceId };
        if (options.deliverInsideEnqueue === true) {
          if (handler === undefined) throw new Error('the queue is not started');
          expect(await handler(item)).toBeUndefined();
        } else if (options.enqueueMakesDue === true && inner.outbox.enqueueMakesDue !== true) {
          await inner.queue.schedule(item);
        }
        return entry;
      },
    },
    queue: {
      schedule(item, runAt) {
        scheduled.push(item);
        return inner.queue.schedule(item, runAt);
      },
      start(work, startOptions) {
        handler = work;
        return inner.queue.start(work, startOptions);
      },
    },
    close: () => inner.close(),
  };
  return { storage, scheduled };
}

describe('one round trip per save', () => {
  it('a storage whose enqueue makes the item due is not scheduled again (SQLite)', async () => {
    const file = path.join(tmpdir(), `fortnox-sync-round-trips-${process.pid}-${Date.now()}.db`);
    files.push(file, `${file}-wal`, `${file}-shm`);
    const sqlite = createSqliteStorage({ path: file });
    expect(sqlite.outbox.enqueueMakesDue).toBe(true);
    const { storage, scheduled } = instrumented(sqlite);
    h = await startHarness({ tenants: [T], storage });
    const [first, second] = sampleCustomers(2, 5);
    expect((await h.engine.customerSaved(T, first!))._unsafeUnwrap().status).toBe('synced');
    expect((await h.engine.customerDeleted(T, first!.id))._unsafeUnwrap().status).toBe('deleted');
    expect((await h.engine.customerSaved(T, second!))._unsafeUnwrap().status).toBe('synced');
    expect(scheduled).toEqual([]);
  });

  it('a storage without the claim is scheduled once per save, as before (memory)', async () => {
    const memory = createMemoryStorage();
    expect(memory.outbox.enqueueMakesDue).toBeUndefined();
    const { storage, scheduled } = instrumented(memory);
    h = await startHarness({ tenants: [T], storage });
    const [customer] = sampleCustomers(1, 5);
    expect((await h.engine.customerSaved(T, customer!))._unsafeUnwrap().status).toBe('synced');
    expect(scheduled).toEqual([{ tenantId: T, sourceId: customer!.id }]);
  });

  it('the initial sync’s creates are not scheduled again either', async () => {
    const { storage, scheduled } = instrumented(createMemoryStorage(), { enqueueMakesDue: true });
    const customers = sampleCustomers(6, 9);
    h = await startHarness({
      tenants: [T],
      storage,
      // Room for all six at once: an item over the tenant's cap is woken by a schedule (not a double one).
      engine: { source: { list: () => customers }, tenantConcurrency: 10 },
    });
    const report = (await h.engine.runInitialSync(T))._unsafeUnwrap();
    expect(report.counts.create).toBe(6);
    expect(scheduled).toEqual([]);
  });
});

describe('a delivery faster than the save', () => {
  it('answers synced when the worker delivered the change before enqueue returned', async () => {
    const { storage } = instrumented(createMemoryStorage(), {
      enqueueMakesDue: true,
      deliverInsideEnqueue: true,
    });
    // Missing the outcome would answer `pending`/`timeout` after saveTimeoutMs (the test's timeout is longer).
    h = await startHarness({ tenants: [T], storage, engine: { saveTimeoutMs: 8_000 } });
    const [customer] = sampleCustomers(1, 5);
    const outcome = (await h.engine.customerSaved(T, customer!))._unsafeUnwrap();
    const link = await h.storage.links.get(T, customer!.id);
    expect(outcome).toEqual({ status: 'synced', customerNumber: link?.customerNumber });
  });

  it('answers deleted when the worker delivered the delete before enqueue returned', async () => {
    const { storage } = instrumented(createMemoryStorage(), {
      enqueueMakesDue: true,
      deliverInsideEnqueue: true,
    });
    h = await startHarness({ tenants: [T], storage, engine: { saveTimeoutMs: 8_000 } });
    const [customer] = sampleCustomers(1, 5);
    const saved = (await h.engine.customerSaved(T, customer!))._unsafeUnwrap();
    expect(saved.status).toBe('synced');
    const deleted = (await h.engine.customerDeleted(T, customer!.id))._unsafeUnwrap();
    expect(deleted).toMatchObject({ status: 'deleted' });
  });

  it('still answers paused at once for a paused tenant, and schedules nothing', async () => {
    const { storage, scheduled } = instrumented(createMemoryStorage());
    h = await startHarness({ tenants: [T], storage, connect: false });
    const [customer] = sampleCustomers(1, 5);
    const outcome = (await h.engine.customerSaved(T, customer!))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'pending', reason: 'paused', lastError: null });
    expect(scheduled).toEqual([]);
  });
});
