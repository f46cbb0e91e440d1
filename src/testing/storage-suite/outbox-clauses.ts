import { describe, expect, it } from 'vitest';
import { SAMPLE_ERROR, type SuiteContext, sampleCustomer, sampleLink } from './suite-context.js';

const T = 'tenant-a';

/** The outbox: coalescing enqueue, version guard, complete, remove, list, counts. */
export function describeOutboxClauses(context: SuiteContext): void {
  describe('outbox', () => {
    it('enqueue creates a pending entry due now, with fresh flags', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1_000);
      expect(entry).toEqual({
        tenantId: T,
        sourceId: 'c1',
        operation: 'upsert',
        customer,
        version: entry.version,
        state: 'pending',
        attempts: 0,
        notBefore: 1_000,
        createAttempted: false,
        createAttemptedAt: null,
        lastError: null,
        skipMatching: false,
        enqueuedAt: 1_000,
        updatedAt: 1_000,
      });
      expect(Number.isInteger(entry.version)).toBe(true);
      expect(await storage.outbox.get(T, 'c1')).toEqual(entry);
    });

    it('enqueue coalesces: version bumped, change replaced, state/attempts/notBefore/lastError reset, flags and enqueuedAt kept', async () => {
      const { storage } = await context.open();
      const first = await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer: sampleCustomer('c1'), skipMatching: true },
        1_000,
      );
      const patch = {
        state: 'failed',
        attempts: 4,
        notBefore: 9_000,
        createAttempted: true,
        lastError: SAMPLE_ERROR,
      } as const;
      expect(await storage.outbox.update(T, 'c1', first.version, patch, 2_000)).toBe(true);
      const changed = sampleCustomer('c1', 'Renamed AB');
      const second = await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer: changed },
        3_000,
      );
      expect(second.version).toBeGreaterThan(first.version);
      expect(second).toMatchObject({
        customer: changed,
        state: 'pending',
        attempts: 0,
        notBefore: 3_000,
        lastError: null,
        createAttempted: true,
        skipMatching: true,
        enqueuedAt: 1_000,
        updatedAt: 3_000,
      });
      const deleted = await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 4_000);
      expect(deleted.version).toBeGreaterThan(second.version);
      expect(deleted).toMatchObject({ operation: 'delete', customer: null, createAttempted: true });
      expect(await storage.outbox.list(T)).toHaveLength(1);
    });

    it('a delete keeps the customer it carries (to reconcile a create that may have reached Fortnox), and a later delete without one drops it', async () => {
      const { storage, key } = await context.open();
      const customer = sampleCustomer('c1');
      const saved = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      await storage.outbox.update(T, 'c1', saved.version, { createAttempted: true }, 2);
      const deleted = await storage.outbox.enqueue(T, 'c1', { operation: 'delete', customer }, 3);
      expect(deleted).toMatchObject({ operation: 'delete', customer, createAttempted: true });
      expect(await storage.outbox.get(T, 'c1')).toEqual(deleted);
      if (context.options.durable) {
        await storage.close();
        const { storage: reopened } = await context.open(key);
        expect(await reopened.outbox.get(T, 'c1')).toEqual(deleted);
        const bare = await reopened.outbox.enqueue(T, 'c1', { operation: 'delete' }, 4);
        expect(bare).toMatchObject({ operation: 'delete', customer: null });
        return;
      }
      const bare = await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 4);
      expect(bare).toMatchObject({ operation: 'delete', customer: null });
    });

    it('enqueue with skipMatching sets it either way; without it keeps the stored flag', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer, skipMatching: true },
        1,
      );
      const kept = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 2);
      expect(kept.skipMatching).toBe(true);
      const cleared = await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer, skipMatching: false },
        3,
      );
      expect(cleared.skipMatching).toBe(false);
    });

    it('keeps one entry per (tenant, source): the same source id in two tenants is two entries', async () => {
      const { storage } = await context.open();
      await storage.outbox.enqueue(
        't1',
        'c1',
        { operation: 'upsert', customer: sampleCustomer('c1') },
        1,
      );
      await storage.outbox.enqueue('t2', 'c1', { operation: 'delete' }, 2);
      expect((await storage.outbox.get('t1', 'c1'))?.operation).toBe('upsert');
      expect((await storage.outbox.get('t2', 'c1'))?.operation).toBe('delete');
      expect(await storage.outbox.get('t3', 'c1')).toBeUndefined();
    });

    it('update writes the patch and updatedAt only while the version is current', async () => {
      const { storage } = await context.open();
      const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 1_000);
      const written = await storage.outbox.update(
        T,
        'c1',
        entry.version,
        { attempts: 2, notBefore: 5_000, lastError: SAMPLE_ERROR, state: 'failed' },
        2_000,
      );
      expect(written).toBe(true);
      const stored = await storage.outbox.get(T, 'c1');
      expect(stored).toMatchObject({
        attempts: 2,
        notBefore: 5_000,
        lastError: SAMPLE_ERROR,
        state: 'failed',
        updatedAt: 2_000,
      });
      expect(stored?.version).toBe(entry.version);

      const stale = await storage.outbox.update(T, 'c1', entry.version - 1, { attempts: 9 }, 3_000);
      expect(stale).toBe(false);
      expect(await storage.outbox.get(T, 'c1')).toEqual(stored);
      expect(await storage.outbox.update(T, 'missing', 1, { attempts: 1 }, 3_000)).toBe(false);
      expect(await storage.outbox.get(T, 'missing')).toBeUndefined();
    });

    it('update with an undefined key leaves that field as it was', async () => {
      const { storage } = await context.open();
      const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 1);
      await storage.outbox.update(T, 'c1', entry.version, { lastError: SAMPLE_ERROR }, 2);
      const patch = { lastError: undefined, attempts: 1 } as unknown as { attempts: number };
      await storage.outbox.update(T, 'c1', entry.version, patch, 3);
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        lastError: SAMPLE_ERROR,
        attempts: 1,
      });
    });

    it('update writes createAttempted: true whatever the version (and nothing else of a stale patch), answering false', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const old = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      const newer = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 2);
      const answer = await storage.outbox.update(
        T,
        'c1',
        old.version,
        { createAttempted: true, attempts: 7, state: 'failed' },
        3,
      );
      expect(answer).toBe(false);
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        version: newer.version,
        createAttempted: true,
        createAttemptedAt: 3,
        attempts: 0,
        state: 'pending',
        updatedAt: 3,
      });
      // Each attempt is a new moment, already set or not: the engine waits `createSettleMs` from it.
      await storage.outbox.update(T, 'c1', old.version, { createAttempted: true }, 4);
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        createAttempted: true,
        createAttemptedAt: 4,
        updatedAt: 4,
      });
    });

    it('complete of the current version writes the link and removes the entry (done)', async () => {
      const { storage } = await context.open();
      const entry = await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer: sampleCustomer('c1') },
        1,
      );
      const link = sampleLink(T, 'c1', '1001', 5);
      expect(await storage.outbox.complete(T, 'c1', entry.version, link, 5)).toBe('done');
      expect(await storage.outbox.get(T, 'c1')).toBeUndefined();
      expect(await storage.links.get(T, 'c1')).toEqual(link);
      expect(await storage.outbox.countByState(T)).toEqual({
        pending: 0,
        failed: 0,
        'needs-decision': 0,
      });
    });

    it('complete without a link removes the entry and writes no link', async () => {
      const { storage } = await context.open();
      const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 1);
      expect(await storage.outbox.complete(T, 'c1', entry.version, null, 2)).toBe('done');
      expect(await storage.outbox.get(T, 'c1')).toBeUndefined();
      expect(await storage.links.get(T, 'c1')).toBeUndefined();
    });

    it('complete of a superseded version writes the link, keeps the newer entry pending and clears createAttempted', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const old = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      await storage.outbox.update(T, 'c1', old.version, { createAttempted: true }, 2);
      const renamed = sampleCustomer('c1', 'Newer AB');
      const newer = await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer: renamed },
        3,
      );
      const link = sampleLink(T, 'c1', '1001', 4);
      expect(await storage.outbox.complete(T, 'c1', old.version, link, 4)).toBe('superseded');
      expect(await storage.links.get(T, 'c1')).toEqual(link);
      const kept = await storage.outbox.get(T, 'c1');
      expect(kept).toMatchObject({
        version: newer.version,
        customer: renamed,
        state: 'pending',
        createAttempted: false,
      });
      expect(kept?.notBefore).toBeLessThanOrEqual(4);
    });

    it('complete of a superseded version without a link keeps createAttempted', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const old = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      await storage.outbox.update(T, 'c1', old.version, { createAttempted: true }, 2);
      await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 3);
      expect(await storage.outbox.complete(T, 'c1', old.version, null, 4)).toBe('superseded');
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        state: 'pending',
        createAttempted: true,
      });
      expect(await storage.links.get(T, 'c1')).toBeUndefined();
    });

    it('complete refuses the link of another customer and writes nothing (one step: all or nothing)', async () => {
      const { storage } = await context.open();
      const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 1);
      await expect(
        storage.outbox.complete(T, 'c1', entry.version, sampleLink(T, 'other', '1001'), 2),
      ).rejects.toThrow();
      expect(await storage.outbox.get(T, 'c1')).toEqual(entry);
      expect(await storage.links.get(T, 'other')).toBeUndefined();
      expect(await storage.links.count(T)).toBe(0);
    });

    it('complete refuses a link to a customer number another source id holds (link-conflict), and writes nothing', async () => {
      const { storage } = await context.open();
      await storage.links.put(sampleLink(T, 'holder', '1001'));
      const entry = await storage.outbox.enqueue(
        T,
        'c1',
        { operation: 'upsert', customer: sampleCustomer('c1') },
        1,
      );
      const refused = await storage.outbox
        .complete(T, 'c1', entry.version, sampleLink(T, 'c1', '1001'), 2)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refused).toMatchObject({ kind: 'storage', code: 'link-conflict' });
      expect(await storage.outbox.get(T, 'c1')).toEqual(entry);
      expect(await storage.links.get(T, 'c1')).toBeUndefined();
      expect(await storage.links.getByCustomerNumber(T, '1001')).toMatchObject({
        sourceId: 'holder',
      });
    });

    it('a re-created entry never reuses an earlier entry’s version (a stale complete cannot remove it)', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const first = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      expect(await storage.outbox.remove(T, 'c1')).toBe(true);
      const again = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 2);
      expect(again.version).not.toBe(first.version);
      expect(await storage.outbox.complete(T, 'c1', first.version, null, 3)).toBe('superseded');
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({ version: again.version });
    });

    it('remove deletes the entry whatever its version and leaves the link', async () => {
      const { storage } = await context.open();
      await storage.links.put(sampleLink(T, 'c1', '1001'));
      await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 1);
      await storage.outbox.enqueue(T, 'c1', { operation: 'delete' }, 2);
      expect(await storage.outbox.remove(T, 'c1')).toBe(true);
      expect(await storage.outbox.get(T, 'c1')).toBeUndefined();
      expect(await storage.outbox.remove(T, 'c1')).toBe(false);
      expect(await storage.links.get(T, 'c1')).toBeDefined();
    });

    it('list gives a tenant’s entries oldest enqueuedAt first, filtered by state; countByState counts every state', async () => {
      const { storage } = await context.open();
      expect(await storage.outbox.list(T)).toEqual([]);
      expect(await storage.outbox.countByState(T)).toEqual({
        pending: 0,
        failed: 0,
        'needs-decision': 0,
      });
      const b = await storage.outbox.enqueue(T, 'b', { operation: 'delete' }, 300);
      const a = await storage.outbox.enqueue(T, 'a', { operation: 'delete' }, 100);
      const c = await storage.outbox.enqueue(T, 'c', { operation: 'delete' }, 200);
      await storage.outbox.enqueue('other', 'x', { operation: 'delete' }, 50);
      // A re-enqueue keeps the entry's age.
      await storage.outbox.enqueue(T, 'a', { operation: 'delete' }, 400);
      expect((await storage.outbox.list(T)).map((entry) => entry.sourceId)).toEqual([
        'a',
        'c',
        'b',
      ]);
      await storage.outbox.update(T, 'b', b.version, { state: 'failed' }, 500);
      await storage.outbox.update(T, 'c', c.version, { state: 'needs-decision' }, 500);
      expect(a.sourceId).toBe('a');
      expect((await storage.outbox.list(T, { state: 'failed' })).map((e) => e.sourceId)).toEqual([
        'b',
      ]);
      expect(
        (await storage.outbox.list(T, { state: 'needs-decision' })).map((e) => e.sourceId),
      ).toEqual(['c']);
      expect((await storage.outbox.list(T, { state: 'pending' })).map((e) => e.sourceId)).toEqual([
        'a',
      ]);
      expect(await storage.outbox.countByState(T)).toEqual({
        pending: 1,
        failed: 1,
        'needs-decision': 1,
      });
      expect(await storage.outbox.countByState('other')).toEqual({
        pending: 1,
        failed: 0,
        'needs-decision': 0,
      });
    });

    it('keeps a customer as given (a JSON round trip), also one breaking the shape rules: the engine judges it', async () => {
      const { storage } = await context.open();
      const odd = {
        id: 'c1',
        type: 'company',
        name: 42,
        active: 'yes',
        email: undefined,
        extra: { a: [1] },
      };
      await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer: odd as never }, 1);
      expect((await storage.outbox.get(T, 'c1'))?.customer).toEqual(
        JSON.parse(JSON.stringify(odd)),
      );
    });

    it('hands out copies: changing a returned entry changes nothing stored', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      (entry.customer as { name: string }).name = 'Changed';
      (customer as { name: string }).name = 'Changed too';
      expect((await storage.outbox.get(T, 'c1'))?.customer?.name).toBe('Sample c1 AB');
    });
  });
}
