import { afterEach, describe, expect, it } from 'vitest';
import {
  INITIAL_SYNC_CHECKPOINT,
  planInitialSync,
  runInitialSync,
} from '../../src/sync/initial-sync.js';
import type {
  InitialSyncPlan,
  InitialSyncProgress,
  PlanAction,
} from '../../src/sync/sync-engine-types.js';
import type { SampleSource } from '../../src/testing/index.js';
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

/** The plan's action per source id in the sample truth's terms. */
function expectPlanMatchesTruth(plan: InitialSyncPlan, sample: SampleSource) {
  const wrong = plan.actions.flatMap((action: PlanAction) => {
    const truth = sample.truth.get(action.sourceId);
    const got =
      action.action === 'link'
        ? { action: 'link', customerNumber: action.customerNumber }
        : action.action === 'update'
          ? { action: 'update', customerNumber: action.customerNumber, fields: action.fields }
          : action.action === 'ask'
            ? { action: 'ask', customerNumber: action.candidates[0]?.customerNumber }
            : action.action === 'failed'
              ? { action: 'failed', field: action.error.field }
              : { action: action.action };
    const { case: _case, ...expected } = truth ?? { case: 'missing' };
    return JSON.stringify(got) === JSON.stringify(expected) ? [] : [{ expected: truth, got }];
  });
  expect(wrong).toEqual([]);
}

describe('planInitialSync: a dry run', () => {
  it('reads ⌈A/500⌉ + ⌈I/500⌉ pages and nothing else, writes nothing, and plans the known truth', async () => {
    harness = await startHarness({ sourceCustomers: 300, fortnoxCustomers: 700, seed: 11 });
    const { emulator, storage, host, sample } = harness;
    const engine = harness.startEngine();
    const before = JSON.stringify(emulator.tenant(TENANT).customers());
    const mark = harness.mark();

    const plan = await planInitialSync(engine.ctx, TENANT);

    const inactive = sample.fortnoxCustomers.filter((c) => !c.Active).length;
    const pages =
      Math.max(1, Math.ceil((700 - inactive) / 500)) + Math.max(1, Math.ceil(inactive / 500));
    expect(pages).toBe(3);
    expect(harness.requestsSince(mark)).toEqual({ GET: pages, POST: 0, PUT: 0, DELETE: 0, 429: 0 });
    expect(plan.requestsUsed).toBe(pages);
    expect(JSON.stringify(emulator.tenant(TENANT).customers())).toBe(before);
    expect(await storage.links.count(TENANT)).toBe(0);
    expect(await storage.outbox.list(TENANT)).toEqual([]);
    expect(await storage.decisions.list(TENANT)).toEqual([]);
    expect(await storage.checkpoints.get(TENANT, INITIAL_SYNC_CHECKPOINT)).toBeUndefined();
    expect(host.linkedCalls).toEqual([]);
    expect(host.updates).toEqual([]);

    expect(plan.fortnoxCustomers).toBe(700);
    expect(plan.sourceCustomers).toBe(300);
    expect(plan.counts).toEqual({ ...sample.expectedCounts, 'already-linked': 0 });
    expectPlanMatchesTruth(plan, sample);
  });

  it('asks instead of updating a company match when companyMatch is ask', async () => {
    harness = await startHarness({ sourceCustomers: 100, fortnoxCustomers: 80, seed: 2 });
    const plan = await planInitialSync(harness.startEngine({ companyMatch: 'ask' }).ctx, TENANT);
    const companyUpdates = [...harness.sample.truth].filter(
      ([, truth]) => truth.case === 'company-fill' || truth.case === 'company-inactive',
    );
    expect(companyUpdates.length).toBeGreaterThan(0);
    for (const [sourceId, truth] of companyUpdates) {
      const action = plan.actions.find((entry) => entry.sourceId === sourceId);
      expect(action?.action).toBe('ask');
      expect(action?.action === 'ask' && action.candidates.map((c) => c.customerNumber)).toEqual([
        truth.action === 'update' ? truth.customerNumber : '',
      ]);
    }
  });
  it('never links two source customers to one Fortnox customer: a duplicate in the source, or a customer already linked, is asked', async () => {
    harness = await startHarness({ sourceCustomers: 60, fortnoxCustomers: 50, seed: 12 });
    const { host, storage, sample } = harness;
    const [companyId, company] = [...sample.truth].find(([, t]) => t.case === 'company-same')!;
    const [personId, person] = [...sample.truth].find(([, t]) => t.case === 'person-same')!;
    const duplicate = { ...host.customers.get(companyId)!, id: 'kund-dubblett' };
    host.customers.set(duplicate.id, duplicate);
    const personNumber = person.action === 'link' ? person.customerNumber : '';
    await storage.links.put({
      tenantId: TENANT,
      sourceId: 'kund-borttagen',
      customerNumber: personNumber,
      fingerprint: 'f',
      origin: 'matched',
      syncedAt: 0,
    });

    const plan = await planInitialSync(harness.startEngine().ctx, TENANT);

    const companyNumber = company.action === 'link' ? company.customerNumber : '';
    for (const [sourceId, number] of [
      [companyId, companyNumber],
      [duplicate.id, companyNumber],
      [personId, personNumber],
    ] as const) {
      const action = plan.actions.find((entry) => entry.sourceId === sourceId);
      expect(action?.action).toBe('ask');
      expect(action?.action === 'ask' && action.candidates.map((c) => c.customerNumber)).toEqual([
        number,
      ]);
      expect(action?.action === 'ask' && action.candidates[0]?.evidence).toMatchObject({
        name: expect.any(String),
      });
    }
    expect(plan.counts.ask).toBe(sample.expectedCounts.ask + 3);
  });
});

