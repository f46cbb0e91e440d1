import { afterEach, describe, expect, it } from 'vitest';
import { INITIAL_SYNC_CHECKPOINT, runInitialSync } from '../../src/sync/initial-sync.js';
import { isSyncEngineError } from '../../src/sync/sync-engine-error.js';
import {
  customersByReference,
  type Harness,
  startHarness,
  TENANT,
} from './support/initial-sync-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Nothing doubled: one Fortnox customer per source id, every create linked once, nothing else. */
async function expectNothingDoubled(h: Harness, initialCustomers: number) {
  const { sample, storage, emulator } = h;
  const references = customersByReference(emulator);
  const doubled = [...references].filter(([, numbers]) => numbers.length > 1);
  expect(doubled).toEqual([]);
  const { create, link, update } = sample.expectedCounts;
  expect(emulator.tenant(TENANT).customers()).toHaveLength(initialCustomers + create);
  const links = await storage.links.list(TENANT);
  expect(links).toHaveLength(create + link + update);
  expect(new Set(links.map((l) => l.customerNumber)).size).toBe(links.length);
  for (const [sourceId, truth] of sample.truth) {
    const linked = links.find((l) => l.sourceId === sourceId)?.customerNumber;
    if (truth.action === 'create') expect(linked).toBe(references.get(sourceId)?.[0]);
    else if (truth.action === 'link' || truth.action === 'update')
      expect(linked).toBe(truth.customerNumber);
    else expect(linked).toBeUndefined();
  }
  expect(await storage.outbox.countByState(TENANT)).toEqual({
    pending: 0,
    failed: sample.expectedCounts.failed,
    'needs-decision': sample.expectedCounts.ask,
  });
}

describe('runInitialSync after a crash or an abort', () => {
  it('a kill mid-run (a POST answered but never seen), then a new engine on the same storage resumes: nothing doubled', async () => {
    harness = await startHarness({ sourceCustomers: 200, fortnoxCustomers: 160, seed: 8 });
    const h = harness;
    const { create } = h.sample.expectedCounts;
    const killAt = Math.floor(create / 3);
    expect(killAt).toBeGreaterThan(5);
    const mark = h.mark();
    const first = h.startEngine({
      // The POST reached Fortnox; the process dies before it reads the answer.
      afterPost: (count, engine) => count === killAt && engine.kill(),
    });
    const crashed = await runInitialSync(first.ctx, TENANT).then(
      () => 'finished',
      (error: unknown) => error,
    );
    expect(crashed).not.toBe('finished');
    expect(await h.storage.checkpoints.get(TENANT, INITIAL_SYNC_CHECKPOINT)).toMatchObject({
      phase: 'executing',
    });
    // POSTs already on the wire when it died (up to the queue's concurrency of 16) reached Fortnox too.
    const sentBeforeKill = h.requestsSince(mark).POST;
    expect(sentBeforeKill).toBeGreaterThanOrEqual(killAt);
    expect(sentBeforeKill).toBeLessThan(killAt + 16);

    const second = h.startEngine();
    const report = await runInitialSync(second.ctx, TENANT);

    expect(report.resumed).toBe(true);
    expect(report.phase).toBe('done');
    // Exactly one POST per create over both runs: those in flight at the kill were reconciled.
    expect(h.requestsSince(mark)).toMatchObject({ POST: create, DELETE: 0, 429: 0 });
    await expectNothingDoubled(h, 160);
  });

  it('an abort via signal stops enqueuing and answers `aborted`; the next run resumes with nothing doubled', async () => {
    harness = await startHarness({ sourceCustomers: 160, fortnoxCustomers: 130, seed: 21 });
    const h = harness;
    const { create } = h.sample.expectedCounts;
    const controller = new AbortController();
    const engine = h.startEngine({
      afterPost: (count) => count === Math.floor(create / 2) && controller.abort(),
    });
    const mark = h.mark();

    const aborted = await runInitialSync(engine.ctx, TENANT, { signal: controller.signal }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isSyncEngineError(aborted) && aborted.kind).toBe('aborted');
    expect(isSyncEngineError(aborted) && aborted.userMessage.sv).toMatch(/avbröts/);
    const stopped = await h.storage.checkpoints.get(TENANT, INITIAL_SYNC_CHECKPOINT);
    expect(stopped).toMatchObject({ phase: 'executing' });
    expect((stopped as { done: number }).done).toBeLessThan(160);

    const report = await runInitialSync(engine.ctx, TENANT);
    expect(report).toMatchObject({ resumed: true, phase: 'done', total: 160 });
    expect(h.requestsSince(mark)).toMatchObject({ POST: create, DELETE: 0, 429: 0 });
    await expectNothingDoubled(h, 130);
  });

  it('an already aborted signal does nothing at all', async () => {
    harness = await startHarness({ sourceCustomers: 20, fortnoxCustomers: 20, seed: 1 });
    const controller = new AbortController();
    controller.abort();
    const mark = harness.mark();
    const result = await runInitialSync(harness.startEngine().ctx, TENANT, {
      signal: controller.signal,
    }).catch((error: unknown) => error);
    expect(isSyncEngineError(result) && result.kind).toBe('aborted');
    expect(harness.mark()).toBe(mark);
    expect(await harness.storage.checkpoints.get(TENANT, INITIAL_SYNC_CHECKPOINT)).toBeUndefined();
  });

  it('refuses to run for a tenant that is not connected, sending nothing', async () => {
    harness = await startHarness({ sourceCustomers: 20, fortnoxCustomers: 20, seed: 1 });
    await harness.storage.tenants.put({
      tenantId: TENANT,
      connection: 'disconnected',
      reason: null,
      updatedAt: Date.now(),
    });
    const mark = harness.mark();
    const result = await runInitialSync(harness.startEngine().ctx, TENANT).catch(
      (error: unknown) => error,
    );
    expect(isSyncEngineError(result) && result.kind).toBe('fortnox');
    expect(harness.mark()).toBe(mark);
  });

  it('a licence error pauses the tenant mid-run: the run answers `fortnox`; after connect the next run finishes the queued work', async () => {
    harness = await startHarness({ sourceCustomers: 100, fortnoxCustomers: 80, seed: 6 });
    const h = harness;
    const { update, create } = h.sample.expectedCounts;
    expect(update).toBeGreaterThan(0);
    const removeFault = h.emulator.faults.inject({ kind: 'licence-error', methods: ['PUT'] });
    const engine = h.startEngine();

    const paused = await runInitialSync(engine.ctx, TENANT).catch((error: unknown) => error);
    expect(isSyncEngineError(paused) && paused.kind).toBe('fortnox');
    expect((await h.storage.tenants.get(TENANT))?.connection).toBe('needs-reconnect');

    removeFault();
    // Connected by another process: nothing here rescheduled the queued work; the run must.
    await h.storage.tenants.put({
      tenantId: TENANT,
      connection: 'connected',
      reason: null,
      updatedAt: Date.now(),
    });
    const report = await runInitialSync(engine.ctx, TENANT);

    expect(report.resumed).toBe(true);
    // The updates that met the licence error were linked and queued: this run waited for them.
    expect(report.counts.update).toBe(update);
    expect(report.counts.create + report.counts['already-linked']).toBe(
      create + h.sample.expectedCounts.link,
    );
    for (const [sourceId, truth] of h.sample.truth) {
      if (truth.action !== 'update' || !truth.fields.includes('Email')) continue;
      const record = h.emulator.tenant(TENANT).customer(truth.customerNumber);
      expect(record?.Email).toBe(h.host.customers.get(sourceId)?.email);
    }
    await expectNothingDoubled(h, 80);
  });
});
