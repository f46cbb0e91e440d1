import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../storage/sync-storage.js';
import { deferred, type SuiteContext, sleep, waitFor } from './suite-context.js';

const item = (sourceId: string): WorkItem => ({ tenantId: 'tenant-a', sourceId });

/** Records handler calls: who ran, how many at once, per item and overall. */
function recorder() {
  const calls: { sourceId: string; at: number }[] = [];
  const active = new Map<string, number>();
  let maxPerItem = 0;
  let running = 0;
  let maxRunning = 0;
  return {
    calls,
    get maxPerItem() {
      return maxPerItem;
    },
    get maxRunning() {
      return maxRunning;
    },
    count: (sourceId: string) => calls.filter((call) => call.sourceId === sourceId).length,
    async around(work: WorkItem, body: () => Promise<void> = async () => {}) {
      const now = (active.get(work.sourceId) ?? 0) + 1;
      active.set(work.sourceId, now);
      maxPerItem = Math.max(maxPerItem, now);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      calls.push({ sourceId: work.sourceId, at: Date.now() });
      try {
        await body();
      } finally {
        active.set(work.sourceId, (active.get(work.sourceId) ?? 1) - 1);
        running -= 1;
      }
    },
  };
}

/** The work queue: due time, earlier time wins, one handler per item, re-run after, stop. */
export function describeQueueClauses(context: SuiteContext): void {
  const wait = context.options.waitMs;

  describe('queue', () => {
    it('hands a scheduled item to the handler once', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start((work) => seen.around(work), { concurrency: 2 });
      await storage.queue.schedule(item('c1'));
      await waitFor(() => seen.count('c1') === 1, wait, 'c1 to be handled');
      await sleep(150);
      await worker.stop();
      expect(seen.calls.map((call) => call.sourceId)).toEqual(['c1']);
    });

    it('runs items scheduled before start once it starts', async () => {
      const { storage } = await context.open();
      await storage.queue.schedule(item('early'));
      const seen = recorder();
      const worker = storage.queue.start((work) => seen.around(work), { concurrency: 1 });
      await waitFor(() => seen.count('early') === 1, wait, 'early to be handled');
      await worker.stop();
    });

    it('honours the due time', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start((work) => seen.around(work), { concurrency: 1 });
      const runAt = Date.now() + 400;
      await storage.queue.schedule(item('later'), runAt);
      await sleep(150);
      expect(seen.count('later')).toBe(0);
      await waitFor(() => seen.count('later') === 1, wait + 400, 'later to be handled');
      expect(seen.calls[0]?.at).toBeGreaterThanOrEqual(runAt - 5);
      await worker.stop();
    });

    it('keeps the earlier time when an item is scheduled twice', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start((work) => seen.around(work), { concurrency: 2 });
      await storage.queue.schedule(item('sooner'), Date.now() + 60_000);
      await storage.queue.schedule(item('sooner'), Date.now() + 100);
      await storage.queue.schedule(item('kept'), Date.now() + 100);
      await storage.queue.schedule(item('kept'), Date.now() + 60_000);
      await waitFor(
        () => seen.count('sooner') === 1 && seen.count('kept') === 1,
        wait,
        'both items',
      );
      await worker.stop();
    });

    it('one handler per item at a time; scheduled again while running, it runs again after', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const gate = deferred();
      const worker = storage.queue.start(
        (work) =>
          seen.around(work, () => (seen.count('c1') === 1 ? gate.promise : Promise.resolve())),
        { concurrency: 4 },
      );
      await storage.queue.schedule(item('c1'));
      await waitFor(() => seen.count('c1') === 1, wait, 'the first run');
      await storage.queue.schedule(item('c1'));
      await storage.queue.schedule(item('c1'));
      await sleep(200);
      expect(seen.count('c1')).toBe(1);
      gate.resolve();
      await waitFor(() => seen.count('c1') === 2, wait, 'the run after');
      await sleep(200);
      expect(seen.count('c1')).toBe(2);
      expect(seen.maxPerItem).toBe(1);
      await worker.stop();
    });

    it('runs different items side by side, never more than `concurrency` at once', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start((work) => seen.around(work, () => sleep(40)), {
        concurrency: 3,
      });
      const ids = Array.from({ length: 12 }, (_, index) => `c${index}`);
      for (const id of ids) await storage.queue.schedule(item(id));
      await waitFor(() => seen.calls.length === ids.length, wait * 2, 'every item');
      expect(seen.maxRunning).toBeGreaterThan(1);
      expect(seen.maxRunning).toBeLessThanOrEqual(3);
      expect(new Set(seen.calls.map((call) => call.sourceId)).size).toBe(ids.length);
      await worker.stop();
    });

    it('a handler that throws gets its item again later', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start(
        (work) =>
          seen.around(work, async () => {
            if (seen.count('flaky') === 1) throw new Error('transient');
          }),
        { concurrency: 1 },
      );
      await storage.queue.schedule(item('flaky'));
      await waitFor(() => seen.count('flaky') === 2, wait + 5_000, 'the retry');
      await worker.stop();
    });

    it('stop waits for running handlers and hands out nothing more; a new start picks up what is left', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const gate = deferred();
      let finished = false;
      const worker = storage.queue.start(
        (work) =>
          seen.around(work, async () => {
            await gate.promise;
            finished = true;
          }),
        { concurrency: 1 },
      );
      await storage.queue.schedule(item('running'));
      await waitFor(() => seen.count('running') === 1, wait, 'the running item');
      await storage.queue.schedule(item('left'), Date.now() + 300);
      const stopping = worker.stop();
      await sleep(50);
      gate.resolve();
      await stopping;
      expect(finished).toBe(true);
      await sleep(500);
      expect(seen.count('left')).toBe(0);
      const again = recorder();
      const next = storage.queue.start((work) => again.around(work), { concurrency: 1 });
      await waitFor(() => again.count('left') === 1, wait, 'the item left over');
      await next.stop();
    });

    it('close stops the queue', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      storage.queue.start((work) => seen.around(work), { concurrency: 1 });
      await storage.queue.schedule(item('later'), Date.now() + 200);
      await storage.close();
      await sleep(400);
      expect(seen.count('later')).toBe(0);
    });
  });
}