describe('runInitialSync', () => {
  it('uses exactly pages + one POST per create + one PUT per real update, and ends as the truth says', async () => {
    harness = await startHarness({ sourceCustomers: 120, fortnoxCustomers: 100, seed: 5 });
    const { emulator, storage, host, sample } = harness;
    const engine = harness.startEngine();
    const progress: InitialSyncProgress[] = [];
    const mark = harness.mark();

    const report = await runInitialSync(engine.ctx, TENANT, {
      onProgress: (p) => progress.push(p),
    });

    const { create, update } = sample.expectedCounts;
    expect(harness.requestsSince(mark)).toEqual({
      GET: 2,
      POST: create,
      PUT: update,
      DELETE: 0,
      429: 0,
    });
    expect(report).toMatchObject({
      phase: 'done',
      resumed: false,
      done: 120,
      total: 120,
      requests: 2 + create + update,
      counts: { ...sample.expectedCounts, 'already-linked': 0 },
    });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', done: 120, total: 120 });
    expect(progress.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['inventory', 'planning', 'executing', 'done']),
    );
    expect(engine.events.filter((event) => event.type === 'progress').length).toBe(progress.length);

    const references = customersByReference(emulator);
    for (const [sourceId, truth] of sample.truth) {
      const link = await storage.links.get(TENANT, sourceId);
      const entry = await storage.outbox.get(TENANT, sourceId);
      switch (truth.action) {
        case 'create':
          expect(references.get(sourceId)).toHaveLength(1);
          expect(link?.customerNumber).toBe(references.get(sourceId)?.[0]);
          expect(entry).toBeUndefined();
          break;
        case 'link':
          expect(link?.customerNumber).toBe(truth.customerNumber);
          break;
        case 'update': {
          expect(link?.customerNumber).toBe(truth.customerNumber);
          const record = emulator.tenant(TENANT).customer(truth.customerNumber);
          const source = host.customers.get(sourceId);
          if (truth.fields.includes('Email')) expect(record?.Email).toBe(source?.email);
          if (truth.fields.includes('Active')) expect(record?.Active).toBe(true);
          break;
        }
        case 'ask':
          expect(link).toBeUndefined();
          expect(entry?.state).toBe('needs-decision');
          expect(
            (await storage.decisions.get(TENANT, sourceId))?.candidates[0]?.customerNumber,
          ).toBe(truth.customerNumber);
          break;
        case 'failed':
          expect(link).toBeUndefined();
          expect(entry?.state).toBe('failed');
          expect(entry?.lastError).toMatchObject({ kind: 'mapping', field: truth.field });
          break;
      }
    }
    const linkedNow = create + sample.expectedCounts.link + update;
    expect(await storage.links.count(TENANT)).toBe(linkedNow);
    expect(host.linkedCalls).toHaveLength(linkedNow);
    expect(await storage.checkpoints.get(TENANT, INITIAL_SYNC_CHECKPOINT)).toMatchObject({
      phase: 'done',
      done: 120,
    });

    // A second run finds everything linked, asked or failed: the pages and nothing more.
    const again = harness.mark();
    const second = await runInitialSync(engine.ctx, TENANT);
    expect(harness.requestsSince(again)).toEqual({ GET: 2, POST: 0, PUT: 0, DELETE: 0, 429: 0 });
    expect(second.counts).toEqual({
      create: 0,
      link: 0,
      update: 0,
      ask: sample.expectedCounts.ask,
      failed: sample.expectedCounts.failed,
      'already-linked': linkedNow,
    });
  });
});

