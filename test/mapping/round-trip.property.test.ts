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

  it('for Swedish postcodes', () => {
    fc.assert(
      fc.property(swedishPostalCodeArb, ({ formatted, written }) => {
        expect(normalizePostalCode(written)._unsafeUnwrap()).toBe(formatted);
        expect(normalizePostalCode(formatted)._unsafeUnwrap()).toBe(formatted);
      }),
    );
  });
});
