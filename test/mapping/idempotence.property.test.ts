import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type NormalizedCustomer,
  normalizeCountryCode,
  normalizeEmail,
  normalizeName,
  normalizePhoneNumber,
  normalizePostalCode,
  normalizeSourceCustomer,
  type SourceCustomer,
  toFortnoxText,
} from '../../src/mapping/index.js';
import {
  countryNameArb,
  emailArb,
  foreignPostalCodeArb,
  NOW,
  phoneLikeArb,
  sourceCustomerArb,
  swedishPostalCodeArb,
  textArb,
} from './arbitraries.js';

/** Normalising what a normaliser returned gives the same value back. */
function expectIdempotent<T>(
  normalize: (input: string) => { isOk(): boolean; value?: T },
  input: string,
  key: (value: T) => string,
) {
  const once = normalize(input);
  if (!once.isOk()) return false;
  const first = once.value as T;
  const twice = normalize(key(first));
  expect(twice.isOk()).toBe(true);
  expect(twice.value).toEqual(first);
  return true;
}

const countries = fc.constantFrom('SE', 'NO', 'DE', 'FI', 'US', 'GB');

describe('normalising twice gives the same result as once', () => {
  it('for names and free text', () => {
    fc.assert(
      fc.property(textArb, (input) => {
        expectIdempotent(normalizeName, input, (value: string) => value);
        const fitted = toFortnoxText(input).text;
        expect(toFortnoxText(fitted).text).toBe(fitted);
      }),
    );
  });

  it('for e-mail addresses', () => {
    let valid = 0;
    fc.assert(
      fc.property(
        fc.oneof({ arbitrary: emailArb, weight: 3 }, fc.emailAddress(), textArb),
        (input) => {
          if (expectIdempotent(normalizeEmail, input, (value: string) => value)) valid += 1;
        },
      ),
      { numRuns: 300 },
    );
    expect(valid).toBeGreaterThan(75);
  });

  it('for countries written as codes or names', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: countryNameArb, weight: 3 }, textArb), (input) => {
        if (expectIdempotent(normalizeCountryCode, input, (value: string) => value)) valid += 1;
      }),
      { numRuns: 300 },
    );
    expect(valid).toBeGreaterThan(150);
  });

  it('for postcodes, in several countries', () => {
    let valid = 0;
    const postalCodes = fc.oneof(
      swedishPostalCodeArb.map((postalCode) => postalCode.written),
      foreignPostalCodeArb,
      textArb,
    );
    fc.assert(
      fc.property(postalCodes, countries, (input, country) => {
        const normalize = (text: string) => normalizePostalCode(text, country);
        if (expectIdempotent(normalize, input, (value: string) => value)) valid += 1;
      }),
      { numRuns: 300 },
    );
    expect(valid).toBeGreaterThan(90);
  });

  it('for phone numbers, in every default country', () => {
    let valid = 0;
    fc.assert(
      fc.property(phoneLikeArb, countries, (input, country) => {
        const normalize = (text: string) => normalizePhoneNumber(text, country);
        if (expectIdempotent(normalize, input, (value: { formatted: string }) => value.formatted))
          valid += 1;
      }),
      { numRuns: 300 },
    );
    expect(valid).toBeGreaterThan(50);
  });

  it('for whole customers', () => {
    let valid = 0;
    fc.assert(
      fc.property(sourceCustomerArb, (source) => {
        const once = normalizeSourceCustomer(source, { now: NOW });
        if (once.isErr()) return;
        valid += 1;
        const twice = normalizeSourceCustomer(toSource(once.value), { now: NOW });
        expect(twice._unsafeUnwrap()).toEqual(once.value);
      }),
      { numRuns: 400 },
    );
    expect(valid).toBeGreaterThan(100);
  });
});

function toSource(customer: NormalizedCustomer): SourceCustomer {
  return {
    id: customer.ExternalReference,
    type: customer.Type === 'PRIVATE' ? 'private' : 'company',
    name: customer.Name,
    email: customer.Email,
    phone: customer.Phone1,
    address: {
      street: customer.Address1,
      postalCode: customer.ZipCode,
      city: customer.City,
      countryCode: customer.CountryCode,
    },
    organisationNumber: customer.OrganisationNumber,
    active: customer.Active,
  };
}
