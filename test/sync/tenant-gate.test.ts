/**
 * The engine's per-tenant cap on work in flight (`tenantConcurrency`): which item runs, which is
 * deferred, and which deferred item a freed slot wakes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/index.js';
import { createMemoryStorage } from '../../src/storage/index.js';
import type { SyncStorage, WorkDeferral, WorkItem } from '../../src/storage/sync-storage.js';
import { createSyncEngine } from '../../src/sync/create-sync-engine.js';
import {
  createTenantGate,
  type GateAdmission,
  type TenantGate,
} from '../../src/sync/tenant-gate.js';
import {
  countByMethod,
  type Harness,
  sampleCustomers,
  startHarness,
} from './support/engine-harness.js';

const T = '1000001';

const item = (tenantId: string, sourceId: string): WorkItem => ({ tenantId, sourceId });

function gate(cap: number, slots = 1_000) {
  const woken: WorkItem[] = [];
  let clock = 1_000_000;
  const tenantGate = createTenantGate({
    cap,
    slots,
    now: () => clock,
    wake: async (work) => {
      woken.push(work);
    },
  });
  return {
    gate: tenantGate,
    woken,
    tick: (ms: number) => {
      clock += ms;
    },
    now: () => clock,
  };
}

type Answer = GateAdmission | WorkDeferral;

/** Longer than any deferral's own time (the gate caps it at 300 s). */
const MAX_WAIT_MS = 301_000;

/** Lets settled promises' callbacks run. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Enters and expects to be let in at once. */
const enter = async (g: TenantGate, work: WorkItem): Promise<() => void> => {
  const entered = await g.enter(work);
  if ('deferUntil' in entered) throw new Error(`${work.sourceId} was deferred`);
  return entered.release;
};

/** Enters and expects a deferral; answers how long after now. */
const deferral = async (g: TenantGate, work: WorkItem, now: number): Promise<number> => {
  const answer = await g.enter(work);
  if (!('deferUntil' in answer)) throw new Error(`${work.sourceId} was let in`);
  return answer.deferUntil - now;
};

/** Enters and expects the item to park: its answer, recorded when it comes. */
function park(g: TenantGate, work: WorkItem) {
  const before = g.parked();
  const answers: Answer[] = [];
  void g.enter(work).then((answer) => answers.push(answer));
  expect(g.parked()).toBe(before + 1);
  return {
    answers,
    /** The admission it was given (fails when it has none yet, or was deferred). */
    admitted: async (): Promise<() => void> => {
      await flush();
      const [answer] = answers;
      if (answer === undefined || 'deferUntil' in answer) {
        throw new Error(`${work.sourceId}: ${JSON.stringify(answer)}`);
      }
      return answer.release;
    },
  };
}

