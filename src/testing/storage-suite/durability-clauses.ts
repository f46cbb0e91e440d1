import { describe, expect, it } from 'vitest';
import type { SyncStorage } from '../../storage/sync-storage.js';
import {
  type CorruptionTarget,
  freshKey,
  type SuiteContext,
  sampleCustomer,
  sampleLink,
  waitFor,
} from './suite-context.js';

const T = 'tenant-a';

/** Data minimisation, and (when the adapter offers them) restart, two instances, damaged rows. */
export function describeDurabilityClauses(context: SuiteContext): void {
  const { durable, corrupt, rawContents, waitMs } = context.options;

  describe('data minimisation', () => {
    it('a delivered payload is gone: nothing of the customer is left but the link', async () => {
      const { storage } = await context.open();
      const entry = await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer: sampleCustomer('c1') },
        1,
      );
      await storage.outbox.complete(T, 'c1', entry.version, sampleLink(T, 'c1', '1001'), 2);
      expect(await storage.outbox.get(T, 'c1')).toBeUndefined();
      expect(await storage.outbox.list(T)).toEqual([]);
    });

    if (rawContents) {
      it('a delivered payload leaves no trace in what the adapter persisted', async () => {
        const { storage, key } = await context.open();
        const marker = 'Unforgettable Zebra Trading AB';
        const customer = { ...sampleCustomer('c1', marker), email: 'zebra.marker@example.com' };
        const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
        await storage.outbox.complete(T, 'c1', entry.version, sampleLink(T, 'c1', '1001'), 2);
        await storage.close();
        const raw = await rawContents({ key });
        expect(raw).not.toContain(marker);
        expect(raw).not.toContain('zebra.marker@example.com');
      });
    }
  });

  if (durable) {
    describe('durability', () => {
      it('keeps everything across close and reopen', async () => {
        const { storage, key } = await context.open();
        const entry = await storage.outbox.enqueue(
          T,
          'c1',
          { operation: 'upsert', customer: sampleCustomer('c1') },
          1,
        );
        await storage.links.put(sampleLink(T, 'c2', '1002'));
        await storage.decisions.ask({ tenantId: T, sourceId: 'c3', askedAt: 1, candidates: [] });
        await storage.checkpoints.put(T, 'k', { n: 1 });
        await storage.tenants.put({
          tenantId: T,
          connection: 'connected',
          reason: null,
          updatedAt: 1,
        });
        await storage.close();
        const { storage: reopened } = await context.open(key);
        expect(await reopened.outbox.get(T, 'c1')).toEqual(entry);
        expect(await reopened.links.get(T, 'c2')).toEqual(sampleLink(T, 'c2', '1002'));
        expect((await reopened.decisions.get(T, 'c3'))?.resolution).toBeNull();
        expect(await reopened.checkpoints.get(T, 'k')).toEqual({ n: 1 });
        expect((await reopened.tenants.get(T))?.connection).toBe('connected');
        const next = await reopened.outbox.enqueue(T, 'c1', { operation: 'delete' }, 2);
        expect(next.version).toBeGreaterThan(entry.version);
      });

      it('keeps scheduled work across a restart, and an enqueued entry is due even if schedule never came', async () => {
        const { storage, key } = await context.open();
        await storage.queue.schedule({ tenantId: T, sourceId: 'scheduled' });
        // A crash between enqueue and schedule must not lose the change.
        await storage.outbox.enqueue(T, 'enqueued', { operation: 'delete' }, Date.now());
        await storage.close();
        const { storage: reopened } = await context.open(key);
        const seen = new Set<string>();
        const worker = reopened.queue.start(
          async (work) => {
            seen.add(work.sourceId);
          },
          { concurrency: 2 },
        );
        await waitFor(() => seen.has('scheduled') && seen.has('enqueued'), waitMs, 'both items');
        await worker.stop();
      });

      it('two instances on the same data share it, and never handle one item at once', async () => {
        const key = freshKey();
        const { storage: one } = await context.open(key);
        const { storage: two } = await context.open(key);
        await one.links.put(sampleLink(T, 'c1', '1001'));
        expect(await two.links.get(T, 'c1')).toEqual(sampleLink(T, 'c1', '1001'));
        const handled = new Map<string, number>();
        let overlap = 0;
        const active = new Set<string>();
        const handler = (name: string) => async (work: { sourceId: string }) => {
          if (active.has(work.sourceId)) overlap += 1;
          active.add(work.sourceId);
          handled.set(
            `${name}:${work.sourceId}`,
            (handled.get(`${name}:${work.sourceId}`) ?? 0) + 1,
          );
          await new Promise((resolve) => setTimeout(resolve, 5));
          active.delete(work.sourceId);
        };
        const workers = [
          one.queue.start(handler('one'), { concurrency: 3 }),
          two.queue.start(handler('two'), { concurrency: 3 }),
        ];
        const ids = Array.from({ length: 40 }, (_, index) => `w${index}`);
        for (const [index, id] of ids.entries()) {
          await (index % 2 === 0 ? one : two).queue.schedule({ tenantId: T, sourceId: id });
        }
        const total = () => [...handled.values()].reduce((sum, n) => sum + n, 0);
        await waitFor(() => total() >= ids.length, waitMs * 2, 'every item');
        await Promise.all(workers.map((worker) => worker.stop()));
        expect(total()).toBe(ids.length);
        expect(overlap).toBe(0);
        for (const id of ids) {
          expect((handled.get(`one:${id}`) ?? 0) + (handled.get(`two:${id}`) ?? 0)).toBe(1);
        }
      });
    });
  }

  if (corrupt) {
    describe('damaged rows', () => {
      const cases: {
        name: string;
        target: CorruptionTarget;
        seed: (s: SyncStorage) => Promise<unknown>;
        read: (s: SyncStorage) => Promise<unknown>[];
      }[] = [
        {
          name: 'outbox',
          target: { store: 'outbox', tenantId: T, sourceId: 'c1' },
          seed: (s) =>
            s.outbox.enqueue(T, 'c1', { operation: 'upsert', customer: sampleCustomer('c1') }, 1),
          read: (s) => [s.outbox.get(T, 'c1'), s.outbox.list(T)],
        },
        {
          name: 'links',
          target: { store: 'links', tenantId: T, sourceId: 'c1' },
          seed: (s) => s.links.put(sampleLink(T, 'c1', '1001')),
          read: (s) => [s.links.get(T, 'c1'), s.links.list(T)],
        },
        {
          name: 'decisions',
          target: { store: 'decisions', tenantId: T, sourceId: 'c1' },
          seed: (s) => s.decisions.ask({ tenantId: T, sourceId: 'c1', askedAt: 1, candidates: [] }),
          read: (s) => [s.decisions.get(T, 'c1'), s.decisions.list(T)],
        },
        {
          name: 'tenants',
          target: { store: 'tenants', tenantId: T },
          seed: (s) =>
            s.tenants.put({ tenantId: T, connection: 'connected', reason: null, updatedAt: 1 }),
          read: (s) => [s.tenants.get(T), s.tenants.list()],
        },
        {
          name: 'checkpoints',
          target: { store: 'checkpoints', tenantId: T, key: 'k' },
          seed: (s) => s.checkpoints.put(T, 'k', { n: 1 }),
          read: (s) => [s.checkpoints.get(T, 'k')],
        },
      ];
      for (const { name, target, seed, read } of cases) {
        it(`a damaged ${name} row is a StorageError corrupt-row, never garbage`, async () => {
          const { storage, key } = await context.open();
          await seed(storage);
          await corrupt({ key }, target);
          // Settle every reading at once: a rejection left unobserved while another is awaited
          // would be reported as unhandled by adapters whose reads take real I/O.
          const outcomes = await Promise.allSettled(read(storage));
          for (const outcome of outcomes) {
            expect(outcome.status).toBe('rejected');
            expect(outcome.status === 'rejected' ? outcome.reason : undefined).toMatchObject({
              name: 'StorageError',
              kind: 'storage',
              code: 'corrupt-row',
            });
          }
        });
      }
    });
  }
}
