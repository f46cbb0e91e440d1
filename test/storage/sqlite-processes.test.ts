import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import { sampleCustomer } from '../../src/testing/storage-suite/suite-context.js';
import { killChildren, spawnScript } from '../support/child-processes.js';
import { sqlitePath } from './support/sqlite-files.js';
import { deliveryHandler, readLogLines, type WorkerSettings } from './support/sqlite-work.js';

const WORKER = fileURLToPath(new URL('./support/sqlite-worker.ts', import.meta.url));
const TENANTS = ['t1', 't2', 't3'];

const children: ChildProcess[] = [];
const storages: SyncStorage[] = [];

afterEach(async () => {
  killChildren(children);
  await Promise.allSettled(storages.splice(0).map((storage) => storage.close()));
});

/** Starts the worker script in a new Node process on the same database file. */
async function spawnWorker(settings: WorkerSettings): Promise<ChildProcess> {
  const { child } = await spawnScript(
    WORKER,
    { SQLITE_WORKER: JSON.stringify(settings) },
    children,
  );
  return child;
}

async function seed(storage: SyncStorage, perTenant: number): Promise<string[]> {
  const items: string[] = [];
  for (const tenant of TENANTS) {
    for (let index = 0; index < perTenant; index++) {
      const sourceId = `c${index}`;
      await storage.outbox.enqueue(
        tenant,
        sourceId,
        { operation: 'upsert', customer: sampleCustomer(sourceId) },
        Date.now(),
      );
      items.push(`${tenant}/${sourceId}`);
    }
  }
  return items;
}

async function waitForEmptyOutbox(storage: SyncStorage, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(TENANTS.map((tenant) => storage.outbox.countByState(tenant)));
    if (counts.every((count) => count.pending === 0)) return;
    if (Date.now() > deadline) throw new Error(`outbox not empty after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function linkCount(storage: SyncStorage): Promise<number> {
  const counts = await Promise.all(TENANTS.map((tenant) => storage.links.count(tenant)));
  return counts.reduce((sum, n) => sum + n, 0);
}

describe('fortnox-sync/sqlite across processes', () => {
  it('two processes on one file both handle work, and no item is handled twice', async () => {
    const key = `multi-${process.pid}-${Date.now()}`;
    const path = sqlitePath(key);
    const parentLog = `${path}.parent.log`;
    const childLog = `${path}.child.log`;
    writeFileSync(parentLog, '');
    writeFileSync(childLog, '');
    const storage = createSqliteStorage({ path, pollIntervalMs: 20 });
    storages.push(storage);
    const items = await seed(storage, 100);
    const child = await spawnWorker({
      path,
      log: childLog,
      leaseMs: 30_000,
      handleMs: 5,
      concurrency: 4,
    });
    const worker = storage.queue.start(deliveryHandler(storage, parentLog, 10), { concurrency: 4 });
    await waitForEmptyOutbox(storage, 60_000);
    await worker.stop();
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(null),
    );

    const lines = [
      ...readLogLines(readFileSync(parentLog, 'utf8')),
      ...readLogLines(readFileSync(childLog, 'utf8')),
    ];
    const starts = lines.filter((line) => line.step === 'start');
    expect(starts).toHaveLength(items.length);
    expect(new Set(starts.map((line) => line.item)).size).toBe(items.length);
    expect(lines.filter((line) => line.step === 'done')).toHaveLength(items.length);
    const byPid = new Map<string, number>();
    for (const line of starts) byPid.set(line.pid, (byPid.get(line.pid) ?? 0) + 1);
    expect([...byPid.keys()].sort()).toEqual([String(process.pid), String(child.pid)].sort());
    expect(Math.min(...byPid.values())).toBeGreaterThan(0);
    expect(await linkCount(storage)).toBe(items.length);
  }, 90_000);

  it('kill -9 mid-work: a new process takes the dead one’s items over when its lease runs out; nothing lost or doubled', async () => {
    const key = `kill-${process.pid}-${Date.now()}`;
    const path = sqlitePath(key);
    const childLog = `${path}.child.log`;
    const parentLog = `${path}.parent.log`;
    writeFileSync(childLog, '');
    writeFileSync(parentLog, '');
    const setup = createSqliteStorage({ path });
    const items = await seed(setup, 60);
    await setup.close();

    // Items take 200 ms each, so one seen in flight is still in flight when the kill lands (the queue
    // claims in batches: between two, nothing may be in flight for a moment).
    const child = await spawnWorker({
      path,
      log: childLog,
      leaseMs: 1_000,
      handleMs: 200,
      concurrency: 4,
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const seen = readLogLines(readFileSync(childLog, 'utf8'));
      const done = new Set(seen.filter((l) => l.step === 'done').map((l) => l.item));
      const running = seen.filter((l) => l.step === 'start' && !done.has(l.item));
      if (done.size >= 8 && running.length > 0) break;
      if (Date.now() > deadline) throw new Error('the worker did not get going');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const childLines = readLogLines(readFileSync(childLog, 'utf8'));
    const childDone = new Set(childLines.filter((l) => l.step === 'done').map((l) => l.item));
    const inFlight = childLines.filter((l) => l.step === 'start' && !childDone.has(l.item));
    expect(inFlight.length).toBeGreaterThan(0);

    const storage = createSqliteStorage({ path, leaseMs: 1_000, pollIntervalMs: 20 });
    storages.push(storage);
    const startedAt = Date.now();
    const worker = storage.queue.start(deliveryHandler(storage, parentLog, 1), { concurrency: 4 });
    await waitForEmptyOutbox(storage, 30_000);
    await worker.stop();

    const parentLines = readLogLines(readFileSync(parentLog, 'utf8'));
    const parentDone = parentLines.filter((l) => l.step === 'done').map((l) => l.item);
    // Nothing doubled: an item the dead process completed is not handled again.
    for (const item of parentDone) expect(childDone.has(item)).toBe(false);
    expect(new Set(parentDone).size).toBe(parentDone.length);
    // Nothing lost: every item has its link, and the dead process's unfinished items were taken over.
    expect(await linkCount(storage)).toBe(items.length);
    for (const line of inFlight) {
      const link = await storage.links.get(...(line.item.split('/') as [string, string]));
      expect(link).toBeDefined();
    }
    const takenOver = parentLines.filter(
      (l) => l.step === 'start' && inFlight.some((f) => f.item === l.item),
    );
    expect(takenOver.length).toBeGreaterThan(0);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  }, 90_000);
});
