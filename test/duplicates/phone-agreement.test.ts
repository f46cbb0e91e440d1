import { describe, expect, it } from 'vitest';
import { createCustomerIndex, createDuplicateResolver } from '../../src/duplicates/index.js';
import { listItem, source } from './fixtures.js';

const resolver = createDuplicateResolver();

function decisionFor(indexed: string, given: string, countryCode?: string) {
  const index = createCustomerIndex([listItem('1', { Name: 'Anna Andersson', Phone: indexed })]);
  const address = countryCode === undefined ? null : { countryCode };
  return resolver.resolve(
    source({ type: 'private', name: 'Anna Andersson', phone: given, address }),
    index,
  ).decision;
}

describe('phone agreement', () => {
  it('does not take two numbers that only share their last eight digits for one', () => {
    // 08-123 456 78 (Stockholm) and 031-234 56 78 (Göteborg) are different subscribers.
    expect(decisionFor('08-123 456 78', '031-234 56 78').kind).not.toMatch(/link|update/);
    // 040-123 45 67 (Malmö) and 070-123 45 67 (a mobile) likewise.
    expect(decisionFor('040-123 45 67', '070-123 45 67').kind).not.toMatch(/link|update/);
  });

  it('still agrees when only the country or trunk prefix is written differently', () => {
    for (const [indexed, given, country] of [
      ['070-123 45 67', '+46 70 123 45 67', undefined],
      ['70 123 45 67', '070-1234567', undefined],
      ['0046 (0)70-123 45 67', '0701234567', undefined],
      ['912 34 567', '+47 912 34 567', 'NO'],
    ] as const) {
      expect(decisionFor(indexed, given, country), `${indexed} ~ ${given}`).toMatchObject({
        kind: 'link',
        reason: 'name-and-phone',
      });
    }
  });

  it('reads the country of the phone from a country name as well as a code', () => {
    for (const country of ['Sverige', 'sweden', 'se']) {
      expect(decisionFor('+46 70 123 45 67', '070-123 45 67', country), country).toMatchObject({
        kind: 'link',
        reason: 'name-and-phone',
      });
    }
  });

  it('reads a number that is invalid in the given country by the Swedish rules', () => {
    // A Swedish mobile on a customer registered in Norway.
    expect(decisionFor('+46 70 123 45 67', '070-123 45 67', 'NO')).toMatchObject({
      kind: 'link',
      reason: 'name-and-phone',
    });
  });
});
