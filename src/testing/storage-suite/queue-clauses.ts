import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../storage/sync-storage.js';
import { deferred, type SuiteContext, sampleCustomer, sleep, waitFor } from './suite-context.js';

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

    it('a deferred item gives its slot back and runs again at its time, not before, once', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      let deferUntil = 0;
      const worker = storage.queue.start(
        async (work) => {
          await seen.around(work);
          if (work.sourceId !== 'busy' || seen.count('busy') > 1) return;
          deferUntil = Date.now() + 400;
          return { deferUntil };
        },
        { concurrency: 1 },
      );
      await storage.queue.schedule(item('busy'));
      await waitFor(() => seen.count('busy') === 1, wait, 'the first run');
      await storage.queue.schedule(item('other'));
      // The only slot is free again: the other item runs while the deferred one waits.
      await waitFor(() => seen.count('other') === 1, wait, 'the other item');
      expect(seen.count('busy')).toBe(1);
      await waitFor(() => seen.count('busy') === 2, wait + 400, 'the deferred run');
      expect(seen.calls.at(-1)?.at).toBeGreaterThanOrEqual(deferUntil - 5);
      await sleep(300);
      expect(seen.calls.map((call) => call.sourceId)).toEqual(['busy', 'other', 'busy']);
      await worker.stop();
    });

    it('a deferral is not a failure: an item deferred again and again runs at each time, with no back-off', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start(
        async (work) => {
          await seen.around(work);
          // A failing adapter's back-off would double from its first delay; a deferral must not.
          return seen.count('again') <= 4 ? { deferUntil: Date.now() + 50 } : undefined;
        },
        { concurrency: 1 },
      );
      await storage.queue.schedule(item('again'));
      await waitFor(() => seen.count('again') === 5, wait * 2, 'five runs');
      await sleep(300);
      expect(seen.count('again')).toBe(5);
      await worker.stop();
    });

    it('the earlier time wins over a deferral: scheduled while it ran, or for sooner after', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start(
        async (work) => {
          await seen.around(work);
          const runs = seen.count(work.sourceId);
          if (work.sourceId === 'during' && runs === 1) {
            // A change came while it ran: it must run again now, whatever the handler deferred.
            await storage.queue.schedule(work);
            return { deferUntil: Date.now() + 60_000 };
          }
          if (work.sourceId === 'after' && runs === 1) return { deferUntil: Date.now() + 60_000 };
          return undefined;
        },
        { concurrency: 2 },
      );
      await storage.queue.schedule(item('during'));
      await storage.queue.schedule(item('after'));
      await waitFor(() => seen.count('during') === 2, wait, 'the run after the deferral');
      await waitFor(() => seen.count('after') === 1, wait, 'the deferred item');
      await sleep(200);
      expect(seen.count('after')).toBe(1);
      await storage.queue.schedule(item('after'));
      await waitFor(() => seen.count('after') === 2, wait, 'the deferred item brought forward');
      expect(seen.maxPerItem).toBe(1);
      await worker.stop();
    });

    it('a handler that answers neither nothing nor a deferral gets its item again later, as a failure', async () => {
      const { storage } = await context.open();
      const seen = recorder();
      const worker = storage.queue.start(
        async (work) => {
          await seen.around(work);
          return seen.count('odd') === 1 ? { deferUntil: Number.NaN } : undefined;
        },
        { concurrency: 1 },
      );
      await storage.queue.schedule(item('odd'));
      await waitFor(() => seen.count('odd') === 2, wait + 5_000, 'the retry');
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

  describe('scheduleMissing (adapters that offer it)', () => {
    it('schedules each item as schedule does, but leaves alone an item being handled', async ({
      skip,
    }) => {
      const { storage } = await context.open();
      if (storage.queue.scheduleMissing === undefined) skip('the adapter has no scheduleMissing');
      const seen = recorder();
      const gate = deferred();
      const worker = storage.queue.start(
        (work) =>
          seen.around(work, () =>
            work.sourceId === 'busy' && seen.count('busy') === 1 ? gate.promise : Promise.resolve(),
          ),
        { concurrency: 4 },
      );
      await storage.queue.schedule(item('busy'));
      await waitFor(() => seen.count('busy') === 1, wait, 'busy to start');
      // 'waiting' has a job for later: made due sooner, as schedule would, and run once.
      await storage.queue.schedule(item('waiting'), Date.now() + 60_000);
      const now = Date.now();
      await storage.queue.scheduleMissing?.([
        { ...item('busy'), runAt: now },
        { ...item('idle'), runAt: now },
        { ...item('waiting'), runAt: now },
        { ...item('later'), runAt: now + 300 },
      ]);
      await waitFor(
        () => seen.count('idle') === 1 && seen.count('waiting') === 1,
        wait,
        'idle and waiting to run',
      );
      gate.resolve();
      await waitFor(() => seen.count('later') === 1, wait, 'later to run');
      expect(seen.calls.find((call) => call.sourceId === 'later')?.at).toBeGreaterThanOrEqual(
        now + 300,
      );
      await sleep(300);
      // The item being handled was not run a second time.
      expect(seen.count('busy')).toBe(1);
      expect(seen.count('idle')).toBe(1);
      expect(seen.count('waiting')).toBe(1);
      await worker.stop();
    });
  });

  describe('enqueue makes the item due (adapters that set outbox.enqueueMakesDue)', () => {
    it('an enqueue alone hands the item to a started queue, once', async ({ skip }) => {
      const { storage } = await context.open();
      if (storage.outbox.enqueueMakesDue !== true) skip('the adapter does not set enqueueMakesDue');
      const seen = recorder();
      const worker = storage.queue.start((work) => seen.around(work), { concurrency: 2 });
      await storage.outbox.enqueue(
        'tenant-a',
        'c1',
        { operation: 'upsert', customer: sampleCustomer('c1') },
        Date.now(),
      );
      await waitFor(() => seen.count('c1') === 1, wait, 'c1 to be handled');
      await sleep(150);
      expect(seen.count('c1')).toBe(1);
      await worker.stop();
    });

    it('an enqueue makes an item scheduled for later due now', async ({ skip }) => {
      const { storage } = await context.open();
      if (storage.outbox.enqueueMakesDue !== true) skip('the adapter does not set enqueueMakesDue');
      const seen = recorder();
      const worker = storage.queue.start((work) => seen.around(work), { concurrency: 2 });
      await storage.queue.schedule(item('later'), Date.now() + 60_000);
      await storage.outbox.enqueue(
        'tenant-a',
        'later',
        { operation: 'upsert', customer: sampleCustomer('later') },
        Date.now(),
      );
      await waitFor(() => seen.count('later') === 1, wait, 'the item made due by the enqueue');
      await worker.stop();
    });

    it('an enqueue while the item runs runs it again after, one handler at a time', async ({
      skip,
    }) => {
      const { storage } = await context.open();
      if (storage.outbox.enqueueMakesDue !== true) skip('the adapter does not set enqueueMakesDue');
      const seen = recorder();
      const gate = deferred();
      const worker = storage.queue.start(
        (work) =>
          seen.around(work, () => (seen.count('c1') === 1 ? gate.promise : Promise.resolve())),
        { concurrency: 4 },
      );
      const change = { operation: 'upsert', customer: sampleCustomer('c1') } as const;
      await storage.outbox.enqueue('tenant-a', 'c1', change, Date.now());
      await waitFor(() => seen.count('c1') === 1, wait, 'the first run');
      await storage.outbox.enqueue('tenant-a', 'c1', change, Date.now());
      await sleep(200);
      expect(seen.count('c1')).toBe(1);
      gate.resolve();
      await waitFor(() => seen.count('c1') === 2, wait, 'the run after');
      expect(seen.maxPerItem).toBe(1);
      await worker.stop();
    });
  });
}
