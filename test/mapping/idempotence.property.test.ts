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
import { NOW, phoneLikeArb, sourceCustomerArb, textArb } from './arbitraries.js';

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

  it('for e-mail addresses, countries and postcodes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), textArb), countries, (input, country) => {
        expectIdempotent(normalizeEmail, input, (value: string) => value);
        expectIdempotent(normalizeCountryCode, input, (value: string) => value);
        expectIdempotent(
          (text) => normalizePostalCode(text, country),
          input,
          (value: string) => value,
        );
      }),
    );
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
    expect(valid).toBeGreaterThan(30);
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
    expect(valid).toBeGreaterThan(20);
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
