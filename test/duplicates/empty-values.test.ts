/**
 * The index reads Fortnox customers in both recorded shapes: a record (GET, POST, PUT) has `null` for an
 * unset address, phone or country field, a list item `""`. Null, `""` and absent must index alike.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createCustomerIndex,
  createDuplicateResolver,
  type IndexableCustomer,
  type ResolvableCustomer,
} from '../../src/duplicates/index.js';
import {
  CustomerListResponseSchema,
  CustomerResponseSchema,
  type FortnoxCustomer,
  type FortnoxCustomerListItem,
} from '../../src/fortnox/index.js';
import { createEmulatorCore } from '../../src/testing/index.js';
import { ORG, PNR } from './fixtures.js';

const UNSET_FIELDS = ['Address1', 'Address2', 'City', 'ZipCode', 'Phone1', 'CountryCode'] as const;
const NOW = new Date('2026-01-15T09:00:00Z');

let records: FortnoxCustomer[];
let items: FortnoxCustomerListItem[];

/** Creates a company and a private person in the emulator; reads them as records and list items. */
beforeAll(async () => {
  const emulator = createEmulatorCore({ rateLimit: false });
  const token = emulator.issueAccessToken();
  const call = async (method: string, body?: unknown) =>
    (
      await emulator.handle(
        new Request('https://api.fortnox.se/3/customers', {
          method,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      )
    ).json();
  records = [];
  for (const customer of [
    { Name: 'Volvo Personvagnar AB', OrganisationNumber: ORG.volvo, Email: 'info@volvo.se' },
    { Name: 'Anna Andersson', Type: 'PRIVATE', OrganisationNumber: PNR.a, Email: 'anna@ex.se' },
  ]) {
    records.push(CustomerResponseSchema.parse(await call('POST', { Customer: customer })).Customer);
  }
  items = [...CustomerListResponseSchema.parse(await call('GET')).Customers];
});

/** A record with every unset field written another way. */
function rewrite(record: FortnoxCustomer, way: 'empty' | 'absent'): IndexableCustomer {
  const copy: Record<string, unknown> = { ...record };
  for (const field of UNSET_FIELDS) {
    if (way === 'empty') copy[field] = '';
    else delete copy[field];
  }
  return copy as IndexableCustomer;
}

/** What the resolver compares of each entry: features, blocking keys and completeness. */
function indexed(customers: readonly IndexableCustomer[]) {
  const index = createCustomerIndex(customers, { now: NOW });
  return [...index.values()].map(({ customerNumber, features, keys, completeness }) => ({
    customerNumber,
    features: { ...features, kind: undefined },
    kind: features.kind,
    keys: [...keys].sort(),
    completeness,
  }));
}

describe('the customer index on both shapes', () => {
  it('the emulator gives null in a record and "" in a list item', () => {
    expect(records.map((record) => record.Address1)).toEqual([null, null]);
    expect(items.map((item) => [item.Address1, item.Phone])).toEqual([
      ['', ''],
      ['', ''],
    ]);
  });

  it('indexes a record alike whether its unset fields are null, "" or absent', () => {
    const fromNulls = indexed(records);
    expect(indexed(records.map((record) => rewrite(record, 'empty')))).toEqual(fromNulls);
    expect(indexed(records.map((record) => rewrite(record, 'absent')))).toEqual(fromNulls);
  });

  it('indexes a list item like its record (the kind is read from the identity number)', () => {
    expect(indexed(items)).toEqual(indexed(records));
  });

  it('keeps an entry unchanged when a list item of the same customer updates it', () => {
    const index = createCustomerIndex(records, { now: NOW });
    const before = index.get('1');
    for (const item of items) index.update(item);
    expect(index.get('1')?.features).toEqual(before?.features);
    expect(index.get('1')?.keys).toEqual(before?.keys);
    expect(index.get('1')?.completeness).toBe(before?.completeness);
  });

  it('resolves a source customer the same way whichever shape the index holds', () => {
    const resolver = createDuplicateResolver();
    const sources: ResolvableCustomer[] = [
      { id: 's-1', type: 'company', name: 'Volvo Personvagnar', organisationNumber: ORG.volvo },
      { id: 's-2', type: 'private', name: 'Anna Andersson', email: 'anna@ex.se' },
      { id: 's-3', type: 'private', name: 'Bo Ek', address: { street: '', city: '' }, phone: '' },
    ];
    const decide = (customers: readonly IndexableCustomer[]) => {
      const index = createCustomerIndex(customers, { now: NOW });
      return sources.map((source) => resolver.resolve(source, index).decision);
    };
    const fromRecords = decide(records);
    expect(decide(records.map((record) => rewrite(record, 'empty')))).toEqual(fromRecords);
    expect(decide(records.map((record) => rewrite(record, 'absent')))).toEqual(fromRecords);
    // A record's empty ExternalReference is known (fill it in); a list item does not tell it.
    expect(fromRecords.map((decision) => decision.kind)).toEqual([
      'update-existing',
      'update-existing',
      'create',
    ]);
    expect(fromRecords.map((decision) => 'fields' in decision && decision.fields)).toEqual([
      ['ExternalReference'],
      ['ExternalReference'],
      false,
    ]);
    const target = (decision: (typeof fromRecords)[number]) =>
      decision.kind === 'link' || decision.kind === 'update-existing'
        ? `${decision.customerNumber} ${decision.reason}`
        : decision.kind;
    expect(decide(items).map(target)).toEqual(fromRecords.map(target));
  });
});
