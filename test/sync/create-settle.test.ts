/**
 * A create whose POST may still be in flight is not reconciled before it can no longer land
 * (`createSettleMs`): a handler that takes an item over from a stalled process (or a restarted one)
 * would otherwise search, find nothing, and POST a duplicate. A lost answer this process saw is still
 * reconciled at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FortnoxCustomerCreate } from '../../src/fortnox/index.js';
import { createMemoryStorage } from '../../src/storage/index.js';
import type {
  OutboxEntry,
  SyncStorage,
  WorkDeferral,
  WorkHandler,
} from '../../src/storage/sync-storage.js';
import { createSettledCreates, reconcileNotBefore } from '../../src/sync/create-settle.js';
import { createSyncEngine } from '../../src/sync/create-sync-engine.js';
import { DEFAULT_SYNC_ENGINE_OPTIONS } from '../../src/sync/engine-core.js';
import { ownedCreate } from '../../src/sync/owned-write.js';
import {
  countByMethod,
  eventually,
  type Harness,
  sampleCustomers,
  startHarness,
} from './support/engine-harness.js';

const T = '1000001';
const SETTLE_MS = 60_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A clock the test moves forward: the engine and the memory queue both read it. */
const testClock = () => {
  let skew = 0;
  return { now: () => Date.now() + skew, advance: (ms: number) => (skew += ms) };
};

/**
 * What a create attempted by another process (or before a restart) leaves behind: the customer's
 * entry, marked `createAttempted` at `clock.now()`. Answers the customer and that moment.
 */
async function attemptedElsewhere(
  storage: SyncStorage,
  clock: ReturnType<typeof testClock>,
  seed: number,
) {
  const customer = sampleCustomers(1, seed)[0]!;
  const entry = await storage.outbox.enqueue(
    T,
    customer.id,
    { operation: 'upsert', customer },
    clock.now(),
  );
  const attemptedAt = clock.now();
  await storage.outbox.update(
    T,
    customer.id,
    entry.version,
    { createAttempted: true },
    attemptedAt,
  );
  return { customer, attemptedAt };
}

/** What the handler answers the queue, recorded (a deferral is the engine's only sign of waiting). */
function recordDeferrals(storage: SyncStorage): WorkDeferral[] {
  const deferrals: WorkDeferral[] = [];
  const start = storage.queue.start.bind(storage.queue);
  storage.queue.start = (handler: WorkHandler, options) =>
    start(async (item) => {
      const answer = await handler(item);
      if (answer !== undefined) deferrals.push(answer);
      return answer;
    }, options);
  return deferrals;
}

