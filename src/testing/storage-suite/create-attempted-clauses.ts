import { describe, expect, it } from 'vitest';
import { type SuiteContext, sampleCustomer, sampleLink } from './suite-context.js';

const T = 'tenant-a';

/**
 * `createAttemptedAt`: the moment of the last `createAttempted: true` write. The engine waits
 * `createSettleMs` from it before it reconciles a create it did not see settle, so no save may move
 * it (a customer saved more often than the window would never be reconciled), and every attempt must
 * set it (a POST sent later than the moment could land after the look-up and make a duplicate).
 */
export function describeCreateAttemptedClauses(context: SuiteContext): void {
  describe('outbox: createAttemptedAt', () => {
    it('is null on a new entry and set to now by the write of createAttempted: true', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const entry = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      expect(entry.createAttemptedAt).toBeNull();
      await storage.outbox.update(T, 'c1', entry.version, { attempts: 1 }, 2);
      expect((await storage.outbox.get(T, 'c1'))?.createAttemptedAt).toBeNull();
      expect(
        await storage.outbox.update(T, 'c1', entry.version, { createAttempted: true }, 5),
      ).toBe(true);
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        createAttempted: true,
        createAttemptedAt: 5,
        updatedAt: 5,
      });
    });

    it('a later enqueue, update or superseded complete without a link keeps it, while updatedAt moves', async () => {
      const { storage, key } = await context.open();
      const customer = sampleCustomer('c1');
      const saved = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      await storage.outbox.update(T, 'c1', saved.version, { createAttempted: true }, 5);
      const again = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 10);
      expect(again).toMatchObject({ createAttempted: true, createAttemptedAt: 5, updatedAt: 10 });
      const patch = { state: 'failed', attempts: 2, notBefore: 30 } as const;
      expect(await storage.outbox.update(T, 'c1', again.version, patch, 11)).toBe(true);
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        createAttemptedAt: 5,
        updatedAt: 11,
      });
      const deleted = await storage.outbox.enqueue(T, 'c1', { operation: 'delete', customer }, 12);
      expect(deleted).toMatchObject({ createAttempted: true, createAttemptedAt: 5 });
      expect(await storage.outbox.complete(T, 'c1', saved.version, null, 13)).toBe('superseded');
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        createAttempted: true,
        createAttemptedAt: 5,
      });
      if (!context.options.durable) return;
      await storage.close();
      const { storage: reopened } = await context.open(key);
      expect((await reopened.outbox.get(T, 'c1'))?.createAttemptedAt).toBe(5);
    });

    it('every write of createAttempted: true is a new attempt: stale version or not, it moves to now', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const old = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      await storage.outbox.update(T, 'c1', old.version, { createAttempted: true }, 2);
      const newer = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 3);
      expect(await storage.outbox.update(T, 'c1', old.version, { createAttempted: true }, 4)).toBe(
        false,
      );
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        version: newer.version,
        createAttemptedAt: 4,
      });
      await storage.outbox.update(T, 'c1', newer.version, { createAttempted: true }, 6);
      expect((await storage.outbox.get(T, 'c1'))?.createAttemptedAt).toBe(6);
    });

    it('is cleared with createAttempted: by a superseded complete with a link, and by an update writing false', async () => {
      const { storage } = await context.open();
      const customer = sampleCustomer('c1');
      const old = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 1);
      await storage.outbox.update(T, 'c1', old.version, { createAttempted: true }, 2);
      const newer = await storage.outbox.enqueue(T, 'c1', { operation: 'upsert', customer }, 3);
      const link = sampleLink(T, 'c1', '1001', 4);
      expect(await storage.outbox.complete(T, 'c1', old.version, link, 4)).toBe('superseded');
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        createAttempted: false,
        createAttemptedAt: null,
      });

      await storage.outbox.update(T, 'c1', newer.version, { createAttempted: true }, 5);
      await storage.outbox.update(T, 'c1', newer.version, { createAttempted: false }, 6);
      expect(await storage.outbox.get(T, 'c1')).toMatchObject({
        createAttempted: false,
        createAttemptedAt: null,
      });
    });
  });
}
