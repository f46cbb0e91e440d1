/**
 * The engine's per-tenant cap on work in flight (`tenantConcurrency`): which item runs, which is
 * deferred, and which deferred item a freed slot wakes.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/storage/index.js';
import type { WorkItem } from '../../src/storage/sync-storage.js';
import { createSyncEngine } from '../../src/sync/create-sync-engine.js';
import { createTenantGate } from '../../src/sync/tenant-gate.js';

const item = (tenantId: string, sourceId: string): WorkItem => ({ tenantId, sourceId });

function gate(cap: number) {
  const woken: WorkItem[] = [];
  let clock = 1_000_000;
  const tenantGate = createTenantGate({
    cap,
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

const enter = (g: ReturnType<typeof createTenantGate>, work: WorkItem) => {
  const entered = g.enter(work);
  if ('deferUntil' in entered) throw new Error(`${work.sourceId} was deferred`);
  return entered.release;
};

describe('the per-tenant cap', () => {
  it('lets in up to the cap per tenant, and other tenants besides', () => {
    const { gate: g } = gate(2);
    enter(g, item('a', '1'));
    enter(g, item('a', '2'));
    expect(g.enter(item('a', '3'))).toHaveProperty('deferUntil');
    enter(g, item('b', '1'));
    enter(g, item('b', '2'));
    expect(g.inFlight('a')).toBe(2);
    expect(g.inFlight('b')).toBe(2);
  });

  it('a freed slot wakes the first deferred item of its tenant, once per release', async () => {
    const { gate: g, woken } = gate(1);
    const release = enter(g, item('a', '1'));
    expect(g.enter(item('a', '2'))).toHaveProperty('deferUntil');
    expect(g.enter(item('a', '3'))).toHaveProperty('deferUntil');
    expect(g.enter(item('b', '1'))).not.toHaveProperty('deferUntil');
    release();
    release(); // a second call frees nothing more
    expect(woken).toEqual([item('a', '2')]);
    expect(g.inFlight('a')).toBe(0);
    // The woken item comes back and runs; its release wakes the next.
    const next = enter(g, item('a', '2'));
    next();
    expect(woken).toEqual([item('a', '2'), item('a', '3')]);
  });

  it('defers later the more items wait ahead, within bounds', () => {
    const { gate: g, now } = gate(2);
    enter(g, item('a', 'x'));
    enter(g, item('a', 'y'));
    const waits = Array.from({ length: 6 }, (_, index) => {
      const answer = g.enter(item('a', `d${index}`));
      if (!('deferUntil' in answer)) throw new Error('not deferred');
      return answer.deferUntil - now();
    });
    expect(waits).toEqual([1_000, 1_000, 2_000, 2_000, 3_000, 3_000]);
    // Deferred again, an item keeps one place in the line (not two).
    const again = g.enter(item('a', 'd0'));
    expect(again).toEqual({ deferUntil: now() + 3_000 });
  });

  it('an item that gets in leaves the line of deferred items', () => {
    const { gate: g, woken } = gate(1);
    const release = enter(g, item('a', '1'));
    expect(g.enter(item('a', '2'))).toHaveProperty('deferUntil');
    release();
    expect(woken).toEqual([item('a', '2')]);
    // '3' was never deferred; '2' runs by its wake-up and is not woken again by '3' finishing.
    const third = enter(g, item('a', '3'));
    third();
    expect(woken).toEqual([item('a', '2')]);
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