describe('an attempted create another process may still be sending', () => {
  it('is neither reconciled nor POSTed again before createSettleMs; then it links the one customer', async () => {
    const clock = testClock();
    const storage = createMemoryStorage({ now: clock.now });
    const deferrals = recordDeferrals(storage);
    h = await startHarness({
      tenants: [T],
      storage,
      engine: { autoStart: false, createSettleMs: SETTLE_MS, now: clock.now },
    });
    // "Another process": its create stored createAttempted, then stalled past its lease with its
    // POST still on the way.
    const { customer, attemptedAt } = await attemptedElsewhere(storage, clock, 41);
    h.resetRequests();

    h.engine.start();
    await eventually(() => deferrals.length > 0, 15_000, 'the taken-over item deferred');
    expect(deferrals[0]).toEqual({ deferUntil: attemptedAt + SETTLE_MS });
    // Not looked up (it would find nothing yet) and not POSTed again.
    expect(h.requests()).toHaveLength(0);
    expect((await h.engine.status(T, customer.id))._unsafeUnwrap().state).toBe('pending');

    // The other process's POST lands late.
    const body = ownedCreate(customer)._unsafeUnwrap() as FortnoxCustomerCreate;
    const created = (await h.client().customers.create(body))._unsafeUnwrap();
    h.resetRequests();

    // Still inside the window: offered again (e.g. scheduled by a new turn), it waits again.
    await storage.queue.schedule({ tenantId: T, sourceId: customer.id });
    await eventually(() => deferrals.length > 1, 15_000, 'deferred again inside the window');
    expect(h.requests()).toHaveLength(0);

    // The window has passed: the POST can no longer land, so the item reconciles and links.
    clock.advance(SETTLE_MS);
    await runLinked(storage, customer.id);
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect((await storage.links.get(T, customer.id))?.customerNumber).toBe(created.CustomerNumber);
    expect(countByMethod(h.requests()).POST).toBeUndefined();
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'linked', sourceId: customer.id, origin: 'reconciled' }),
    );
    expect(await storage.outbox.get(T, customer.id)).toBeUndefined();
  });

  it('a restarted process with nothing in Fortnox waits the window, then creates once', async () => {
    const clock = testClock();
    const storage = createMemoryStorage({ now: clock.now });
    h = await startHarness({
      tenants: [T],
      storage,
      engine: { autoStart: false, createSettleMs: SETTLE_MS, now: clock.now },
    });
    // The POST before the restart never reached Fortnox.
    const { customer } = await attemptedElsewhere(storage, clock, 42);
    h.resetRequests();
    h.engine.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.requests()).toHaveLength(0);
    clock.advance(SETTLE_MS);
    await runLinked(storage, customer.id);
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(countByMethod(h.requests()).POST).toBe(1);
  });

  it('a delete of such a create waits too, then deactivates the customer the late POST made', async () => {
    const clock = testClock();
    const storage = createMemoryStorage({ now: clock.now });
    h = await startHarness({
      tenants: [T],
      storage,
      engine: { autoStart: false, createSettleMs: SETTLE_MS, now: clock.now },
    });
    const { customer } = await attemptedElsewhere(storage, clock, 43);
    await storage.outbox.enqueue(
      T,
      customer.id,
      { operation: 'delete', customer: customer },
      clock.now(),
    );
    h.resetRequests();
    h.engine.start();
    await storage.queue.schedule({ tenantId: T, sourceId: customer.id });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.requests()).toHaveLength(0);
    const body = ownedCreate(customer)._unsafeUnwrap() as FortnoxCustomerCreate;
    const created = (await h.client().customers.create(body))._unsafeUnwrap();
    clock.advance(SETTLE_MS);
    await runNow(storage, customer.id);
    await eventually(
      async () => (await storage.outbox.get(T, customer.id)) === undefined,
      15_000,
      'delete delivered',
    );
    const [record] = h.emulator.tenant(T).customers();
    expect(record?.CustomerNumber).toBe(created.CustomerNumber);
    expect(record?.Active).toBe(false);
  });
});

describe('an attempted create whose customer is saved again while it settles', () => {
  it('is reconciled createSettleMs after the attempt, however often it is saved meanwhile', async () => {
    const clock = testClock();
    const storage = createMemoryStorage({ now: clock.now });
    const deferrals = recordDeferrals(storage);
    h = await startHarness({
      tenants: [T],
      storage,
      // A short save timeout: the saves inside the window answer `pending` without a long wait.
      engine: { autoStart: false, createSettleMs: SETTLE_MS, now: clock.now, saveTimeoutMs: 50 },
    });
    const { customer, attemptedAt } = await attemptedElsewhere(storage, clock, 45);
    // The other process's POST lands late.
    const body = ownedCreate(customer)._unsafeUnwrap() as FortnoxCustomerCreate;
    const created = (await h.client().customers.create(body))._unsafeUnwrap();
    h.resetRequests();
    h.engine.start();
    await eventually(() => deferrals.length > 0, 15_000, 'the taken-over item deferred');

    // Saved again every quarter of the window (each save moves the entry's updatedAt): every turn
    // waits for the same moment, the attempt's createSettleMs.
    for (let save = 1; save <= 3; save++) {
      clock.advance(SETTLE_MS / 4);
      const seen = deferrals.length;
      const outcome = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
      expect(outcome.status).toBe('pending');
      await eventually(() => deferrals.length > seen, 15_000, `save ${save} deferred`);
      expect(deferrals.at(-1)).toEqual({ deferUntil: attemptedAt + SETTLE_MS });
    }
    expect(h.requests()).toHaveLength(0);

    // createSettleMs after the attempt (yet only a quarter after the last save): it reconciles.
    clock.advance(SETTLE_MS / 4);
    await h.engine.customerSaved(T, customer);
    await runLinked(storage, customer.id);
    expect((await storage.links.get(T, customer.id))?.customerNumber).toBe(created.CustomerNumber);
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(countByMethod(h.requests()).POST).toBeUndefined();
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'linked', sourceId: customer.id, origin: 'reconciled' }),
    );
  });
});

