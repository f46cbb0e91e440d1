import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completeness,
  diffOwnedFields,
  fillFromMoreComplete,
  fingerprint,
  fromFortnoxCustomer,
  normalizeCountryCode,
  normalizeEmail,
  normalizeFortnoxCustomer,
  normalizeName,
  normalizePhoneNumber,
  normalizePostalCode,
  normalizeSourceCustomer,
  parseOrganisationNumber,
  parsePersonalIdentityNumber,
  parseSourceCustomer,
  SourceCustomerSchema,
  toFortnoxCustomer,
  toFortnoxText,
} from '../../src/mapping/index.js';
import { phoneLikeArb, sourceCustomerArb, textArb } from './arbitraries.js';
import { garbageArb, garbageCustomerArb } from './garbage-arbitraries.js';

// Untyped callers: every public function must answer with a value, never throw.
const call = (fn: (...args: never[]) => unknown, ...args: unknown[]) =>
  (fn as (...rest: unknown[]) => unknown)(...args);

// Plausible customers too, so the deep paths (every field valid but one) are reached.
const inputArb = fc.oneof(garbageArb, textArb, phoneLikeArb, garbageCustomerArb, sourceCustomerArb);

describe('no public mapping function throws', () => {
  it('for the identifier parsers and normalisers', () => {
    fc.assert(
      fc.property(inputArb, inputArb, (input, extra) => {
        for (const fn of [
          parseOrganisationNumber,
          parsePersonalIdentityNumber,
          normalizePhoneNumber,
          normalizePostalCode,
          normalizeEmail,
          normalizeCountryCode,
          normalizeName,
        ]) {
          expect(() => call(fn, input)).not.toThrow();
          expect(() => call(fn, input, extra)).not.toThrow();
        }
        expect(() => call(toFortnoxText, input)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('for the customer mapping and helpers', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.oneof(garbageArb, fc.record({ previous: inputArb, now: garbageArb })),
        (input, options) => {
          expect(() => call(toFortnoxCustomer, input, options)).not.toThrow();
          expect(() => call(normalizeSourceCustomer, input, options)).not.toThrow();
          expect(() => call(parseSourceCustomer, input, options)).not.toThrow();
          expect(() => SourceCustomerSchema.safeParse(input)).not.toThrow();
          expect(() => call(fromFortnoxCustomer, input)).not.toThrow();
          expect(() => call(normalizeFortnoxCustomer, input, options)).not.toThrow();
          expect(() => call(fingerprint, input)).not.toThrow();
          expect(() => call(diffOwnedFields, input, options)).not.toThrow();
          expect(() => call(completeness, input)).not.toThrow();
          expect(() => call(fillFromMoreComplete, input, options)).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('and always answers an untyped customer with an ok or a typed error', () => {
    fc.assert(
      fc.property(garbageCustomerArb, (input) => {
        const result = parseSourceCustomer(input);
        if (result.isErr()) {
          expect(result.error.kind).toBe('mapping');
          expect(result.error.issues.length).toBeGreaterThan(0);
          for (const issue of result.error.issues) {
            expect(issue.userMessage.sv.length).toBeGreaterThan(0);
            expect(issue.userMessage.en.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
