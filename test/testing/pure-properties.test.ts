import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_BLANK } from '../../src/fortnox/index.js';
import { type SortedCustomers, sortCustomers } from '../../src/testing/emulator/customer-order.js';
import {
  parseCustomerListQuery,
  selectCustomers,
} from '../../src/testing/emulator/customer-query.js';
import { createDefaultCustomer } from '../../src/testing/emulator/customer-record.js';
import { validateCustomerWrite } from '../../src/testing/emulator/customer-validation.js';
import type { StoredCustomer } from '../../src/testing/emulator/tenant-state.js';

const storedCustomers = (numbers: readonly string[]): SortedCustomers => {
  const stored: StoredCustomer[] = numbers.map((number, index) => ({
    record: createDefaultCustomer(number, `Kund ${index}`),
    modifiedAt: index,
  }));
  return { sorted: (key) => sortCustomers(stored, key) };
};

describe('validateCustomerWrite (property)', () => {
  it('never throws, whatever JSON arrives', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('create' as const, 'update' as const),
        (body, mode) => {
          const result = validateCustomerWrite(body, { mode, readOnlyFields: 'ignore' });
          if (result.isErr()) expect(result.error.status).toBeGreaterThanOrEqual(400);
        },
      ),
    );
  });

  it('treats null and "" as unchanged and API_BLANK as a clear, for every text field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('City', 'Email', 'Phone1', 'ZipCode', 'ExternalReference', 'Address1'),
        (field) => {
          const patch = validateCustomerWrite(
            { Customer: { [field]: null, Comments: '', OrganisationNumber: API_BLANK } },
            { mode: 'update', readOnlyFields: 'ignore' },
          )._unsafeUnwrap();
          expect(patch.has(field)).toBe(false);
          expect(patch.has('Comments')).toBe(false);
          expect(patch.get('OrganisationNumber')).toEqual({ kind: 'clear' });
        },
      ),
    );
  });
});

const LIST_BEHAVIOUR = { searchCombination: 'all', offsetPastEnd: 'reset' } as const;

describe('selectCustomers (property)', () => {
  it('pages through every matching customer exactly once, in numeric order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        (numbers, limit) => {
          const stored = storedCustomers(numbers.map(String));
          const seen: string[] = [];
          const first = selectCustomers(
            stored,
            parseCustomerListQuery(new URLSearchParams(`limit=${limit}`))._unsafeUnwrap(),
            LIST_BEHAVIOUR,
          );
          expect(first.totalResources).toBe(numbers.length);
          expect(first.totalPages).toBe(Math.ceil(numbers.length / limit));
          for (let page = 1; page <= first.totalPages; page += 1) {
            const query = parseCustomerListQuery(
              new URLSearchParams(`limit=${limit}&page=${page}`),
            )._unsafeUnwrap();
            seen.push(
              ...selectCustomers(stored, query, LIST_BEHAVIOUR).customers.map((record) =>
                String(record.CustomerNumber),
              ),
            );
          }
          expect(seen).toEqual([...numbers].sort((a, b) => a - b).map(String));
        },
      ),
    );
  });

  it('finds a customer by any substring of its number, whatever the case of the search', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
        fc.nat(),
        fc.nat(),
        (number, from, length) => {
          const start = from % number.length;
          const needle = number.slice(start, start + 1 + (length % (number.length - start)));
          const query = parseCustomerListQuery(
            new URLSearchParams({ customernumber: needle.toUpperCase() }),
          )._unsafeUnwrap();
          const found = selectCustomers(storedCustomers([number]), query, LIST_BEHAVIOUR).customers;
          expect(found).toHaveLength(1);
        },
      ),
    );
  });
});
