import { describe, expect, it } from 'vitest';
import type { DecisionRecord, TenantRecord } from '../../storage/sync-storage.js';
import { SAMPLE_ERROR, type SuiteContext, sampleLink } from './suite-context.js';

const T = 'tenant-a';

const question = (sourceId: string, askedAt: number, customerNumber = '1001') => ({
  tenantId: T,
  sourceId,
  askedAt,
  candidates: [
    { customerNumber, score: 0.875, evidence: { name: 'similar', email: 'agree' } },
    { customerNumber: '2002', score: 0.5, evidence: {} },
  ],
});

/** Tenants, links, decisions and checkpoints. */
export function describeRecordClauses(context: SuiteContext): void {
  describe('tenants', () => {
    it('put creates or replaces a record; get and list read it back', async () => {
      const { storage } = await context.open();
      expect(await storage.tenants.get('t1')).toBeUndefined();
      expect(await storage.tenants.list()).toEqual([]);
      const connected: TenantRecord = {
        tenantId: 't1',
        connection: 'connected',
        reason: null,
        updatedAt: 1,
      };
      const paused: TenantRecord = {
        tenantId: 't2',
        connection: 'needs-reconnect',
        reason: SAMPLE_ERROR,
        updatedAt: 2,
      };
      await storage.tenants.put(connected);
      await storage.tenants.put(paused);
      expect(await storage.tenants.get('t2')).toEqual(paused);
      const off: TenantRecord = {
        tenantId: 't1',
        connection: 'disconnected',
        reason: null,
        updatedAt: 3,
      };
      await storage.tenants.put(off);
      expect(await storage.tenants.get('t1')).toEqual(off);
      const listed = await storage.tenants.list();
      expect([...listed].sort((x, y) => x.tenantId.localeCompare(y.tenantId))).toEqual([
        off,
        paused,
      ]);
    });

    it('keeps a StoredError without its optional fields as it was given', async () => {
      const { storage } = await context.open();
      const reason = {
        kind: 'auth',
        message: 'Refused',
        userMessage: { sv: 'Nekad', en: 'Refused' },
      };
      await storage.tenants.put({
        tenantId: 't1',
        connection: 'needs-reconnect',
        reason,
        updatedAt: 1,
      });
      const stored = await storage.tenants.get('t1');
      expect(stored?.reason).toEqual(reason);
      expect(Object.keys(stored?.reason ?? {}).sort()).toEqual(['kind', 'message', 'userMessage']);
    });
  });

  describe('links', () => {
    it('put, get, getByCustomerNumber, replace, delete', async () => {
      const { storage } = await context.open();
      expect(await storage.links.get(T, 'c1')).toBeUndefined();
      const link = sampleLink(T, 'c1', '1001');
      await storage.links.put(link);
      expect(await storage.links.get(T, 'c1')).toEqual(link);
      expect(await storage.links.getByCustomerNumber(T, '1001')).toEqual(link);
      expect(await storage.links.getByCustomerNumber('other', '1001')).toBeUndefined();
      const moved = { ...sampleLink(T, 'c1', '1002', 9), origin: 'decided' as const };
      await storage.links.put(moved);
      expect(await storage.links.get(T, 'c1')).toEqual(moved);
      expect(await storage.links.getByCustomerNumber(T, '1001')).toBeUndefined();
      expect(await storage.links.getByCustomerNumber(T, '1002')).toEqual(moved);
      expect(await storage.links.count(T)).toBe(1);
      expect(await storage.links.delete(T, 'c1')).toBe(true);
      expect(await storage.links.delete(T, 'c1')).toBe(false);
      expect(await storage.links.get(T, 'c1')).toBeUndefined();
      expect(await storage.links.getByCustomerNumber(T, '1002')).toBeUndefined();
    });

    it('list gives a tenant’s links in sourceId order; count counts them; tenants are apart', async () => {
      const { storage } = await context.open();
      expect(await storage.links.list(T)).toEqual([]);
      expect(await storage.links.count(T)).toBe(0);
      for (const id of ['m', 'b', 'z', 'a']) await storage.links.put(sampleLink(T, id, `n-${id}`));
      await storage.links.put(sampleLink('other', 'c', 'n-c'));
      expect((await storage.links.list(T)).map((link) => link.sourceId)).toEqual([
        'a',
        'b',
        'm',
        'z',
      ]);
      expect(await storage.links.count(T)).toBe(4);
      expect(await storage.links.count('other')).toBe(1);
      expect(await storage.links.get('other', 'a')).toBeUndefined();
    });

    it('keeps every origin', async () => {
      const { storage } = await context.open();
      for (const origin of ['created', 'matched', 'decided'] as const) {
        await storage.links.put({ ...sampleLink(T, origin, '1'), origin });
        expect((await storage.links.get(T, origin))?.origin).toBe(origin);
      }
    });
  });

  describe('decisions', () => {
    it('ask records a pending question; get reads it back', async () => {
      const { storage } = await context.open();
      expect(await storage.decisions.get(T, 'c1')).toBeUndefined();
      const asked = await storage.decisions.ask(question('c1', 10));
      const expected: DecisionRecord = {
        ...question('c1', 10),
        resolution: null,
        resolvedAt: null,
        resolvedBy: null,
      };
      expect(asked).toEqual(expected);
      expect(await storage.decisions.get(T, 'c1')).toEqual(expected);
    });

    it('settle answers a pending decision once; the first answer stands', async () => {
      const { storage } = await context.open();
      expect(await storage.decisions.settle(T, 'c1', { use: '1001' }, 'admin', 5)).toBeUndefined();
      await storage.decisions.ask(question('c1', 10));
      const settled = await storage.decisions.settle(T, 'c1', { use: '1001' }, 'admin-1', 20);
      expect(settled).toMatchObject({
        resolution: { use: '1001' },
        resolvedAt: 20,
        resolvedBy: 'admin-1',
      });
      const again = await storage.decisions.settle(T, 'c1', { createNew: true }, 'admin-2', 30);
      expect(again).toEqual(settled);
      expect(await storage.decisions.get(T, 'c1')).toEqual(settled);
    });

    it('never asks twice: ask on a settled decision returns it untouched', async () => {
      const { storage } = await context.open();
      await storage.decisions.ask(question('c1', 10));
      const settled = await storage.decisions.settle(T, 'c1', { createNew: true }, 'admin', 20);
      const asked = await storage.decisions.ask(question('c1', 30, '9999'));
      expect(asked).toEqual(settled);
      expect(await storage.decisions.get(T, 'c1')).toEqual(settled);
    });

    it('asked again while pending: fresh candidates, as old as the first question', async () => {
      const { storage } = await context.open();
      await storage.decisions.ask(question('c1', 10));
      const again = await storage.decisions.ask(question('c1', 30, '9999'));
      expect(again).toMatchObject({ askedAt: 10, resolution: null });
      expect(again.candidates[0]?.customerNumber).toBe('9999');
      expect(await storage.decisions.list(T)).toHaveLength(1);
    });

    it('list gives a tenant’s decisions oldest first, optionally only the pending ones', async () => {
      const { storage } = await context.open();
      await storage.decisions.ask(question('late', 30));
      await storage.decisions.ask(question('early', 10));
      await storage.decisions.ask(question('middle', 20));
      await storage.decisions.ask({ ...question('x', 1), tenantId: 'other' });
      await storage.decisions.settle(T, 'middle', { use: '1001' }, 'admin', 40);
      expect((await storage.decisions.list(T)).map((d) => d.sourceId)).toEqual([
        'early',
        'middle',
        'late',
      ]);
      expect((await storage.decisions.list(T, { pending: true })).map((d) => d.sourceId)).toEqual([
        'early',
        'late',
      ]);
      expect((await storage.decisions.list(T, { pending: false })).map((d) => d.sourceId)).toEqual([
        'middle',
      ]);
      expect(await storage.decisions.list('nobody')).toEqual([]);
    });
  });

  describe('checkpoints', () => {
    it('keeps a JSON value per (tenant, key) and gives it back equal', async () => {
      const { storage } = await context.open();
      expect(await storage.checkpoints.get(T, 'initial-sync')).toBeUndefined();
      const value = {
        runId: 'r-1',
        phase: 'execute',
        counts: { link: 3, create: 0.5, nested: [1, 'två', null, true, { deep: [] }] },
        note: 'åäö ✓ "quoted" \\ back',
      };
      await storage.checkpoints.put(T, 'initial-sync', value);
      await storage.checkpoints.put(T, 'drift-cursor', '2026-12-01 10:00');
      await storage.checkpoints.put('other', 'initial-sync', 7);
      expect(await storage.checkpoints.get(T, 'initial-sync')).toEqual(value);
      expect(await storage.checkpoints.get(T, 'drift-cursor')).toBe('2026-12-01 10:00');
      expect(await storage.checkpoints.get('other', 'initial-sync')).toBe(7);
      await storage.checkpoints.put(T, 'initial-sync', { phase: 'done' });
      expect(await storage.checkpoints.get(T, 'initial-sync')).toEqual({ phase: 'done' });
      await storage.checkpoints.delete(T, 'initial-sync');
      expect(await storage.checkpoints.get(T, 'initial-sync')).toBeUndefined();
      await storage.checkpoints.delete(T, 'never-there');
      expect(await storage.checkpoints.get(T, 'drift-cursor')).toBe('2026-12-01 10:00');
    });

    it('stores JSON, not the object: later changes to it are not kept', async () => {
      const { storage } = await context.open();
      const value = { count: 1 };
      await storage.checkpoints.put(T, 'k', value);
      value.count = 2;
      expect(await storage.checkpoints.get(T, 'k')).toEqual({ count: 1 });
      await storage.checkpoints.put(T, 'falsy', null);
      expect(await storage.checkpoints.get(T, 'falsy')).toBeNull();
      await expect(storage.checkpoints.put(T, 'nothing', undefined)).rejects.toThrow();
      expect(await storage.checkpoints.get(T, 'nothing')).toBeUndefined();
    });
  });
}
