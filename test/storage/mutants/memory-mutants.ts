/** Broken copies of the memory adapter, each breaking one contract clause (see run-mutants.ts). */
import type { EpochMs, OutboxEntry, SyncStorage } from '../../../src/storage/sync-storage.js';

type Mutant = (storage: SyncStorage) => SyncStorage;

/**
 * After an enqueue that found a create attempted, writes `createAttempted` again and answers
 * `answer(entry)`: what an adapter that rewrote the attempt on every save would store.
 */
const attemptRewrittenOnEnqueue =
  (createAttempted: boolean, answer: (entry: OutboxEntry, now: EpochMs) => OutboxEntry): Mutant =>
  (storage) => ({
    ...storage,
    outbox: {
      ...storage.outbox,
      async enqueue(tenantId, sourceId, change, now) {
        const entry = await storage.outbox.enqueue(tenantId, sourceId, change, now);
        if (!entry.createAttempted) return entry;
        await storage.outbox.update(tenantId, sourceId, entry.version, { createAttempted }, now);
        return answer(entry, now);
      },
    },
  });

/** The mutants, by name: what each breaks. */
export const MUTANTS: Record<string, Mutant> = {
  'enqueue forgets createAttempted': attemptRewrittenOnEnqueue(false, (entry) => ({
    ...entry,
    createAttempted: false,
  })),
  // What the settle window did when it was measured from updatedAt: every save restarted it.
  'enqueue moves createAttemptedAt': attemptRewrittenOnEnqueue(true, (entry, now) => ({
    ...entry,
    createAttemptedAt: now,
  })),
  'a delete drops the customer it carries': (storage) => ({
    ...storage,
    outbox: {
      ...storage.outbox,
      enqueue: (tenantId, sourceId, change, now) =>
        storage.outbox.enqueue(
          tenantId,
          sourceId,
          change.operation === 'delete' ? { operation: 'delete' } : change,
          now,
        ),
    },
  }),
  'update ignores the version': (storage) => ({
    ...storage,
    outbox: {
      ...storage.outbox,
      async update(tenantId, sourceId, _version, patch, now) {
        const current = await storage.outbox.get(tenantId, sourceId);
        if (current === undefined) return false;
        return storage.outbox.update(tenantId, sourceId, current.version, patch, now);
      },
    },
  }),
  'superseded complete drops the newer change': (storage) => ({
    ...storage,
    outbox: {
      ...storage.outbox,
      async complete(tenantId, sourceId, version, link, now) {
        const result = await storage.outbox.complete(tenantId, sourceId, version, link, now);
        if (result === 'superseded') await storage.outbox.remove(tenantId, sourceId);
        return result;
      },
    },
  }),
  'list newest first': (storage) => ({
    ...storage,
    outbox: {
      ...storage.outbox,
      list: async (tenantId, filter) => (await storage.outbox.list(tenantId, filter)).reverse(),
    },
  }),
  'a settled decision is asked again': (storage) => ({
    ...storage,
    decisions: {
      ...storage.decisions,
      async ask(record) {
        const existing = await storage.decisions.get(record.tenantId, record.sourceId);
        if (existing?.resolution == null) return storage.decisions.ask(record);
        return { ...record, resolution: null, resolvedAt: null, resolvedBy: null };
      },
    },
  }),
  'a link takes a customer number from another source id': (storage) => ({
    ...storage,
    links: {
      ...storage.links,
      async put(link) {
        const holder = await storage.links.getByCustomerNumber(link.tenantId, link.customerNumber);
        if (holder !== undefined && holder.sourceId !== link.sourceId) {
          await storage.links.delete(holder.tenantId, holder.sourceId);
        }
        return storage.links.put(link);
      },
    },
  }),
  'schedule ignores the due time': (storage) => ({
    ...storage,
    queue: { ...storage.queue, schedule: (item) => storage.queue.schedule(item) },
  }),
  'a deferral is taken as done': (storage) => ({
    ...storage,
    queue: {
      ...storage.queue,
      start: (handler, options) =>
        storage.queue.start(async (item) => {
          await handler(item);
        }, options),
    },
  }),
  'claims enqueueMakesDue without making the item due': (storage) => ({
    ...storage,
    outbox: { ...storage.outbox, enqueueMakesDue: true },
  }),
};
