import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CustomerIndex,
  createCustomerIndex,
  createDuplicateResolver,
  findDuplicateGroups,
  type IndexableCustomer,
  type ResolvableCustomer,
} from '../../src/duplicates/index.js';
import { ORG, PNR } from './fixtures.js';

/** Small value pools, so that customers often share names, phones and blocks. */
const NAMES = ['Anna Andersson', 'Andersson, Anna', 'Ana Andersson', 'Erik Öberg', 'Volvo AB'];
const PHONES = ['070-123 45 67', '+46701234567', '08-123 456 78', '031-234 56 78'];
const EMAILS = ['anna@a.se', 'ANNA@a.se', 'erik@b.se'];
const CITIES = ['Umeå', 'Umea', 'Lund'];
const NUMBERS = ['1', '2', '3', '4', '5', '6'];

/** A field known to be empty, or one of the values; the record leaves some fields out (unknown). */
const field = (values: readonly string[]) => fc.constantFrom<string | null>(null, '', ...values);

const record: fc.Arbitrary<IndexableCustomer> = fc.record(
  {
    CustomerNumber: fc.constantFrom(...NUMBERS),
    Name: field(NAMES),
    Email: field(EMAILS),
    Phone1: field(PHONES),
    City: field(CITIES),
    ZipCode: field(['903 31', '90331', '222 20']),
    Address1: field(['Storgatan 1', 'Storgatan 2']),
    OrganisationNumber: field([ORG.volvo, '5560360793', PNR.a]),
    Type: fc.constantFrom<'COMPANY' | 'PRIVATE'>('COMPANY', 'PRIVATE'),
    ExternalReference: field(['src-1', 'src-2']),
  },
  { requiredKeys: ['CustomerNumber'] },
);

type Operation =
  | { readonly kind: 'add' | 'update'; readonly customer: IndexableCustomer }
  | { readonly kind: 'remove'; readonly customerNumber: string };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  record.map((customer) => ({ kind: 'add' as const, customer })),
  record.map((customer) => ({ kind: 'update' as const, customer })),
  fc
    .constantFrom(...NUMBERS)
    .map((customerNumber) => ({ kind: 'remove' as const, customerNumber })),
);

const probe: fc.Arbitrary<ResolvableCustomer> = fc.record({
  id: fc.constantFrom('src-1', 'src-2', 'src-3'),
  type: fc.constantFrom('company', 'private'),
  name: fc.constantFrom(...NAMES),
  phone: fc.option(fc.constantFrom(...PHONES), { nil: null }),
  email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
  organisationNumber: fc.option(fc.constantFrom(ORG.volvo, PNR.a), { nil: null }),
  address: fc.record({ city: fc.option(fc.constantFrom(...CITIES), { nil: null }) }),
});

/** The customer numbers filed under a key, in a comparable order. */
const members = (index: CustomerIndex, key: string) =>
  index
    .block(key)
    .map((entry) => entry.customerNumber)
    .sort();

const resolver = createDuplicateResolver();

describe('createCustomerIndex, incrementally', () => {
  it('resolves exactly like an index built from scratch from the final customers', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }),
        fc.array(operation, { maxLength: 25 }),
        fc.array(probe, { minLength: 1, maxLength: 4 }),
        (initial, operations, probes) => {
          const incremental = createCustomerIndex(initial);
          // The model: add replaces, update merges the fields it carries, remove deletes.
          const final = new Map<string, IndexableCustomer>();
          for (const customer of initial) final.set(customer.CustomerNumber, customer);
          const keysEverFiled = new Set<string>();
          const noteKeys = () => {
            for (const entry of incremental.values())
              for (const key of entry.keys) keysEverFiled.add(key);
          };
          noteKeys();
          for (const op of operations) {
            if (op.kind === 'remove') {
              expect(incremental.remove(op.customerNumber)).toBe(final.delete(op.customerNumber));
            } else if (op.kind === 'add') {
              incremental.add(op.customer);
              final.set(op.customer.CustomerNumber, op.customer);
            } else {
              incremental.update(op.customer);
              const before = final.get(op.customer.CustomerNumber);
              final.set(op.customer.CustomerNumber, { ...before, ...op.customer });
            }
            noteKeys();
          }
          const scratch = createCustomerIndex(final.values());

          expect(incremental.size).toBe(scratch.size);
          for (const number of NUMBERS) {
            expect(incremental.get(number)?.values).toEqual(scratch.get(number)?.values);
          }
          // No stale entry under any key a replaced or removed customer was ever filed under.
          for (const key of keysEverFiled) {
            expect(members(incremental, key), key).toEqual(members(scratch, key));
          }
          for (const source of probes) {
            expect(resolver.resolve(source, incremental)).toEqual(
              resolver.resolve(source, scratch),
            );
          }
          expect(findDuplicateGroups(incremental)).toEqual(findDuplicateGroups(scratch));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
