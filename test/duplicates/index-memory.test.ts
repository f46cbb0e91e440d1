import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  createFeaturePool,
  extractFeatures,
  type FeatureInput,
} from '../../src/duplicates/customer-features.js';
import { createCustomerIndex, type IndexableCustomer } from '../../src/duplicates/index.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const GIVEN = ['Anna', 'Eva', 'Maria', 'Karin', 'Lars', 'Erik', 'Karl', 'Anders', 'Johan', 'Per'];
const SURNAMES = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Öberg'];
const STREETS = ['Storgatan', 'Kungsgatan', 'Skolgatan', 'Parkvägen', 'Björkvägen', 'Åsvägen'];
const CITIES = ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Umeå', 'Lund'];

/** Customers as an inventory holds them: names, streets and places recur, contacts do not. */
function inventory(size: number): IndexableCustomer[] {
  return Array.from({ length: size }, (_, i) => ({
    CustomerNumber: String(1000 + i),
    Name: `${GIVEN[i % GIVEN.length]} ${SURNAMES[(i >> 3) % SURNAMES.length]}`,
    Email: `kund${i}@example.se`,
    Phone: `070-${String(1_000_000 + i).slice(1, 4)} ${String(i % 100).padStart(2, '0')} ${String(i % 97).padStart(2, '0')}`,
    Address1: `${STREETS[i % STREETS.length]} ${1 + (i % 90)}`,
    ZipCode: `${11_100 + (i % 400)}`,
    City: CITIES[(i >> 2) % CITIES.length]!,
    OrganisationNumber: '',
  }));
}

/** Heap and array buffers held after a full collection. */
function retained(): number {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

describe('customer index memory', () => {
  it('holds an inventory of 20 000 customers in under 750 bytes a customer', () => {
    const customers = inventory(20_000);
    const before = retained();
    const index = createCustomerIndex(customers);
    const perCustomer = (retained() - before) / customers.length;
    expect(index.size).toBe(customers.length);
    // A Map of arrays as blocks, a copy of every name and street, took 930 bytes here.
    expect(perCustomer).toBeLessThan(750);
  });

  it('shares equal names, streets and places within a build, with features equal to unshared', () => {
    const pool = createFeaturePool();
    const input = (name: string): FeatureInput => ({
      kind: undefined,
      name,
      email: null,
      phone: null,
      street: 'Storgatan 1',
      postalCode: '903 31',
      city: 'Umeå',
      countryCode: undefined,
      identityNumber: undefined,
    });
    const a = extractFeatures(input('Anna Öberg'), undefined, pool);
    const b = extractFeatures(input('anna  oberg'), undefined, pool);
    const company = extractFeatures(input('Bygg AB'), undefined, pool);
    expect(a.personNameTokens).toBe(b.personNameTokens);
    expect(a.streetTokens).toBe(b.streetTokens);
    expect(a.city).toBe(b.city);
    expect(a).toEqual(extractFeatures(input('Anna Öberg')));
    expect(company).toEqual(extractFeatures(input('Bygg AB')));
    expect(company.nameTokens).not.toBe(company.personNameTokens);
    expect(Object.isFrozen(a.personNameTokens)).toBe(true);
  });
});
