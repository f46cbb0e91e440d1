import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createFortnoxClient } from '../../src/client/index.js';
import { auditDuplicates } from '../../src/sync/audit-duplicates.js';
import { checkDrift, DRIFT_CURSOR_CHECKPOINT } from '../../src/sync/drift.js';
import { runInitialSync } from '../../src/sync/initial-sync.js';
import { isSyncEngineError } from '../../src/sync/sync-engine-error.js';
import { type Harness, RATE, startHarness, TENANT, TOKEN } from './support/initial-sync-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** `lastmodified` has whole seconds: wait into the next one so "since" separates before and after. */
const nextSecond = () => sleep(1_100);

describe('checkDrift', () => {
  it('reports the owned fields a bookkeeper changed in Fortnox, by name, and nothing else', async () => {
    harness = await startHarness({ sourceCustomers: 80, fortnoxCustomers: 70, seed: 3 });
    const h = harness;
    const engine = h.startEngine();
    await nextSecond();
    await runInitialSync(engine.ctx, TENANT);
    await nextSecond();
    // The first check starts from the oldest link: only the sync changed anything, and that is no drift.
    expect(await checkDrift(engine.ctx, TENANT)).toEqual([]);
    expect(await h.storage.checkpoints.get(TENANT, DRIFT_CURSOR_CHECKPOINT)).toEqual({
      since: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    await nextSecond();

    const [linkedId, linked] = [...h.sample.truth].find(([, t]) => t.case === 'company-same')!;
    const [createdId] = [...h.sample.truth].find(([, t]) => t.action === 'create')!;
    const created = await h.storage.links.get(TENANT, createdId);
    const bookkeeper = createFortnoxClient({
      auth: { type: 'access-token', accessToken: TOKEN, tenantId: TENANT },
      apiBaseUrl: h.server.url,
      rateLimit: { ...RATE },
    });
    const number = linked.action === 'link' ? linked.customerNumber : '';
    expect(
      (
        await bookkeeper.customers.update(number, { Phone1: '08-765 432 10', Active: false })
      ).isOk(),
    ).toBe(true);
    // Not an owned field: the bookkeeper's own business.
    expect(
      (
        await bookkeeper.customers.update(created!.customerNumber, {
          Comments: 'Ring före leverans',
        })
      ).isOk(),
    ).toBe(true);

    const mark = h.mark();
    const drift = await checkDrift(engine.ctx, TENANT);
    expect(drift).toEqual([
      { sourceId: linkedId, customerNumber: number, fields: ['Phone1', 'Active'] },
    ]);
    // One page of modified customers, one GET per modified linked customer.
    expect(h.requestsSince(mark)).toEqual({ GET: 3, POST: 0, PUT: 0, DELETE: 0, 429: 0 });
    expect(JSON.stringify(drift)).not.toContain('08-765');
  });

  it('needs a source that can get a customer', async () => {
    harness = await startHarness({ sourceCustomers: 10, fortnoxCustomers: 10, seed: 1 });
    const engine = harness.startEngine();
    const noGet = { ...engine.ctx, source: { list: () => [] } };
    const result = await checkDrift(noGet, TENANT).catch((error: unknown) => error);
    expect(isSyncEngineError(result) && result.kind).toBe('no-source');
  });
});

describe('auditDuplicates', () => {
  it('lists the duplicate groups inside Fortnox and keeps the member linked to the source', async () => {
    harness = await startHarness({ sourceCustomers: 120, fortnoxCustomers: 110, seed: 4 });
    const h = harness;
    const engine = h.startEngine();
    await runInitialSync(engine.ctx, TENANT);
    const mark = h.mark();

    const groups = await auditDuplicates(engine.ctx, TENANT);

    expect(h.requestsSince(mark)).toEqual({ GET: 1, POST: 0, PUT: 0, DELETE: 0, 429: 0 });
    const sorted = (numbers: readonly string[]) => [...numbers].sort().join();
    expect(groups.map((g) => sorted(g.customerNumbers)).sort()).toEqual(
      h.sample.fortnoxDuplicateGroups.map(sorted).sort(),
    );
    const fromSource = [...h.sample.truth].filter(([, t]) => t.case === 'fortnox-duplicates');
    expect(fromSource.length).toBeGreaterThan(0);
    for (const [sourceId, truth] of fromSource) {
      const number = truth.action === 'link' ? truth.customerNumber : '';
      const group = groups.find((g) => g.customerNumbers.includes(number));
      expect(group).toMatchObject({ keep: number, linkedSourceIds: { [number]: sourceId } });
    }
    const unlinked = groups.filter((g) => g.keep === null);
    expect(unlinked).toHaveLength(h.sample.fortnoxDuplicateGroups.length - fromSource.length);
    for (const group of unlinked) expect(group.linkedSourceIds).toEqual({});
  });
});
