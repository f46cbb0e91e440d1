import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCustomerOrder, sortCustomers } from '../../src/testing/emulator/customer-order.js';
import { createDefaultCustomer } from '../../src/testing/emulator/customer-record.js';
import type { StoredCustomer } from '../../src/testing/emulator/tenant-state.js';

const stored = (number: string, name: string): StoredCustomer => ({
  record: createDefaultCustomer(number, name),
  modifiedAt: 0,
});
const numbers = (list: readonly StoredCustomer[]) =>
  list.map(({ record }) => String(record.CustomerNumber));

describe('sortCustomers', () => {
  it('orders names in Swedish collation, case-insensitively, ties by customer number', () => {
    const list = [
      stored('3', 'Örjan'),
      stored('10', 'anna'),
      stored('2', 'Åsa'),
      stored('9', 'Anna'),
    ];
    expect(numbers(sortCustomers(list, 'name'))).toEqual(['9', '10', '2', '3']);
    expect(numbers(sortCustomers(list, 'customernumber'))).toEqual(['2', '3', '9', '10']);
  });

  it('never changes its input and keeps every customer', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9]{1,6}$/)), (list) => {
        const input = list.map((number) => stored(number, `Kund ${number}`));
        const before = numbers(input);
        const sorted = sortCustomers(input, 'customernumber');
        expect(numbers(input)).toEqual(before);
        expect([...numbers(sorted)].sort()).toEqual([...before].sort());
      }),
    );
  });
});

describe('createCustomerOrder', () => {
  it('sorts once per change, however many pages are read', () => {
    const customers = [stored('2', 'B'), stored('1', 'A')];
    let reads = 0;
    const order = createCustomerOrder(() => {
      reads += 1;
      return customers;
    });
    for (let page = 0; page < 5; page += 1) order.sorted('customernumber');
    expect(reads).toBe(1);
    order.sorted('name');
    expect(reads).toBe(2);
    customers.push(stored('0', 'C'));
    expect(numbers(order.sorted('customernumber'))).toEqual(['1', '2']);
    order.invalidate();
    expect(numbers(order.sorted('customernumber'))).toEqual(['0', '1', '2']);
    expect(reads).toBe(3);
  });
});