describe('runInitialSync: one Fortnox customer is one source customer', () => {
  it('a match linked to another source customer after the plan (a save meanwhile) becomes a decision: no second link, no PUT', async () => {
    harness = await startHarness({ sourceCustomers: 80, fortnoxCustomers: 60, seed: 12 });
    const { storage, sample, host } = harness;
    const engine = harness.startEngine();
    const truths = [...sample.truth];
    const [linkId, linkTruth] = truths.find(([, t]) => t.action === 'link')!;
    const [updateId, updateTruth] = truths.find(([, t]) => t.action === 'update')!;
    const taken = [linkTruth, updateTruth].map((truth) =>
      'customerNumber' in truth ? String(truth.customerNumber) : '',
    );
    // Saves of two other source customers linked these Fortnox customers after the plan read the links.
    const intruders = taken.map((customerNumber, i) => ({
      tenantId: TENANT,
      sourceId: `intruder-${i}`,
      customerNumber,
      fingerprint: 'fp',
      origin: 'matched' as const,
      syncedAt: 1,
    }));
    for (const link of intruders) await storage.links.put(link);
    const hidden = new Set(intruders.map((link) => link.sourceId));
    const planTime = {
      ...engine.ctx,
      storage: {
        ...engine.ctx.storage,
        links: {
          ...engine.ctx.storage.links,
          list: async (tenantId: string) =>
            (await engine.ctx.storage.links.list(tenantId)).filter((l) => !hidden.has(l.sourceId)),
        },
      },
    };
    const mark = harness.mark();

    const report = await runInitialSync(planTime, TENANT);

    expect(report.phase).toBe('done');
    for (const [sourceId, customerNumber] of [
      [linkId, taken[0]!],
      [updateId, taken[1]!],
    ] as const) {
      expect(await storage.links.get(TENANT, sourceId)).toBeUndefined();
      expect((await storage.decisions.get(TENANT, sourceId))?.candidates).toMatchObject([
        { customerNumber },
      ]);
      expect((await storage.outbox.get(TENANT, sourceId))?.state).toBe('needs-decision');
      expect(host.linkedCalls.map((call) => call.sourceId)).not.toContain(sourceId);
      expect((await storage.links.getByCustomerNumber(TENANT, customerNumber))?.sourceId).toMatch(
        /^intruder-/,
      );
    }
    // Every other planned update PUT once; the taken customer got none.
    expect(harness.requestsSince(mark).PUT).toBe(sample.expectedCounts.update - 1);
    expect(report.counts.ask).toBe(sample.expectedCounts.ask + 2);
  });
});

describe('initial sync: the same customer twice in the source, not in Fortnox', () => {
  it('both are created (the source is the master) and the plan warns with their ids; the run sends the warning as an event', async () => {
    harness = await startHarness({ sourceCustomers: 40, fortnoxCustomers: 20, seed: 12 });
    const { host, sample, emulator } = harness;
    const engine = harness.startEngine();
    const [createId] = [...sample.truth].find(([, t]) => t.action === 'create')!;
    const original = host.customers.get(createId)!;
    const twinId = `${createId}-twin`;
    host.customers.set(twinId, { ...original, id: twinId });

    const plan = await planInitialSync(engine.ctx, TENANT);
    const actionOf = (id: string) => plan.actions.find((a) => a.sourceId === id)?.action;
    expect([actionOf(createId), actionOf(twinId)]).toEqual(['create', 'create']);
    const warning = plan.warnings.find((w) => w.sourceIds.includes(twinId));
    expect(warning).toMatchObject({
      code: 'duplicate-in-source',
      message: expect.stringContaining('duplicate-in-source'),
      userMessage: { sv: expect.any(String), en: expect.any(String) },
    });
    expect([...(warning?.sourceIds ?? [])].sort()).toEqual([createId, twinId].sort());
    expect(JSON.stringify(plan.warnings)).not.toContain(original.name);

    await runInitialSync(engine.ctx, TENANT);
    expect(engine.events).toContainEqual({ type: 'plan-warning', tenantId: TENANT, warning });
    const references = emulator
      .tenant(TENANT)
      .customers()
      .map((c) => c.ExternalReference);
    expect(references).toContain(createId);
    expect(references).toContain(twinId);
  });
});
