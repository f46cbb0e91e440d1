import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAllowedFortnoxText } from '../../src/fortnox/index.js';
import {
  normalizePhoneNumber,
  normalizePostalCode,
  parsePersonalIdentityNumber,
} from '../../src/mapping/index.js';
import {
  createRandom,
  generateLandlineNumber,
  generateOrganisationNumber,
  generatePersonalIdentityNumber,
  generatePostalCode,
  luhnCheckDigit,
  SWEDISH_CITIES,
  seedCustomers,
  seedCustomersWithRelations,
} from '../../src/testing/index.js';
import { CITIES } from '../../src/testing/seed/swedish-data.js';

const digitsOf = (text: string) => text.replace(/\D/g, '');
const luhnValid = (tenDigits: string) =>
  luhnCheckDigit(tenDigits.slice(0, 9)) === Number(tenDigits[9]);

describe('luhnCheckDigit', () => {
  it('matches known Swedish numbers', () => {
    expect(luhnCheckDigit('811218987')).toBe(6); // Skatteverket's example personnummer 811218-9876
    expect(luhnCheckDigit('556036079')).toBe(3); // 556036-0793, a real aktiebolag
  });
});

describe('generated identifiers', () => {
  it('postal codes and landline numbers of the exported cities are valid Swedish ones', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...SWEDISH_CITIES), (seed, city) => {
        const random = createRandom(seed);
        expect(normalizePostalCode(generatePostalCode(random, city)).isOk()).toBe(true);
        expect(normalizePhoneNumber(generateLandlineNumber(random, city)).isOk()).toBe(true);
      }),
    );
  });

  it('organisation numbers: NNNNNN-NNNN, legal-form digit, 3rd digit ≥ 2, Luhn', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(2, 5, 7, 8, 9), (seed, group) => {
        const number = generateOrganisationNumber(createRandom(seed), group);
        expect(number).toMatch(/^\d{6}-\d{4}$/);
        expect(number[0]).toBe(String(group));
        expect(Number(number[2])).toBeGreaterThanOrEqual(2);
        expect(luhnValid(digitsOf(number))).toBe(true);
      }),
    );
  });

  it('personnummer: a real birth date and a Luhn check digit', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const number = generatePersonalIdentityNumber(createRandom(seed));
        expect(number).toMatch(/^\d{6}-\d{4}$/);
        const [yy, mm, dd] = [0, 2, 4].map((at) => Number(number.slice(at, at + 2)));
        const year = (yy ?? 0) + ((yy ?? 0) > 5 ? 1900 : 2000);
        const date = new Date(Date.UTC(year, (mm ?? 1) - 1, dd));
        expect(date.getUTCDate()).toBe(dd);
        expect(luhnValid(digitsOf(number))).toBe(true);
      }),
    );
  });

  it('personnummer: never the serial number 000, which is never issued', () => {
    // Seeds 0–1999 draw 000 at least once (1 in 1 000 per number), so this covers the case.
    for (let seed = 0; seed < 2000; seed += 1) {
      const number = generatePersonalIdentityNumber(createRandom(seed));
      expect(number.slice(7, 10), number).not.toBe('000');
      expect(parsePersonalIdentityNumber(number).isOk(), number).toBe(true);
    }
  });
});

describe('seedCustomers', () => {
  it('is deterministic by seed', () => {
    expect(seedCustomers(50, { seed: 42 })).toEqual(seedCustomers(50, { seed: 42 }));
    expect(seedCustomers(50, { seed: 42 })).not.toEqual(seedCustomers(50, { seed: 43 }));
  });

  it('produces realistic Swedish customers that Fortnox would accept', () => {
    const cities = new Set(CITIES.map((city) => city.name));
    for (const { customer, relation } of seedCustomersWithRelations(400, { seed: 7 })) {
      if (relation.kind === 'original') {
        expect(customer.ZipCode).toMatch(/^\d{3} \d{2}$/);
        expect(customer.Phone1).toMatch(/^0\d{1,3}-\d{2,3}( \d{2,3}){1,2}$/);
        expect(luhnValid(digitsOf(customer.OrganisationNumber))).toBe(true);
      }
      expect(cities.has(customer.City)).toBe(true);
      for (const value of Object.values(customer)) {
        if (typeof value === 'string') expect(isAllowedFortnoxText(value)).toBe(true);
      }
    }
  });

  it('mixes companies and private persons, and contains exact and near-duplicates', () => {
    const seeded = seedCustomersWithRelations(1000, { seed: 3 });
    const kinds = new Map<string, number>();
    for (const { relation } of seeded)
      kinds.set(relation.kind, (kinds.get(relation.kind) ?? 0) + 1);
    expect(kinds.get('exact-duplicate')).toBeGreaterThan(10);
    expect(kinds.get('near-duplicate')).toBeGreaterThan(30);
    const types = new Set(seeded.map(({ customer }) => customer.Type));
    expect(types).toEqual(new Set(['COMPANY', 'PRIVATE']));
    for (const { customer, relation } of seeded) {
      if (relation.kind === 'exact-duplicate')
        expect(customer).toEqual(seeded[relation.of]?.customer);
      if (relation.kind === 'near-duplicate')
        expect(customer).not.toEqual(seeded[relation.of]?.customer);
    }
  });

  it('refuses a negative count', () => {
    expect(() => seedCustomers(-1)).toThrow(TypeError);
  });

  it('refuses shares outside 0..1, and duplicate shares that add up to more than 1', () => {
    expect(() => seedCustomers(5, { companyShare: 1.5 })).toThrow(/companyShare/);
    expect(() => seedCustomers(5, { inactiveShare: -0.1 })).toThrow(/inactiveShare/);
    expect(() => seedCustomers(5, { exactDuplicateShare: Number.NaN })).toThrow(
      /exactDuplicateShare/,
    );
    expect(() => seedCustomers(5, { exactDuplicateShare: 0.6, nearDuplicateShare: 0.6 })).toThrow(
      /duplicate/,
    );
    expect(seedCustomers(5, { companyShare: 1, exactDuplicateShare: 0 })).toHaveLength(5);
  });
});
