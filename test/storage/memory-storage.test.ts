import { describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/mapping/index.js';
import type { CustomerLink } from '../../src/storage/index.js';
import { createMemoryStorage } from '../../src/storage/index.js';

const customer = (id: string, name = 'Acme AB'): SourceCustomer => ({
  id,
  type: 'company',
  name,
  active: true,
});
const link = (sourceId: string, customerNumber: string): CustomerLink => ({
  tenantId: 't1',
  sourceId,
  customerNumber,
  fingerprint: 'f',
  origin: 'created',
  syncedAt: 1,
});

describe('memory outbox', () => {
  it('coalesces changes of one customer: version bumped, state reset, flags kept', async () => {
    const { outbox } = createMemoryStorage();
    const first = await outbox.enqueue(
      't1',
      'a',
      { operation: 'upsert', customer: customer('a'), skipMatching: true },
      10,
    );
    expect(first).toMatchObject({
      version: 1,
      state: 'pending',
      skipMatching: true,
      enqueuedAt: 10,
    });
    await outbox.update('t1', 'a', 1, { state: 'failed', attempts: 3, createAttempted: true }, 11);
    const second = await outbox.enqueue(
      't1',
      'a',
      { operation: 'upsert', customer: customer('a', 'Acme Två AB') },
      20,
    );
    expect(second).toMatchObject({
      version: 2,
      state: 'pending',
      attempts: 0,
      notBefore: 20,
      createAttempted: true,
      skipMatching: true,
      enqueuedAt: 10,
      lastError: null,
    });
    expect(second.customer?.name).toBe('Acme Två AB');
    const deleted = await outbox.enqueue('t1', 'a', { operation: 'delete' }, 30);
    expect(deleted).toMatchObject({ operation: 'delete', customer: null, version: 3 });
    // A delete that must first reconcile a possibly created customer keeps what finds it.
    const reconciling = await outbox.enqueue(
      't1',
      'a',
      { operation: 'delete', customer: customer('a') },
      31,
    );
    expect(reconciling).toMatchObject({ operation: 'delete', customer: { id: 'a' }, version: 4 });
  });

  it('update writes only the current version, except createAttempted', async () => {
    const { outbox } = createMemoryStorage();
    await outbox.enqueue('t1', 'a', { operation: 'upsert', customer: customer('a') }, 1);
    await outbox.enqueue('t1', 'a', { operation: 'upsert', customer: customer('a') }, 2);
    expect(await outbox.update('t1', 'a', 1, { state: 'failed', createAttempted: true }, 3)).toBe(
      false,
    );
    expect(await outbox.get('t1', 'a')).toMatchObject({ state: 'pending', createAttempted: true });
    expect(await outbox.update('t1', 'a', 2, { attempts: 2 }, 4)).toBe(true);
    expect(await outbox.update('t1', 'missing', 1, { attempts: 2 }, 4)).toBe(false);
  });

  it('complete writes the link and removes the entry, or keeps a newer change', async () => {
    const { outbox, links } = createMemoryStorage();
    await outbox.enqueue('t1', 'a', { operation: 'upsert', customer: customer('a') }, 1);
    expect(await outbox.complete('t1', 'a', 1, link('a', '100'), 2)).toBe('done');
    expect(await outbox.get('t1', 'a')).toBeUndefined();
    expect(await links.get('t1', 'a')).toMatchObject({ customerNumber: '100' });

    await outbox.enqueue('t1', 'b', { operation: 'upsert', customer: customer('b') }, 1);
    await outbox.update('t1', 'b', 1, { createAttempted: true }, 2);
    await outbox.enqueue('t1', 'b', { operation: 'upsert', customer: customer('b') }, 3);
    expect(await outbox.complete('t1', 'b', 1, link('b', '101'), 4)).toBe('superseded');
    expect(await outbox.get('t1', 'b')).toMatchObject({
      version: 2,
      state: 'pending',
      createAttempted: false,
    });
    expect(await links.get('t1', 'b')).toMatchObject({ customerNumber: '101' });
  });

  it('lists oldest first, filters by state, counts by state, keeps tenants apart', async () => {
    const { outbox } = createMemoryStorage();
    await outbox.enqueue('t1', 'b', { operation: 'upsert', customer: customer('b') }, 5);
    await outbox.enqueue('t1', 'a', { operation: 'upsert', customer: customer('a') }, 7);
    await outbox.enqueue('t1', 'c', { operation: 'upsert', customer: customer('c') }, 5);
    await outbox.enqueue('t2', 'x', { operation: 'upsert', customer: customer('x') }, 1);
    await outbox.update('t1', 'a', 1, { state: 'failed' }, 8);
    expect((await outbox.list('t1')).map((e) => e.sourceId)).toEqual(['b', 'c', 'a']);
    expect((await outbox.list('t1', { state: 'failed' })).map((e) => e.sourceId)).toEqual(['a']);
    expect(await outbox.countByState('t1')).toEqual({ pending: 2, failed: 1, 'needs-decision': 0 });
    expect(await outbox.remove('t1', 'b')).toBe(true);
    expect(await outbox.remove('t1', 'b')).toBe(false);
  });

  it('keeps its own copy of the payload', async () => {
    const { outbox } = createMemoryStorage();
    const value = customer('a');
    await outbox.enqueue('t1', 'a', { operation: 'upsert', customer: value }, 1);
    value.name = 'Changed';
    expect((await outbox.get('t1', 'a'))?.customer?.name).toBe('Acme AB');
  });
});

describe('memory links', () => {
  it('finds a link by customer number, replaces and deletes', async () => {
    const { links } = createMemoryStorage();
    await links.put(link('b', '100'));
    await links.put(link('a', '101'));
    expect(await links.getByCustomerNumber('t1', '100')).toMatchObject({ sourceId: 'b' });
    await links.put(link('b', '102'));
    expect(await links.getByCustomerNumber('t1', '100')).toBeUndefined();
    expect((await links.list('t1')).map((l) => l.sourceId)).toEqual(['a', 'b']);
    expect(await links.count('t1')).toBe(2);
    expect(await links.delete('t1', 'b')).toBe(true);
    expect(await links.getByCustomerNumber('t1', '102')).toBeUndefined();
    expect(await links.count('t2')).toBe(0);
  });
});

describe('memory decisions', () => {
  const question = { tenantId: 't1', sourceId: 'a', candidates: [], askedAt: 1 };

  it('asks, settles once, and never asks a settled decision again', async () => {
    const { decisions } = createMemoryStorage();
    expect(await decisions.settle('t1', 'a', { createNew: true }, 'u1', 2)).toBeUndefined();
    await decisions.ask(question);
    expect(await decisions.list('t1', { pending: true })).toHaveLength(1);
    const settled = await decisions.settle('t1', 'a', { use: '100' }, 'u1', 2);
    expect(settled).toMatchObject({ resolution: { use: '100' }, resolvedBy: 'u1', resolvedAt: 2 });
    const again = await decisions.settle('t1', 'a', { createNew: true }, 'u2', 3);
    expect(again?.resolution).toEqual({ use: '100' });
    const asked = await decisions.ask({ ...question, askedAt: 5 });
    expect(asked.resolution).toEqual({ use: '100' });
    expect(await decisions.list('t1', { pending: true })).toHaveLength(0);
    expect(await decisions.list('t1', { pending: false })).toHaveLength(1);
  });
});

describe('memory tenants and checkpoints', () => {
  it('stores tenant records and JSON checkpoints', async () => {
    const storage = createMemoryStorage();
    await storage.tenants.put({
      tenantId: 'b',
      connection: 'connected',
      reason: null,
      updatedAt: 1,
    });
    await storage.tenants.put({
      tenantId: 'a',
      connection: 'disconnected',
      reason: null,
      updatedAt: 1,
    });
    expect((await storage.tenants.list()).map((t) => t.tenantId)).toEqual(['a', 'b']);
    expect(await storage.checkpoints.get('a', 'k')).toBeUndefined();
    await storage.checkpoints.put('a', 'k', { phase: 'executing', done: 3 });
    expect(await storage.checkpoints.get('a', 'k')).toEqual({ phase: 'executing', done: 3 });
    await expect(storage.checkpoints.put('a', 'bad', undefined)).rejects.toThrow(TypeError);
    await storage.checkpoints.delete('a', 'k');
    expect(await storage.checkpoints.get('a', 'k')).toBeUndefined();
    await storage.close();
  });
});
