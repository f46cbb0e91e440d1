/**
 * What `onProgress` hears from the initial sync: every inventory page in order with the right total
 * (a register of more than two pages), and nothing at all once the call has answered (an abort
 * leaves queued creates settling in the background: they are not reported).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { planInitialSync, runInitialSync } from '../../src/sync/initial-sync.js';
import { isSyncEngineError } from '../../src/sync/sync-engine-error.js';
import type { InitialSyncProgress, SyncEvent } from '../../src/sync/sync-engine-types.js';
import { type Harness, startHarness, TENANT } from './support/initial-sync-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const inventoryOf = (progress: readonly InitialSyncProgress[]) =>
  progress.flatMap((p) =>
    p.phase === 'inventory' ? [{ pagesRead: p.pagesRead, totalPages: p.totalPages }] : [],
  );

/** A register of 3 active and 2 inactive pages (1 020 + 510 customers besides the sample's). */
async function bigRegister() {
  const h = await startHarness({ sourceCustomers: 30, fortnoxCustomers: 20, seed: 31 });
  const tenant = h.emulator.tenant(TENANT);
  tenant.seedCustomers(1_020, { seed: 32, inactiveShare: 0 });
  tenant.seedCustomers(510, { seed: 33, inactiveShare: 1 });
  const customers = tenant.customers();
  const active = customers.filter((c) => c.Active !== false).length;
  const pages = Math.ceil(active / 500) + Math.ceil((customers.length - active) / 500);
  return { h, pages };
}

describe('inventory progress', () => {
  it('plan and run report every inventory page in order, with the total of both filters from the first page on', async () => {
    const { h, pages } = await bigRegister();
    harness = h;
    expect(pages).toBe(5);
    const expected = [
      { pagesRead: 0, totalPages: 0 },
      ...Array.from({ length: pages }, (_, i) => ({ pagesRead: i + 1, totalPages: pages })),
    ];
    const engine = h.startEngine();

    const planned: InitialSyncProgress[] = [];
    let mark = h.mark();
    const plan = await planInitialSync(engine.ctx, TENANT, { onProgress: (p) => planned.push(p) });
    expect(h.requestsSince(mark).GET).toBe(pages);
    expect(plan.requestsUsed).toBe(pages);
    expect(planned.every((p) => p.phase === 'inventory' && p.tenantId === TENANT)).toBe(true);
    expect(inventoryOf(planned)).toEqual(expected);
    // A dry run sends no events.
    expect(engine.events.filter((event) => event.type === 'progress')).toEqual([]);

    const ran: InitialSyncProgress[] = [];
    mark = h.mark();
    const report = await runInitialSync(engine.ctx, TENANT, { onProgress: (p) => ran.push(p) });
    expect(report.phase).toBe('done');
    expect(inventoryOf(ran)).toEqual(expected);
    // The inventory comes first, then the customers; the events carry the same progress.
    const firstOther = ran.findIndex((p) => p.phase !== 'inventory');
    expect(firstOther).toBe(expected.length);
    expect(ran[firstOther]).toMatchObject({ phase: 'planning', done: 0, total: 30 });
    expect(ran.at(-1)).toMatchObject({ phase: 'done', done: 30, total: 30 });
    const events = engine.events.flatMap((event: SyncEvent) =>
      event.type === 'progress' ? [event.progress] : [],
    );
    expect(events).toEqual(ran);
    expect(h.requestsSince(mark).GET).toBeGreaterThanOrEqual(pages);
  });

  it('a throwing callback neither breaks the plan nor the inventory', async () => {
    harness = await startHarness({ sourceCustomers: 20, fortnoxCustomers: 20, seed: 2 });
    const engine = harness.startEngine();
    let calls = 0;
    const plan = await planInitialSync(engine.ctx, TENANT, {
      onProgress: () => {
        calls += 1;
        throw new Error('a broken progress bar');
      },
    });
    expect(plan.sourceCustomers).toBe(20);
    // Before the first page, then one call per page (active and inactive).
    expect(calls).toBe(3);
  });
});

describe('no progress after the answer', () => {
  it('an abort mid-run answers `aborted`; creates still settling afterwards are never reported', async () => {
    harness = await startHarness({ sourceCustomers: 160, fortnoxCustomers: 130, seed: 21 });
    const h = harness;
    const { create } = h.sample.expectedCounts;
    expect(create).toBeGreaterThan(20);
    const controller = new AbortController();
    const engine = h.startEngine({
      afterPost: (count) => count === Math.floor(create / 3) && controller.abort(),
    });
    let settled = false;
    const late: InitialSyncProgress[] = [];
    const heard: InitialSyncProgress[] = [];
    const result = await runInitialSync(engine.ctx, TENANT, {
      signal: controller.signal,
      onProgress: (p) => (settled ? late : heard).push(p),
    }).then(
      () => 'finished',
      (error: unknown) => error,
    );
    settled = true;
    const eventsAtAnswer = engine.events.length;
    expect(isSyncEngineError(result) && result.kind).toBe('aborted');
    expect(heard.some((p) => p.phase === 'executing')).toBe(true);

    // The engine goes on delivering what was queued before the abort: wait until it has.
    const posts = () => h.emulator.requests().filter((entry) => entry.method === 'POST').length;
    for (let i = 0; i < 100 && (await h.storage.outbox.countByState(TENANT)).pending > 0; i += 1) {
      await sleep(50);
    }
    expect((await h.storage.outbox.countByState(TENANT)).pending).toBe(0);
    // Queued creates did settle after the answer (what an unguarded run would have reported).
    expect(posts()).toBeGreaterThan(Math.floor(create / 3));
    await sleep(100);
    expect(late).toEqual([]);
    const lateEvents = engine.events.slice(eventsAtAnswer).filter((e) => e.type === 'progress');
    expect(lateEvents).toEqual([]);
  });
});
