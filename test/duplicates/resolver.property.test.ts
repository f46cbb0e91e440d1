import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCustomerIndex,
  createDuplicateResolver,
  type IndexableCustomer,
  type ResolvableCustomer,
} from '../../src/duplicates/index.js';

const GIVEN = ['Anna', 'Åsa', 'Erik', 'Märta', 'Jörgen', 'Karin', 'Lars', 'Sören'];
const SURNAMES = ['Andersson', 'Öberg', 'Karlsson', 'Carlsson', 'Lindström', 'Nyström', 'Åkesson'];
const CITIES = ['Göteborg', 'Malmö', 'Umeå', 'Västerås'];

/** Persons with distinct mobile numbers (the numbers are the array position). */
const people = fc
  .uniqueArray(
    fc.record({
      given: fc.constantFrom(...GIVEN),
      surname: fc.constantFrom(...SURNAMES),
      city: fc.constantFrom(...CITIES),
      mobile: fc.integer({ min: 1_000_000, max: 9_999_999 }),
      email: fc.boolean(),
    }),
    { minLength: 1, maxLength: 25, selector: (person) => person.mobile },
  )
  .map((list) =>
    list.map((person, i) => ({
      ...person,
      number: String(1000 + i),
      phone: `070-${String(person.mobile).slice(0, 3)} ${String(person.mobile).slice(3, 5)} ${String(person.mobile).slice(5)}`,
    })),
  );

type Person = ReturnType<typeof people.generate>['value'][number];

function toFortnox(person: Person): IndexableCustomer {
  return {
    CustomerNumber: person.number,
    Name: `${person.given} ${person.surname}`,
    Phone: person.phone,
    Email: person.email ? `${person.mobile}@example.se` : '',
    City: person.city,
  };
}

/** The same person as another system writes it: surname first, phone in E.164, no diacritics. */
function asSource(person: Person): ResolvableCustomer {
  const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');
  return {
    id: `src-${person.number}`,
    type: 'private',
    name: `${plain(person.surname)}, ${plain(person.given)}`,
    phone: `+4670${person.mobile}`,
    address: { city: person.city },
  };
}

const resolver = createDuplicateResolver();

describe('resolver properties', () => {
  it('finds a person written differently (name order, diacritics, phone format)', () => {
    fc.assert(
      fc.property(people, fc.nat(), (list, pick) => {
        const person = list[pick % list.length]!;
        const { decision } = resolver.resolve(
          asSource(person),
          createCustomerIndex(list.map(toFortnox)),
        );
        expect(decision).toMatchObject({ customerNumber: person.number, reason: 'name-and-phone' });
      }),
    );
  });

  it('decides the same whatever order the index was built in', () => {
    fc.assert(
      fc.property(people, fc.nat(), fc.infiniteStream(fc.nat()), (list, pick, noise) => {
        const probe = asSource(list[pick % list.length]!);
        const forward = createCustomerIndex(list.map(toFortnox));
        const order = list.map((person) => ({ person, key: noise.next().value }));
        order.sort((a, b) => a.key - b.key);
        const shuffled = createCustomerIndex(order.map(({ person }) => toFortnox(person)));
        const stranger: ResolvableCustomer = {
          id: 'x',
          type: 'private',
          name: `${GIVEN[pick % GIVEN.length]} Andersson`,
          address: { city: 'Umeå' },
        };
        for (const query of [probe, stranger]) {
          expect(resolver.resolve(query, shuffled)).toEqual(resolver.resolve(query, forward));
        }
      }),
    );
  });
});
