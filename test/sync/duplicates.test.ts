/**
 * Duplicates and conflicts (issue 9; product spec): the resolver runs before every create; a company
 * with the same organisation number is updated (or asked about); an unclear private person waits for
 * a person while every other customer syncs; a decision is durable and never asked twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/mapping/index.js';
import type { SyncSource } from '../../src/sync/sync-engine-types.js';
import {
  CLERK,
  countByMethod,
  type Harness,
  type HarnessOptions,
  sampleCustomers,
  startHarness,
} from './support/engine-harness.js';

const T = '1000001';
let h: Harness;
afterEach(async () => {
  await h.close();
});

const start = async (options: HarnessOptions = {}) => {
  h = await startHarness({ tenants: [T], ...options });
};

const anna: SourceCustomer = {
  id: 'p-1',
  type: 'private',
  name: 'Anna Svensson',
  email: 'anna.svensson@example.se',
  phone: '070-111 22 33',
  address: { street: 'Storgatan 1', postalCode: '114 35', city: 'Stockholm' },
  active: true,
};

describe('company with the same organisation number', () => {
  it('updates the existing customer (no POST), links it, and flows Fortnox-only data back', async () => {
    const updates: { sourceId: string; patch: Partial<SourceCustomer> }[] = [];
    const source: SyncSource = {
      list: () => [],
      update: (_tenantId, sourceId, patch) => {
        updates.push({ sourceId, patch });
      },
    };
    await start({ engine: { source } });
    const customer = sampleCustomers(1, 5)[0]!;
    const { phone: _phone, ...withoutPhone } = customer;
    const existing = h.emulator.tenant(T).insert({
      Name: 'Gammalt Namn AB',
      OrganisationNumber: customer.organisationNumber,
      Phone1: '08-123 456 78',
    });
    const outcome = (await h.engine.customerSaved(T, withoutPhone))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'synced', customerNumber: String(existing.CustomerNumber) });
    // One exact search by organisation number, one PUT; no POST.
    expect(countByMethod(h.requests())).toEqual({ GET: 1, PUT: 1 });
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(h.emulator.tenant(T).customer(String(existing.CustomerNumber))).toMatchObject({
      Name: customer.name,
      Email: customer.email,
      ExternalReference: customer.id,
      Phone1: '08-123 456 78',
    });
    expect(updates).toEqual([{ sourceId: customer.id, patch: { phone: '08-123 456 78' } }]);
    expect(h.events).toContainEqual({
      type: 'linked',
      tenantId: T,
      sourceId: customer.id,
      customerNumber: String(existing.CustomerNumber),
      origin: 'matched',
    });
  });

  it("asks a person with companyMatch: 'ask'; 'use' links and updates it, and is never asked again", async () => {
    await start({ engine: { companyMatch: 'ask' } });
    const customer = sampleCustomers(1, 6)[0]!;
    const existing = h.emulator.tenant(T).insert({
      Name: 'Annat Namn AB',
      OrganisationNumber: customer.organisationNumber,
    });
    const asked = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    expect(asked.status).toBe('needs-decision');
    if (asked.status !== 'needs-decision') return;
    expect(asked.candidates.map((candidate) => candidate.customerNumber)).toEqual([
      String(existing.CustomerNumber),
    ]);
    expect(asked.candidates[0]?.evidence).toMatchObject({ identity: 'agree' });
    expect(countByMethod(h.requests())).toEqual({ GET: 1 });
    const pending = (await h.engine.decisions(T))._unsafeUnwrap();
    expect(pending.map((status) => status.sourceId)).toEqual([customer.id]);

    h.resetRequests();
    const resolved = (
      await h.engine.resolveDecision(
        T,
        customer.id,
        { use: String(existing.CustomerNumber) },
        CLERK,
      )
    )._unsafeUnwrap();
    expect(resolved).toEqual({ status: 'synced', customerNumber: String(existing.CustomerNumber) });
    // A candidate needs no verifying GET: one PUT.
    expect(countByMethod(h.requests())).toEqual({ PUT: 1 });
    expect(h.emulator.tenant(T).customer(String(existing.CustomerNumber))?.Name).toBe(
      customer.name,
    );
    expect((await h.engine.decisions(T))._unsafeUnwrap()).toEqual([]);

    // Never asked twice: unlinking (deleted link) and saving again uses the settled decision.
    await h.storage.links.delete(T, customer.id);
    h.resetRequests();
    const again = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    expect(again).toEqual({ status: 'synced', customerNumber: String(existing.CustomerNumber) });
    expect(countByMethod(h.requests())).toEqual({ PUT: 1 });
    expect(h.events.filter((event) => event.type === 'decision-needed')).toHaveLength(1);
  });
});

describe('private person', () => {
  it('an unclear match waits as needs-decision while every other customer syncs', async () => {
    await start();
    const unclear = h.emulator.tenant(T).insert({ Name: 'Anna Svensson', City: 'Stockholm' });
    const others = sampleCustomers(12, 7);
    const [annaOutcome, ...rest] = await Promise.all([
      h.engine.customerSaved(T, anna),
      ...others.map((customer) => h.engine.customerSaved(T, customer)),
    ]);
    const outcome = annaOutcome!._unsafeUnwrap();
    expect(outcome.status).toBe('needs-decision');
    if (outcome.status === 'needs-decision') {
      expect(outcome.candidates[0]).toMatchObject({
        customerNumber: String(unclear.CustomerNumber),
      });
      expect(outcome.candidates[0]?.evidence).toMatchObject({ name: 'agree' });
    }
    expect(rest.map((result) => result._unsafeUnwrap().status)).toEqual(others.map(() => 'synced'));
    expect((await h.engine.status(T, anna.id))._unsafeUnwrap()).toMatchObject({
      state: 'needs-decision',
      customerNumber: null,
      candidates: [{ customerNumber: String(unclear.CustomerNumber) }],
    });
    expect((await h.engine.summary(T))._unsafeUnwrap()).toMatchObject({
      linked: others.length,
      needsDecision: 1,
      pending: 0,
    });
  });

  it('createNew creates without asking the resolver again, and a re-save is never asked again', async () => {
    await start();
    h.emulator.tenant(T).insert({ Name: 'Anna Svensson', City: 'Stockholm' });
    expect((await h.engine.customerSaved(T, anna))._unsafeUnwrap().status).toBe('needs-decision');
    h.resetRequests();
    const created = (
      await h.engine.resolveDecision(T, anna.id, { createNew: true }, CLERK)
    )._unsafeUnwrap();
    expect(created.status).toBe('synced');
    expect(countByMethod(h.requests())).toEqual({ POST: 1 });
    expect(h.emulator.tenant(T).customers()).toHaveLength(2);
    await h.storage.links.delete(T, anna.id);
    h.resetRequests();
    expect((await h.engine.customerSaved(T, anna))._unsafeUnwrap().status).toBe('synced');
    expect(countByMethod(h.requests())).toEqual({ POST: 1 });
    expect(h.events.filter((event) => event.type === 'decision-needed')).toHaveLength(1);
  });

  it('a strong match (name + e-mail) links without asking', async () => {
    await start();
    const same = h.emulator.tenant(T).insert({ Name: 'Anna Svensson', Email: anna.email });
    const outcome = (await h.engine.customerSaved(T, anna))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'synced', customerNumber: String(same.CustomerNumber) });
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
  });

  it("resolveDecision refuses a 'use' that is neither a candidate nor a Fortnox customer", async () => {
    await start();
    h.emulator.tenant(T).insert({ Name: 'Anna Svensson', City: 'Stockholm' });
    await h.engine.customerSaved(T, anna);
    const error = (
      await h.engine.resolveDecision(T, anna.id, { use: '99999' }, CLERK)
    )._unsafeUnwrapErr();
    expect(error.kind).toBe('invalid-input');
    const other = h.emulator.tenant(T).insert({ Name: 'Någon Annan' });
    const used = (
      await h.engine.resolveDecision(T, anna.id, { use: String(other.CustomerNumber) }, CLERK)
    )._unsafeUnwrap();
    expect(used).toEqual({ status: 'synced', customerNumber: String(other.CustomerNumber) });
    expect(
      (await h.engine.resolveDecision(T, 'unknown', { createNew: true }, CLERK))._unsafeUnwrapErr()
        .kind,
    ).toBe('not-found');
  });
});