describe('the per-tenant cap', () => {
  it('lets in up to the cap per tenant, and other tenants besides', async () => {
    const { gate: g } = gate(2);
    await enter(g, item('a', '1'));
    await enter(g, item('a', '2'));
    park(g, item('a', '3'));
    await enter(g, item('b', '1'));
    await enter(g, item('b', '2'));
    expect(g.inFlight('a')).toBe(2);
    expect(g.inFlight('b')).toBe(2);
    expect(g.parked()).toBe(1);
  });

  it('an item over the cap waits parked, and a release passes the slot to the first parked, wakes nobody', async () => {
    const { gate: g, woken } = gate(1);
    const release = await enter(g, item('a', '1'));
    const second = park(g, item('a', '2'));
    const third = park(g, item('a', '3'));
    release();
    release(); // a second call frees nothing more
    const releaseSecond = await second.admitted();
    expect(third.answers).toEqual([]);
    expect(g.inFlight('a')).toBe(1);
    expect(g.parked()).toBe(1);
    releaseSecond();
    const releaseThird = await third.admitted();
    releaseThird();
    expect(g.inFlight('a')).toBe(0);
    expect(g.parked()).toBe(0);
    expect(woken).toEqual([]);
  });

  it('never parks in the last free slot: an item that cannot park is deferred', async () => {
    const { gate: g, now } = gate(2, 4);
    await enter(g, item('a', '1'));
    await enter(g, item('a', '2'));
    park(g, item('a', '3'));
    expect(await deferral(g, item('a', '4'), now())).toBeGreaterThan(0);
    // Another tenant's item still finds the free slot.
    await enter(g, item('b', '1'));
  });

  it('an item that can run and takes the last free slot makes the newest parked one give its slot back', async () => {
    const { gate: g, now } = gate(1, 5);
    await enter(g, item('a', '1'));
    const older = park(g, item('a', '2'));
    await enter(g, item('b', '1'));
    const newer = park(g, item('b', '2'));
    expect(g.parked()).toBe(2);
    // In use: 2 running, 2 parked; c1 takes the fifth slot, so b2 (the newest) is deferred.
    await enter(g, item('c', '1'));
    await flush();
    expect(newer.answers).toEqual([{ deferUntil: expect.any(Number) }]);
    expect(older.answers).toEqual([]);
    expect(g.parked()).toBe(1);
    expect((newer.answers[0] as WorkDeferral).deferUntil).toBeGreaterThan(now());
  });

  it('a release with nobody parked wakes the first deferred item of its tenant', async () => {
    const { gate: g, woken, now } = gate(1, 3);
    const release = await enter(g, item('a', '1'));
    g.close(); // parks nothing: a2 and a3 are deferred
    await deferral(g, item('a', '2'), now());
    await deferral(g, item('a', '3'), now());
    g.open();
    release();
    expect(woken).toEqual([item('a', '2')]);
    // A fresh item of the tenant got there first: the woken one still parks, in the slot kept for it.
    const fresh = await enter(g, item('a', '4'));
    const second = park(g, item('a', '2'));
    fresh();
    (await second.admitted())();
    expect(woken).toEqual([item('a', '2'), item('a', '3')]);
  });

  it('a woken item has its slot kept: it parks on arrival even when others filled the room', async () => {
    const { gate: g, woken, now } = gate(1, 4);
    const first = await enter(g, item('a', '1'));
    const second = park(g, item('a', '2'));
    park(g, item('a', '3'));
    await deferral(g, item('a', '4'), now());
    first(); // a2 runs; a3 still parked, one slot free: room to park one more, so a4 is woken
    const releaseSecond = await second.admitted();
    expect(woken).toEqual([item('a', '4')]);
    // b1 arrives first and runs: 4 in use counting a4's kept slot, so a3 (the newest parked) gives its slot back.
    await enter(g, item('b', '1'));
    expect(g.parked()).toBe(0);
    // a4 arrives and parks in its kept slot although no slot is free for anyone else.
    park(g, item('a', '4'));
    expect(await deferral(g, item('a', '5'), now())).toBeGreaterThan(0);
    releaseSecond();
    expect(g.parked()).toBe(0);
    expect(g.inFlight('a')).toBe(1);
  });

  it('a woken item that never arrives gives its kept slot back after a few seconds', async () => {
    const { gate: g, woken, now, tick } = gate(1, 3);
    const release = await enter(g, item('a', '1'));
    g.close(); // parks nothing: a2 is deferred
    await deferral(g, item('a', '2'), now());
    g.open();
    release();
    expect(woken).toEqual([item('a', '2')]);
    // Its slot is kept: with b1 running, nothing else may park.
    await enter(g, item('b', '1'));
    await deferral(g, item('b', '2'), now());
    tick(5_000);
    park(g, item('b', '3'));
  });

  it('work that can run and takes the last free slot gives up the slot kept for a woken item', async () => {
    const { gate: g, woken, now } = gate(1, 3);
    const first = await enter(g, item('a', '1'));
    await enter(g, item('b', '1'));
    g.close(); // parks nothing: a2 is deferred
    await deferral(g, item('a', '2'), now());
    g.open();
    first(); // nobody parked: a2 is woken, a slot kept for it
    expect(woken).toEqual([item('a', '2')]);
    // a3 comes first and runs in the last free slot (b1, a3, and the kept one): the kept one goes.
    await enter(g, item('a', '3'));
    // a2 arrives, over the cap, and would take the last slot: it is deferred, not parked.
    expect(await deferral(g, item('a', '2'), now())).toBeGreaterThan(0);
    expect(g.parked()).toBe(0);
  });

  it('a deferred item whose time has passed came back by itself: it is not woken', async () => {
    const { gate: g, woken, now, tick } = gate(1, 2);
    const release = await enter(g, item('a', '1'));
    const wait = await deferral(g, item('a', '2'), now());
    // It came back in another process meanwhile (it never entered here again).
    tick(wait);
    release();
    expect(woken).toEqual([]);
  });

  it('forgets tenants whose deferred items all ran elsewhere (swept every 1 024 deferrals)', async () => {
    const { gate: g, now, tick } = gate(1, 2);
    // 300 tenants: each has an item here and two deferred, which then run in another process.
    for (let index = 0; index < 300; index++) {
      const release = await enter(g, item(`t${index}`, 'here'));
      await deferral(g, item(`t${index}`, 'e1'), now());
      await deferral(g, item(`t${index}`, 'e2'), now());
      tick(1);
      release(); // e1 is woken (and runs elsewhere); e2 stays in the line, and so does the pace
    }
    expect(g.tenantsKept()).toBe(300);
    // Their deferrals' times pass; nothing of theirs comes here again.
    tick(MAX_WAIT_MS);
    const other = await enter(g, item('busy', 'x'));
    for (let index = 0; index < 1_024; index++) await deferral(g, item('busy', `d${index}`), now());
    other();
    expect(g.tenantsKept()).toBeLessThanOrEqual(1);
  });

  it('an item that gets in leaves the line of deferred items', async () => {
    const { gate: g, woken, now } = gate(1, 2);
    const release = await enter(g, item('a', '1'));
    await deferral(g, item('a', '2'), now());
    release();
    expect(woken).toEqual([item('a', '2')]);
    // '3' was never deferred; '2' runs by its wake-up and is not woken again by '3' finishing.
    const third = await enter(g, item('a', '3'));
    third();
    expect(woken).toEqual([item('a', '2')]);
  });

  it('a deferred item comes back by itself after twice its turn: a second a turn of the cap until its pace is known', async () => {
    const { gate: g, now } = gate(2, 3);
    await enter(g, item('a', 'x'));
    await enter(g, item('a', 'y'));
    // One slot free: nothing parks. Twice (ahead + 1) × 500 ms per item (a second for 2), at least a second.
    const waits = [];
    for (let index = 0; index < 4; index++)
      waits.push(await deferral(g, item('a', `d${index}`), now()));
    expect(waits).toEqual([1_000, 2_000, 3_000, 4_000]);
    // Deferred again, an item keeps one place in the line (not two).
    expect(await deferral(g, item('a', 'd0'), now())).toBe(4_000);
  });

  it('the pace is what the tenant’s items take while others wait', async () => {
    const { gate: g, woken, now, tick } = gate(1, 2);
    const x = await enter(g, item('a', 'x'));
    for (const id of ['d0', 'd1', 'd2']) await deferral(g, item('a', id), now());
    tick(300);
    x(); // the first finish while others wait: the clock starts
    const d0 = await enter(g, item('a', 'd0'));
    tick(300);
    d0(); // 300 ms a item
    const d1 = await enter(g, item('a', 'd1'));
    expect(woken).toEqual([item('a', 'd0'), item('a', 'd1')]);
    // One deferred ahead (d2): twice 2 × 300 ms.
    expect(await deferral(g, item('a', 'd3'), now())).toBe(1_200);
    tick(500);
    d1(); // 0.8 × 300 + 0.2 × 500 = 340 ms
    await enter(g, item('a', 'd2'));
    expect(await deferral(g, item('a', 'd4'), now())).toBe(2 * 2 * 340);
  });

  it('close hands every parked item back, due now, and parks none until open', async () => {
    const { gate: g, now } = gate(1);
    await enter(g, item('a', '1'));
    const parked = [park(g, item('a', '2')), park(g, item('a', '3'))];
    g.close();
    await flush();
    for (const p of parked) expect(p.answers).toEqual([{ deferUntil: now() }]);
    expect(g.parked()).toBe(0);
    expect(await deferral(g, item('a', '4'), now())).toBeGreaterThan(0);
    g.open();
    park(g, item('a', '5'));
  });

  it('tenantConcurrency must be a positive integer', () => {
    const base = { storage: createMemoryStorage(), clients: () => ({}) as never, autoStart: false };
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createSyncEngine({ ...base, tenantConcurrency: bad })).toThrow(
        /tenantConcurrency must be a positive integer/,
      );
    }
    expect(() => createSyncEngine({ ...base, tenantConcurrency: 3 })).not.toThrow();
  });
});

