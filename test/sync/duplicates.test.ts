/**
 * Duplicates and conflicts (issue 9; product spec): the resolver runs before every create; a company
 * with the same organisation number is updated (or asked about); an unclear private person waits for
 * a person while every other customer syncs; a decision is durable and never asked twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/mapping/index.js';
import { createMemoryStorage } from '../../src/storage/index.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import type { SyncSource } from '../../src/sync/sync-engine-types.js';
import {
  ADMIN,
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

  it('a host whose source.update and source.linked throw: still synced, and a host-callback-failed event for each (no message)', async () => {
    const source: SyncSource = {
      list: () => [],
      update: () => {
        throw new TypeError('cannot store phone 08-123 456 78');
      },
      linked: async () => {
        throw new Error('database down for Gammalt Namn AB');
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
    const failed = h.events.filter((event) => event.type === 'host-callback-failed');
    expect(failed).toEqual([
      {
        type: 'host-callback-failed',
        tenantId: T,
        sourceId: customer.id,
        callback: 'update',
        errorName: 'TypeError',
      },
      {
        type: 'host-callback-failed',
        tenantId: T,
        sourceId: customer.id,
        callback: 'linked',
        errorName: 'Error',
      },
    ]);
    expect(JSON.stringify(failed)).not.toMatch(/08-123|Gammalt/);
    // The sync goes on: the next customer is created and the host is asked again.
    const next = sampleCustomers(2, 9, 'n')[1]!;
    expect((await h.engine.customerSaved(T, next))._unsafeUnwrap().status).toBe('synced');
    expect(h.events.filter((event) => event.type === 'host-callback-failed')).toHaveLength(3);
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

describe('one Fortnox customer is one source customer', () => {
  it('two source customers saved at the same moment matching one Fortnox customer: one links, the other is a decision', async () => {
    // Both saves look whether the customer is linked before either links it (the race, forced): only
    // storage's atomic link-conflict can stop the second.
    const memory = createMemoryStorage();
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothLooked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const storage: SyncStorage = {
      ...memory,
      links: {
        ...memory.links,
        async getByCustomerNumber(tenantId, customerNumber) {
          const answer = await memory.links.getByCustomerNumber(tenantId, customerNumber);
          arrived += 1;
          if (arrived === 2) release();
          await Promise.race([bothLooked, new Promise((resolve) => setTimeout(resolve, 2_000))]);
          return answer;
        },
      },
    };
    await start({ storage });
    const [customer] = sampleCustomers(1, 5);
    const twin = { ...customer!, id: `${customer!.id}-twin` };
    const existing = h.emulator.tenant(T).insert({
      Name: 'Gammalt Namn AB',
      OrganisationNumber: customer!.organisationNumber,
    });
    const number = String(existing.CustomerNumber);
    const outcomes = (
      await Promise.all([h.engine.customerSaved(T, customer!), h.engine.customerSaved(T, twin)])
    ).map((result) => result._unsafeUnwrap());
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['needs-decision', 'synced']);
    expect(outcomes).toContainEqual({ status: 'synced', customerNumber: number });
    const asked = outcomes.find((outcome) => outcome.status === 'needs-decision');
    expect(asked).toMatchObject({ candidates: [{ customerNumber: number }] });
    expect(await h.storage.links.count(T)).toBe(1);
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(countByMethod(h.requests()).PUT).toBe(1);
    expect(arrived).toBeGreaterThanOrEqual(2);
  });

  it('a save matching a Fortnox customer linked to another source customer is a decision, not a duplicate', async () => {
    await start();
    const [customer] = sampleCustomers(1, 5);
    const existing = h.emulator.tenant(T).insert({
      Name: 'Gammalt Namn AB',
      OrganisationNumber: customer!.organisationNumber,
    });
    const number = String(existing.CustomerNumber);
    expect((await h.engine.customerSaved(T, customer!))._unsafeUnwrap()).toEqual({
      status: 'synced',
      customerNumber: number,
    });
    h.resetRequests();
    const twin = { ...customer!, id: `${customer!.id}-twin` };
    const outcome = (await h.engine.customerSaved(T, twin))._unsafeUnwrap();
    expect(outcome).toMatchObject({
      status: 'needs-decision',
      candidates: [{ customerNumber: number }],
    });
    expect(countByMethod(h.requests())).toEqual({ GET: 1 });
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    // The person may create a new one (the source is the master); 'use' of the taken one is refused.
    const refused = (
      await h.engine.resolveDecision(T, twin.id, { use: number }, CLERK)
    )._unsafeUnwrapErr();
    expect(refused.kind).toBe('invalid-input');
    const created = (
      await h.engine.resolveDecision(T, twin.id, { createNew: true }, CLERK)
    )._unsafeUnwrap();
    expect(created.status).toBe('synced');
    expect(h.emulator.tenant(T).customers()).toHaveLength(2);
  });

  it('a chosen customer linked by another source customer before the choice is delivered: failed with words, no PUT', async () => {
    await start();
    const unclear = h.emulator.tenant(T).insert({ Name: 'Anna Svensson', City: 'Stockholm' });
    const number = String(unclear.CustomerNumber);
    expect((await h.engine.customerSaved(T, anna))._unsafeUnwrap().status).toBe('needs-decision');
    // Integration off: the choice is queued; meanwhile another source customer takes the customer.
    (await h.engine.disconnect(T, ADMIN))._unsafeUnwrap();
    const queued = (
      await h.engine.resolveDecision(T, anna.id, { use: number }, CLERK)
    )._unsafeUnwrap();
    expect(queued).toMatchObject({ status: 'pending', reason: 'paused' });
    await h.storage.links.put({
      tenantId: T,
      sourceId: 'other',
      customerNumber: number,
      fingerprint: 'fp',
      origin: 'matched',
      syncedAt: 1,
    });
    h.resetRequests();
    (await h.engine.connect(T, ADMIN))._unsafeUnwrap();
    let status = (await h.engine.status(T, anna.id))._unsafeUnwrap();
    for (let i = 0; i < 200 && status.state !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await h.engine.status(T, anna.id))._unsafeUnwrap();
    }
    expect(status).toMatchObject({
      state: 'failed',
      customerNumber: null,
      lastError: { kind: 'link-conflict' },
    });
    expect(status.lastError?.userMessage.sv).toMatch(/redan kopplad/);
    expect(h.requests()).toEqual([]);
    expect((await h.storage.links.getByCustomerNumber(T, number))?.sourceId).toBe('other');
    // The two merged in the source (the other's link gone): a new save honours the choice.
    await h.storage.links.delete(T, 'other');
    expect((await h.engine.customerSaved(T, anna))._unsafeUnwrap()).toEqual({
      status: 'synced',
      customerNumber: number,
    });
  });

  it('a link of another source customer to the number Fortnox just gave a new customer is stale: dropped, with an event', async () => {
    await start();
    const [customer] = sampleCustomers(1, 21);
    const probe = h.emulator.tenant(T).insert({ Name: 'Borttagen AB' });
    const next = String(Number(probe.CustomerNumber) + 1);
    await h.storage.links.put({
      tenantId: T,
      sourceId: 'gone',
      customerNumber: next,
      fingerprint: 'fp',
      origin: 'created',
      syncedAt: 1,
    });
    const outcome = (await h.engine.customerSaved(T, customer!))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'synced', customerNumber: next });
    expect(await h.storage.links.get(T, 'gone')).toBeUndefined();
    expect((await h.storage.links.get(T, customer!.id))?.customerNumber).toBe(next);
    expect(h.events).toContainEqual({
      type: 'unlinked',
      tenantId: T,
      sourceId: 'gone',
      customerNumber: next,
    });
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

  it('checks name and phone: a name spelt differently in Fortnox is found by its phone (2 phone searches), not created twice', async () => {
    const phones: string[] = [];
    await start({
      intercept: (_method, url) => {
        const phone = url.searchParams.get('phone');
        if (phone !== null) phones.push(phone);
        return undefined;
      },
    });
    // The bookkeeper typed the name with one s and the number without spaces.
    const same = h.emulator.tenant(T).insert({ Name: 'Anna Svenson', Phone1: '0701112233' });
    const { email: _email, ...withoutEmail } = anna;
    const outcome = (await h.engine.customerSaved(T, withoutEmail))._unsafeUnwrap();
    const found =
      outcome.status === 'synced'
        ? outcome.customerNumber
        : outcome.status === 'needs-decision'
          ? outcome.candidates[0]?.customerNumber
          : outcome.status;
    expect(found).toBe(String(same.CustomerNumber));
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    // The library's spelling and the digits: two searches, the phone's cost per private save.
    expect(phones).toEqual(['070-111 22 33', '0701112233']);
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
