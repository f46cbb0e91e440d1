import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCustomerOrder, sortCustomers } from '../../src/testing/emulator/customer-order.js';
import { createDefaultCustomer } from '../../src/testing/emulator/customer-record.js';
import { validateCustomerWrite } from '../../src/testing/emulator/customer-validation.js';
import { createTenantState, type StoredCustomer } from '../../src/testing/emulator/tenant-state.js';

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
  it('sorts once, however many pages are read, until invalidated', () => {
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

type Operation =
  | { kind: 'create'; number: string; name: string }
  | { kind: 'rename'; index: number; name: string }
  | { kind: 'delete'; index: number }
  | { kind: 'read' };

const nameArbitrary = fc.constantFrom('Anna', 'anna', 'Åsa', 'Örjan', 'Bo', 'bo', 'Zeta', 'Ärla');
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    number: fc.stringMatching(/^[A-Za-z0-9]{1,3}$/),
    name: nameArbitrary,
  }),
  fc.record({ kind: fc.constant('rename' as const), index: fc.nat(), name: nameArbitrary }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
  fc.constant({ kind: 'read' as const }),
);

describe('tenant views kept sorted across writes (property)', () => {
  it('equal a fresh sort after any sequence of creates, renames, deletes and reads', () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary, { maxLength: 60 }), (operations) => {
        const tenant = createTenantState('1', 1, () => 0);
        const numbersInUse: string[] = [];
        const write = (customer: Record<string, unknown>, mode: 'create' | 'update') =>
          validateCustomerWrite(
            { Customer: customer },
            { mode, readOnlyFields: 'ignore' },
          )._unsafeUnwrap();
        for (const operation of operations) {
          if (operation.kind === 'create') {
            const created = tenant.create(
              write({ Name: operation.name, CustomerNumber: operation.number }, 'create'),
            );
            if (created.isOk()) numbersInUse.push(operation.number);
          } else if (operation.kind === 'rename' && numbersInUse.length > 0) {
            const number = numbersInUse[operation.index % numbersInUse.length] ?? '';
            tenant.update(number, write({ Name: operation.name }, 'update'));
          } else if (operation.kind === 'delete' && numbersInUse.length > 0) {
            const [number] = numbersInUse.splice(operation.index % numbersInUse.length, 1);
            tenant.remove(number ?? '');
          } else {
            tenant.sorted('name');
            tenant.sorted('customernumber');
          }
        }
        const current = numbersInUse.flatMap((number) => tenant.get(number) ?? []);
        for (const key of ['name', 'customernumber'] as const) {
          expect(numbers(tenant.sorted(key))).toEqual(numbers(sortCustomers(current, key)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
