/**
 * Save and delete (issue 9 "Save and delete", "Idempotent create"): against the emulator over HTTP.
 * Every test counts the requests Fortnox saw.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/mapping/index.js';
import {
  countByMethod,
  type Harness,
  sampleCustomers,
  startHarness,
} from './support/engine-harness.js';

const T = '1000001';
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ tenants: [T] });
});
afterEach(async () => {
  await h.close();
});

const company = (): SourceCustomer => sampleCustomers(1, 3)[0]!;
const fortnox = (customerNumber: string) => h.emulator.tenant(T).customer(customerNumber)!;

describe('customerSaved', () => {
  it('creates a new company with one search and one POST, ExternalReference = source id', async () => {
    const customer = company();
    const outcome = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    expect(outcome.status).toBe('synced');
    const customerNumber = outcome.status === 'synced' ? outcome.customerNumber : '';
    expect(countByMethod(h.requests())).toEqual({ GET: 1, POST: 1 });
    expect(fortnox(customerNumber)).toMatchObject({
      Name: customer.name,
      ExternalReference: customer.id,
      OrganisationNumber: customer.organisationNumber,
    });
    expect(await h.storage.outbox.get(T, customer.id)).toBeUndefined();
    expect((await h.storage.links.get(T, customer.id))?.customerNumber).toBe(customerNumber);
  });

  it('re-saving an unchanged customer repairs drift with exactly one PUT and no GET', async () => {
    const customer = company();
    const first = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    const customerNumber = first.status === 'synced' ? first.customerNumber : '';
    // A bookkeeper changes owned fields directly in Fortnox.
    (
      await h.client().customers.update(customerNumber, { Name: 'Fel Namn AB', City: 'Kiruna' })
    )._unsafeUnwrap();
    h.resetRequests();
    const again = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    expect(again).toEqual({ status: 'synced', customerNumber });
    expect(countByMethod(h.requests())).toEqual({ PUT: 1 });
    expect(fortnox(customerNumber)).toMatchObject({
      Name: customer.name,
      City: customer.address?.city,
    });
  });

  it('coalesces changes of one customer and applies them in order: the last save is what Fortnox holds', async () => {
    const customer = company();
    const versions = [1, 2, 3, 4].map((n) => ({ ...customer, name: `${customer.name} v${n}` }));
    const outcomes = await Promise.all(versions.map((v) => h.engine.customerSaved(T, v)));
    expect(outcomes.every((outcome) => outcome._unsafeUnwrap().status === 'synced')).toBe(true);
    expect(
      h.emulator
        .tenant(T)
        .customers()
        .map((c) => c.Name),
    ).toEqual([versions[3]!.name]);
    const writes = h.requests().filter((entry) => entry.method !== 'GET');
    // One POST, then at most one PUT per later version (those queued meanwhile coalesce).
    expect(writes.filter((entry) => entry.method === 'POST')).toHaveLength(1);
    expect(writes.length).toBeLessThanOrEqual(4);
  });

  it('never blanks a field the source does not have, and sends a cleared one as API_BLANK', async () => {
    const customer = company();
    const first = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    const customerNumber = first.status === 'synced' ? first.customerNumber : '';
    const { email: _email, address: _address, ...withoutEmailAndAddress } = customer;
    const next: SourceCustomer = { ...withoutEmailAndAddress, phone: null };
    h.resetRequests();
    expect((await h.engine.customerSaved(T, next))._unsafeUnwrap().status).toBe('synced');
    expect(countByMethod(h.requests())).toEqual({ PUT: 1 });
    const record = fortnox(customerNumber);
    expect(record.Email).toBe(customer.email);
    expect(record.City).toBe(customer.address?.city);
    expect(record.Address1).toBe(customer.address?.street);
    expect(record.Phone1 ?? '').toBe('');
  });

  it('creates the customer again when it was deleted in Fortnox (the spec: "spara kunden igen")', async () => {
    const customer = company();
    const first = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    const gone = first.status === 'synced' ? first.customerNumber : '';
    (await h.client().customers.remove(gone))._unsafeUnwrap();
    h.resetRequests();
    const again = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    expect(again.status).toBe('synced');
    expect(again.status === 'synced' && again.customerNumber).not.toBe(gone);
    expect(countByMethod(h.requests())).toEqual({ PUT: 1, GET: 1, POST: 1 });
    expect(h.events).toContainEqual({
      type: 'unlinked',
      tenantId: T,
      sourceId: customer.id,
      customerNumber: gone,
    });
  });

  it('parks data Fortnox would refuse as failed with the field and sv+en words; a fixed re-save syncs', async () => {
    const customer = { ...company(), address: { postalCode: '1234567890123', city: 'Lund' } };
    const outcome = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error).toMatchObject({ kind: 'mapping', field: 'address.postalCode' });
    expect(outcome.error.userMessage.sv).toMatch(/Postnumret/);
    expect(outcome.error.userMessage.en).toMatch(/postal code/);
    expect(h.requests()).toHaveLength(0);
    const status = (await h.engine.status(T, customer.id))._unsafeUnwrap();
    expect(status).toMatchObject({ state: 'failed', lastError: { field: 'address.postalCode' } });
    const fixed = { ...customer, address: { postalCode: '222 22', city: 'Lund' } };
    expect((await h.engine.customerSaved(T, fixed))._unsafeUnwrap().status).toBe('synced');
  });

  it('refuses a value without a usable id as invalid-input and queues nothing', async () => {
    const error = (await h.engine.customerSaved(T, { ...company(), id: '  ' }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'invalid-input', name: 'SyncEngineError' });
    expect(error).toBeInstanceOf(Error);
    expect(error.userMessage.sv).not.toBe('');
    expect((await h.storage.outbox.list(T)).length).toBe(0);
  });

  it('a Fortnox refusal (API 4xx, code 2000637) parks the customer as failed with the code words', async () => {
    await h.close();
    const refusal = () =>
      new Response(
        JSON.stringify({
          ErrorInformation: { error: 1, message: 'Kundnumret används redan.', code: 2000637 },
        }),
        { status: 400, headers: { 'Content-Type': 'application/json' } },
      );
    h = await startHarness({
      tenants: [T],
      intercept: (method) => (method === 'POST' ? refusal() : undefined),
    });
    const customer = company();
    const outcome = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error).toMatchObject({ kind: 'api', code: '2000637' });
    expect(outcome.error.userMessage.sv).toMatch(/Kundnumret används redan/);
    expect(h.events.filter((event) => event.type === 'failed')).toHaveLength(1);
    expect(h.events.some((event) => event.type === 'retrying')).toBe(false);
    expect((await h.engine.summary(T))._unsafeUnwrap()).toMatchObject({ failed: 1, pending: 0 });
  });
});

describe('customerDeleted', () => {
  it('deactivates the Fortnox customer (Active=false) with one PUT and keeps the link', async () => {
    const customer = company();
    const first = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    const customerNumber = first.status === 'synced' ? first.customerNumber : '';
    h.resetRequests();
    const outcome = (await h.engine.customerDeleted(T, customer.id))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'deleted', customerNumber });
    expect(countByMethod(h.requests())).toEqual({ PUT: 1 });
    expect(fortnox(customerNumber).Active).toBe(false);
    expect((await h.storage.links.get(T, customer.id))?.customerNumber).toBe(customerNumber);
  });

  it("deletes for good with onDelete: 'delete' and drops the link", async () => {
    await h.close();
    h = await startHarness({ tenants: [T], engine: { onDelete: 'delete' } });
    const customer = company();
    const first = (await h.engine.customerSaved(T, customer))._unsafeUnwrap();
    const customerNumber = first.status === 'synced' ? first.customerNumber : '';
    h.resetRequests();
    expect((await h.engine.customerDeleted(T, customer.id))._unsafeUnwrap()).toEqual({
      status: 'deleted',
      customerNumber,
    });
    expect(countByMethod(h.requests())).toEqual({ DELETE: 1 });
    expect(h.emulator.tenant(T).customer(customerNumber)).toBeUndefined();
    expect(await h.storage.links.get(T, customer.id)).toBeUndefined();
  });

  it('after a create whose answer was lost, a delete finds the customer (reconcile) and deactivates it', async () => {
    await h.close();
    // A long backoff: the delete comes before the create is retried.
    h = await startHarness({
      tenants: [T],
      engine: { backoff: { initialMs: 60_000, maxMs: 60_000 }, saveTimeoutMs: 300 },
    });
    h.emulator.faults.inject({ kind: 'lost-response', methods: ['POST'], count: 1 });
    const customer = company();
    expect((await h.engine.customerSaved(T, customer))._unsafeUnwrap()).toMatchObject({
      status: 'pending',
      reason: 'retrying',
    });
    const [made] = h.emulator.tenant(T).customers();
    h.resetRequests();
    const outcome = (await h.engine.customerDeleted(T, customer.id))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'deleted', customerNumber: String(made?.CustomerNumber) });
    // One search by organisation number, one GET of the candidate, one PUT Active=false.
    expect(countByMethod(h.requests())).toEqual({ GET: 2, PUT: 1 });
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(fortnox(String(made?.CustomerNumber)).Active).toBe(false);
    expect(await h.storage.outbox.get(T, customer.id)).toBeUndefined();
  });

  it('sends nothing for a customer that was never linked', async () => {
    expect((await h.engine.customerDeleted(T, 'never-synced'))._unsafeUnwrap()).toEqual({
      status: 'deleted',
      customerNumber: null,
    });
    expect(h.requests()).toHaveLength(0);
  });
});
