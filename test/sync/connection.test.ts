/**
 * Connection, authorisation and status (issue 9 "Connection, status, reports"): only admins connect
 * and disconnect; a disconnected tenant queues its saves and sends nothing; connecting resumes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/storage/index.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import {
  ADMIN,
  CLERK,
  eventually,
  type Harness,
  sampleCustomers,
  startHarness,
} from './support/engine-harness.js';

const T = '1000001';
let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('connect and disconnect', () => {
  it('only admins connect and disconnect by default; a custom policy decides otherwise', async () => {
    h = await startHarness({ tenants: [T], connect: false });
    const refused = (await h.engine.connect(T, CLERK))._unsafeUnwrapErr();
    expect(refused).toMatchObject({ kind: 'forbidden', name: 'SyncEngineError' });
    expect(refused.userMessage.sv).toMatch(/behörighet/);
    expect((await h.engine.summary(T))._unsafeUnwrap().connection).toBe('disconnected');
    expect((await h.engine.connect(T, ADMIN)).isOk()).toBe(true);
    expect((await h.engine.disconnect(T, CLERK))._unsafeUnwrapErr().kind).toBe('forbidden');
    expect((await h.engine.disconnect(T, ADMIN)).isOk()).toBe(true);

    const custom = h.restart({
      autoStart: false,
      authorize: (actor, action, tenantId) =>
        action === 'connect' && actor.id === 'clerk-1' && tenantId === T,
    });
    expect((await custom.connect(T, CLERK)).isOk()).toBe(true);
    expect((await custom.connect(T, ADMIN))._unsafeUnwrapErr().kind).toBe('forbidden');
  });

  it('a tenant never connected queues saves (paused), sends nothing, and connect delivers them', async () => {
    h = await startHarness({ tenants: [T], connect: false });
    const customers = sampleCustomers(5, 8);
    for (const customer of customers) {
      expect((await h.engine.customerSaved(T, customer))._unsafeUnwrap()).toEqual({
        status: 'pending',
        reason: 'paused',
        lastError: null,
      });
    }
    expect(h.requests()).toHaveLength(0);
    expect((await h.engine.status(T, customers[0]!.id))._unsafeUnwrap().state).toBe('paused');
    expect((await h.engine.summary(T))._unsafeUnwrap()).toMatchObject({
      connection: 'disconnected',
      pending: 5,
      linked: 0,
    });
    (await h.engine.connect(T, ADMIN))._unsafeUnwrap();
    await eventually(async () => (await h.storage.links.count(T)) === 5, 10_000, '5 links');
    expect((await h.engine.status(T, customers[0]!.id))._unsafeUnwrap().state).toBe('synced');
    expect(h.events).toContainEqual({ type: 'resumed', tenantId: T });
  });

  it('disconnect keeps the links; saves meanwhile wait and go out after reconnecting', async () => {
    h = await startHarness({ tenants: [T] });
    const [customer] = sampleCustomers(1, 9);
    const first = (await h.engine.customerSaved(T, customer!))._unsafeUnwrap();
    (await h.engine.disconnect(T, ADMIN))._unsafeUnwrap();
    expect(await h.storage.links.count(T)).toBe(1);
    h.resetRequests();
    const renamed = { ...customer!, name: 'Nytt Namn AB' };
    expect((await h.engine.customerSaved(T, renamed))._unsafeUnwrap()).toMatchObject({
      status: 'pending',
      reason: 'paused',
    });
    expect(h.requests()).toHaveLength(0);
    (await h.engine.connect(T, ADMIN))._unsafeUnwrap();
    await eventually(async () => (await h.storage.outbox.get(T, customer!.id)) === undefined);
    const customerNumber = first.status === 'synced' ? first.customerNumber : '';
    expect(h.emulator.tenant(T).customer(customerNumber)?.Name).toBe('Nytt Namn AB');
    expect(h.requests().map((entry) => entry.method)).toEqual(['PUT']);
  });

  it('a missing licence (2001103) pauses the tenant as needs-reconnect with words for a person', async () => {
    h = await startHarness({ tenants: [T] });
    h.emulator.faults.inject({ kind: 'licence-error', count: 1 });
    const [customer] = sampleCustomers(1, 10);
    const outcome = (await h.engine.customerSaved(T, customer!))._unsafeUnwrap();
    expect(outcome).toMatchObject({
      status: 'pending',
      reason: 'paused',
      lastError: { kind: 'api', code: '2001103' },
    });
    const summary = (await h.engine.summary(T))._unsafeUnwrap();
    expect(summary).toMatchObject({ connection: 'needs-reconnect', pending: 1 });
    const status = (await h.engine.status(T, customer!.id))._unsafeUnwrap();
    expect(status.state).toBe('paused');
    expect(status.lastError?.userMessage.sv).toMatch(/licens/);
    expect(h.events.filter((event) => event.type === 'paused')).toHaveLength(1);
    (await h.engine.connect(T, ADMIN))._unsafeUnwrap();
    await eventually(async () => (await h.storage.links.count(T)) === 1);
    // The attempt was not counted, and it was not parked as failed.
    expect(h.events.some((event) => event.type === 'failed')).toBe(false);
  });

  it('a dead connection met by many deliveries at once pauses the tenant once (one paused event)', async () => {
    // Slow tenant reads, as a durable store has: the deliveries meet the 401 while the first pauses.
    const memory = createMemoryStorage();
    const slowGet = memory.tenants.get.bind(memory.tenants);
    const storage: SyncStorage = {
      ...memory,
      tenants: {
        ...memory.tenants,
        get: async (tenantId) => {
          const record = await slowGet(tenantId);
          await new Promise((resolve) => setTimeout(resolve, 150));
          return record;
        },
      },
    };
    h = await startHarness({ tenants: [T], storage, engine: { saveTimeoutMs: 2_000 } });
    h.emulator.revokeTokens(T);
    await Promise.all(sampleCustomers(12, 17).map((c) => h.engine.customerSaved(T, c)));
    expect(h.events.filter((event) => event.type === 'paused')).toHaveLength(1);
    expect((await h.engine.summary(T))._unsafeUnwrap()).toMatchObject({
      connection: 'needs-reconnect',
      pending: 12,
    });
  });

  it('status of an unknown customer is not-found; bad tenant ids are invalid-input', async () => {
    h = await startHarness({ tenants: [T] });
    expect((await h.engine.status(T, 'nobody'))._unsafeUnwrapErr().kind).toBe('not-found');
    expect((await h.engine.summary(''))._unsafeUnwrapErr().kind).toBe('invalid-input');
  });
});