describe('a tenant’s backlog in the engine', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** The memory storage with every answer of the engine's work handler recorded. */
  function recorded() {
    const inner = createMemoryStorage();
    const answers: unknown[] = [];
    const storage: SyncStorage = {
      ...inner,
      queue: {
        schedule: (work, runAt) => inner.queue.schedule(work, runAt),
        start: (handler, options) =>
          inner.queue.start(async (work) => {
            const answer = await handler(work);
            answers.push(answer);
            return answer;
          }, options),
      },
      close: () => inner.close(),
    };
    return { storage, answers };
  }

  const saveAll = async (engine: Harness['engine'], customers: readonly SourceCustomer[]) => {
    const outcomes = await Promise.all(
      customers.map(async (customer) => (await engine.customerSaved(T, customer))._unsafeUnwrap()),
    );
    return outcomes.map((outcome) => outcome.status);
  };

  /** Saves 12 customers of one tenant at once; their outcomes, the handler's answers and the POSTs. */
  async function backlog(engine: { concurrency: number; tenantConcurrency: number }, seed: number) {
    const { storage, answers } = recorded();
    h = await startHarness({
      tenants: [T],
      storage,
      engine: { ...engine, saveTimeoutMs: 30_000 },
    });
    const customers = sampleCustomers(12, seed);
    const statuses = await saveAll(h.engine, customers);
    return {
      statuses,
      synced: customers.map(() => 'synced'),
      answers,
      posts: countByMethod(h.requests(T)).POST,
    };
  }

  it('waits parked with slots to spare: every item runs once, none is deferred', async () => {
    const run = await backlog({ concurrency: 32, tenantConcurrency: 2 }, 21);
    expect(run.statuses).toEqual(run.synced);
    expect(run.answers).toHaveLength(12);
    expect(run.answers.filter((answer) => answer !== undefined)).toEqual([]);
    expect(run.posts).toBe(12);
  });

  it('defers what cannot park, and still delivers each customer exactly once', async () => {
    const run = await backlog({ concurrency: 3, tenantConcurrency: 1 }, 22);
    expect(run.statuses).toEqual(run.synced);
    expect(run.answers.filter((answer) => answer !== undefined).length).toBeGreaterThan(0);
    expect(run.posts).toBe(12);
  });
});
