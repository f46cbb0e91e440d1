import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../src/duplicates/customer-features.js';
import {
  createCustomerIndex,
  createDuplicateResolver,
  DEFAULT_DUPLICATE_OPTIONS,
} from '../../src/duplicates/index.js';
import { searchCandidates } from '../../src/duplicates/match-candidates.js';
import { featureInputOf } from '../../src/duplicates/resolvable-customer.js';
import { createWeightTable } from '../../src/duplicates/score-match.js';
import { listItem, source } from './fixtures.js';

const resolver = createDuplicateResolver();
const CITIES = [
  'Lund',
  'Kiruna',
  'Visby',
  'Borås',
  'Ystad',
  'Mora',
  'Falun',
  'Piteå',
  'Eksjö',
  'Vimmerby',
];

describe('blocking', () => {
  it('reads a common name within the customer’s city, without a limit warning', () => {
    const namesakes = CITIES.flatMap((city, i) => [
      listItem(String(10 + 2 * i), { Name: 'Anna Andersson', City: city, ZipCode: '222 20' }),
      listItem(String(11 + 2 * i), { Name: 'Anna Andersson', City: city, ZipCode: '333 30' }),
    ]);
    const index = createCustomerIndex([
      ...namesakes,
      listItem('99', { Name: 'Anna Andersson', City: 'Umeå' }),
    ]);
    // 21 namesakes exceed maxBlockSize 15: only the city-narrowed name block can be read.
    const small = createDuplicateResolver({ maxBlockSize: 15 });
    const result = small.resolve(
      source({ type: 'private', name: 'Andersson, Anna', address: { city: 'Umeå' } }),
      index,
    );
    expect(result.warnings).toEqual([]);
    expect(
      result.decision.kind === 'ask' && result.decision.candidates.map((c) => c.customerNumber),
    ).toEqual(['99']);
    const nowhere = small.resolve(source({ type: 'private', name: 'Anna Andersson' }), index);
    expect(nowhere.warnings.map((w) => w.code)).toEqual(['blocking-limit']);
  });

  it('finds a duplicate through the postal code when the name is misspelt and nothing else is shared', () => {
    const index = createCustomerIndex([
      listItem('1', {
        Name: 'Gunnar Sjöström',
        Address1: 'Björkvägen 7',
        ZipCode: '903 31',
        City: 'Umeå',
      }),
    ]);
    const misspelt = source({
      type: 'private',
      name: 'Gunar Sjöstrom',
      address: { street: 'Björkvägen 7', postalCode: '90331', city: 'Umea' },
    });
    const result = resolver.resolve(misspelt, index);
    expect(result.decision.kind === 'ask' && result.decision.candidates[0]?.customerNumber).toBe(
      '1',
    );
  });

  it('finds a candidate through the phone alone when the names differ (asked, not linked)', () => {
    const index = createCustomerIndex([
      listItem('1', { Name: 'Kalle Anka', Phone: '0046 70 111 22 33' }),
    ]);
    const result = resolver.resolve(
      source({ type: 'private', name: 'Greta Anka', phone: '070-111 22 33' }),
      index,
    );
    expect(result.decision.kind).toBe('ask');
  });
});

describe('blocking by city (issue 8 §6: a postal code typo broke street+postcode)', () => {
  it('finds a duplicate whose postal code and name are both misspelt, through street and city', () => {
    const index = createCustomerIndex([
      listItem('1', {
        Name: 'Gunnar Sjöström',
        Address1: 'Björkvägen 7',
        ZipCode: '903 31',
        City: 'Umeå',
      }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'private',
        // The typo changes the sound of the given name: the name keys no longer meet.
        name: 'Gumnar Sjöström',
        address: { street: 'Björkvägen 7', postalCode: '903 13', city: 'Umeå' },
      }),
      index,
    );
    expect(result.decision.kind === 'ask' && result.decision.candidates[0]?.customerNumber).toBe(
      '1',
    );
  });

  it('finds a duplicate with another house number and a postal code typo through surname and city', () => {
    const index = createCustomerIndex([
      listItem('1', {
        Name: 'Gunnar Sjöström',
        Email: 'gunnar@sjostrom.se',
        Address1: 'Björkvägen 7',
        ZipCode: '903 31',
        City: 'Umeå',
      }),
    ]);
    const result = resolver.resolve(
      source({
        type: 'private',
        name: 'Gumnar Sjöström',
        address: { street: 'Björkvägen 9', postalCode: '903 13', city: 'Umeå' },
      }),
      index,
    );
    expect(result.decision.kind).toBe('ask');
  });

  it('does not read a city block of more than a few customers (no quadratic blow-up)', () => {
    // 40 Sjöströms in Umeå, each at another street and postal code.
    const index = createCustomerIndex(
      Array.from({ length: 40 }, (_, k) =>
        listItem(String(100 + k), {
          Name: `${['Karl', 'Per', 'Eva', 'Ida'][k % 4]} Sjöström`,
          Address1: `Storgatan ${k + 1}`,
          ZipCode: `90${String(k).padStart(3, '0')}`,
          City: 'Umeå',
        }),
      ),
    );
    const features = extractFeatures({
      ...featureInputOf(
        source({
          type: 'private',
          name: 'Gunnar Sjöström',
          address: { street: 'Kvarngatan 3', postalCode: '903 13', city: 'Umeå' },
        }),
      ),
    });
    const weights = createWeightTable(DEFAULT_DUPLICATE_OPTIONS.probabilities);
    const search = searchCandidates(features, index, weights, { maxBlockSize: 200, minScore: 10 });
    expect(search.compared).toBe(0);
    expect(search.limited).toBe(false);
  });
});