describe('a create whose POST this process saw settle', () => {
  it('a lost answer is reconciled at once, whatever createSettleMs', async () => {
    h = await startHarness({ tenants: [T], engine: { createSettleMs: 10 * 60_000 } });
    h.emulator.faults.inject({ kind: 'lost-response', methods: ['POST'], count: 1 });
    const [customer] = sampleCustomers(1, 44);
    const outcome = (await h.engine.customerSaved(T, customer!))._unsafeUnwrap();
    expect(outcome).toMatchObject({ status: 'synced' });
    expect(h.emulator.faults.counts()['lost-response']).toBe(1);
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(countByMethod(h.requests()).POST).toBe(1);
    expect(h.events).toContainEqual(
      expect.objectContaining({ type: 'linked', sourceId: customer!.id, origin: 'reconciled' }),
    );
  });
});

describe('reconcileNotBefore', () => {
  const entry = (createAttemptedAt: number | null) =>
    ({
      tenantId: T,
      sourceId: 'c1',
      createAttempted: true,
      createAttemptedAt,
      updatedAt: 9_000,
    }) as OutboxEntry;

  it('waits from the attempt, not from the last save; falls back to updatedAt when storage gives no moment', () => {
    const settled = createSettledCreates();
    expect(reconcileNotBefore(settled, 1_000, entry(5_000), 5_500)).toBe(6_000);
    expect(reconcileNotBefore(settled, 1_000, entry(5_000), 6_000)).toBeNull();
    // A custom adapter written before createAttemptedAt (null or absent): never earlier than the attempt.
    expect(reconcileNotBefore(settled, 1_000, entry(null), 9_500)).toBe(10_000);
    const absent = { ...entry(null), createAttemptedAt: undefined } as unknown as OutboxEntry;
    expect(reconcileNotBefore(settled, 1_000, absent, 9_500)).toBe(10_000);
    settled.settled(T, 'c1');
    expect(reconcileNotBefore(settled, 1_000, entry(5_000), 5_500)).toBeNull();
  });
});

describe('createSettleMs', () => {
  it('defaults to the client timeout plus a margin, and is validated', () => {
    expect(DEFAULT_SYNC_ENGINE_OPTIONS.createSettleMs).toBe(45_000);
    const base = { storage: createMemoryStorage(), clients: () => never(), autoStart: false };
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createSyncEngine({ ...base, createSettleMs: bad })).toThrow(
        /createSettleMs must be a non-negative number/,
      );
    }
    expect(() => createSyncEngine({ ...base, createSettleMs: 0 })).not.toThrow();
  });
});

/**
 * Makes the item due now after the clock jumped: the memory queue's timer for the deferral was set in
 * real time, and a time later than its `runAt` would keep it; the start of time is earlier.
 */
const runNow = (storage: SyncStorage, sourceId: string) =>
  storage.queue.schedule({ tenantId: T, sourceId }, 0);

/** {@link runNow}, then waits until the customer is linked. */
const runLinked = async (storage: SyncStorage, sourceId: string): Promise<void> => {
  await runNow(storage, sourceId);
  await eventually(
    async () => (await storage.links.get(T, sourceId)) !== undefined,
    15_000,
    'linked',
  );
};

const never = (): never => {
  throw new Error('no client in this test');
};
