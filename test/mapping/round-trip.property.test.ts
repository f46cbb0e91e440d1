import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalizePhoneNumber,
  normalizePostalCode,
  parseOrganisationNumber,
  parsePersonalIdentityNumber,
} from '../../src/mapping/index.js';
import {
  NOW,
  organisationNumberArb,
  personalIdentityNumberArb,
  phoneLikeArb,
  swedishMobileArb,
  swedishPostalCodeArb,
} from './arbitraries.js';

describe('parse → format → parse returns the same value', () => {
  it('for organisation numbers written in any accepted way', () => {
    fc.assert(
      fc.property(organisationNumberArb, ({ digits, written }) => {
        const parsed = parseOrganisationNumber(written)._unsafeUnwrap();
        expect(parsed.digits).toBe(digits);
        expect(parsed.formatted).toBe(`${digits.slice(0, 6)}-${digits.slice(6)}`);
        expect(parseOrganisationNumber(parsed.formatted)._unsafeUnwrap()).toEqual(parsed);
      }),
    );
  });

  it('for personnummer and samordningsnummer in 10 and 12 digits', () => {
    fc.assert(
      fc.property(personalIdentityNumberArb, ({ formatted, birthDate, kind, written }) => {
        const parsed = parsePersonalIdentityNumber(written, { now: NOW })._unsafeUnwrap();
        expect(parsed).toEqual({
          kind,
          formatted,
          birthDate,
          digits12: formatted.replace('-', ''),
        });
        expect(parsePersonalIdentityNumber(parsed.formatted, { now: NOW })._unsafeUnwrap()).toEqual(
          parsed,
        );
      }),
    );
  });

  it('for Swedish mobile numbers written in any common way', () => {
    fc.assert(
      fc.property(swedishMobileArb, ({ e164, written }) => {
        const parsed = normalizePhoneNumber(written)._unsafeUnwrap();
        expect(parsed.e164).toBe(e164);
        expect(parsed.formatted).toMatch(/^07\d-\d{3} \d{2} \d{2}$/);
        expect(normalizePhoneNumber(parsed.formatted)._unsafeUnwrap()).toEqual(parsed);
        expect(normalizePhoneNumber(parsed.e164)._unsafeUnwrap()).toEqual(parsed);
      }),
    );
  });

  it('for any phone number, in every default country', () => {
    let valid = 0;
    const countries = fc.constantFrom('SE', 'NO', 'DE', 'FI', 'US', 'GB');
    fc.assert(
      fc.property(phoneLikeArb, countries, countries, (written, country, otherCountry) => {
        const parsed = normalizePhoneNumber(written, country);
        if (parsed.isErr()) return;
        valid += 1;
        const { e164, formatted } = parsed.value;
        expect(normalizePhoneNumber(formatted, country)._unsafeUnwrap()).toEqual(parsed.value);
        // E.164 means the same number whatever the default country.
        expect(normalizePhoneNumber(e164, otherCountry)._unsafeUnwrap().e164).toBe(e164);
        // E.164 allows short national numbers (e.g. German `0168 0` → +491680): up to 15 digits in all.
        expect(e164).toMatch(/^\+[1-9]\d{3,14}$/);
        // Swedish numbers in a Swedish context are written nationally: 0 + area code, a hyphen, groups
        // (libphonenumber keeps a short subscriber number in one block: `0939-1000`).
        const national = parsed.value.countryCode === 'SE' && country === 'SE';
        expect(formatted).toMatch(national ? /^0\d{1,3}-\d{2,4}( \d{2,3}){0,3}$/ : /^\+\d/);
      }),
      { numRuns: 400 },
    );
    expect(valid).toBeGreaterThan(80);
  });

  it('for Swedish postcodes', () => {
    fc.assert(
      fc.property(swedishPostalCodeArb, ({ formatted, written }) => {
        expect(normalizePostalCode(written)._unsafeUnwrap()).toBe(formatted);
        expect(normalizePostalCode(formatted)._unsafeUnwrap()).toBe(formatted);
      }),
    );
  });
});
