import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_BLANK, OWNED_CUSTOMER_FIELDS } from '../../src/fortnox/index.js';
import {
  COMPLETENESS_FIELDS,
  completeness,
  diffOwnedFields,
  fillFromMoreComplete,
  fingerprint,
  type NormalizedCustomer,
  normalizeSourceCustomer,
  toFortnoxCustomer,
} from '../../src/mapping/index.js';
import { NOW, sourceCustomerArb } from './arbitraries.js';

const normalizedArb = sourceCustomerArb
  .map((source) => normalizeSourceCustomer(source, { now: NOW }))
  .filter((result) => result.isOk())
  .map((result) => result._unsafeUnwrap());

describe('fingerprint, diffOwnedFields and toFortnoxCustomer agree', () => {
  it('the fingerprint changes exactly when an owned field differs', () => {
    let same = 0;
    let changed = 0;
    fc.assert(
      fc.property(
        normalizedArb,
        normalizedArb,
        fc.constantFrom(...OWNED_CUSTOMER_FIELDS),
        (customer, other, field) => {
          const edited: NormalizedCustomer = { ...customer, [field]: other[field] };
          const differs = diffOwnedFields(customer, edited).length > 0;
          if (differs) changed += 1;
          else same += 1;
          expect(fingerprint(edited) !== fingerprint(customer)).toBe(differs);
          expect(differs).toBe(customer[field] !== other[field]);
        },
      ),
      { numRuns: 300 },
    );
    // Both sides of the equivalence must have been exercised.
    expect(same).toBeGreaterThan(30);
    expect(changed).toBeGreaterThan(30);
  });

  it('an update sends exactly the differing fields, API_BLANK for the cleared ones', () => {
    fc.assert(
      fc.property(normalizedArb, sourceCustomerArb, (previous, source) => {
        const current = normalizeSourceCustomer(source, { now: NOW });
        const write = toFortnoxCustomer(source, { now: NOW, previous });
        expect(write.isOk()).toBe(current.isOk());
        if (current.isErr() || write.isErr()) return;
        const expected = Object.fromEntries(
          diffOwnedFields(previous, current.value).map(({ field, after }) => [
            field,
            after ?? API_BLANK,
          ]),
        );
        expect(write.value).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('completeness and fillFromMoreComplete', () => {
  it('filling never overwrites a value and never lowers completeness', () => {
    fc.assert(
      fc.property(normalizedArb, normalizedArb, (source, fortnox) => {
        const before = completeness(fortnox);
        expect(before.score).toBe(before.filled.length / COMPLETENESS_FIELDS.length);
        expect([...before.filled, ...before.missing].sort()).toEqual(
          [...COMPLETENESS_FIELDS].sort(),
        );
        const plan = fillFromMoreComplete(source, fortnox);
        for (const field of plan.fields) {
          expect(fortnox[field]).toBeNull();
          expect(plan.write[field]).toBe(source[field]);
        }
        // The write holds only completeness fields with the source's strings (checked above).
        const after = completeness({ ...fortnox, ...plan.write } as NormalizedCustomer);
        expect(after.score).toBe(before.score + plan.fields.length / COMPLETENESS_FIELDS.length);
        // The more complete data wins: whatever either side knew, the filled record knows.
        for (const field of completeness(source).filled) expect(after.filled).toContain(field);
      }),
      { numRuns: 200 },
    );
  });
});
