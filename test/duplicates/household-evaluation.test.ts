import { describe, expect, it } from 'vitest';
import { generateHeldOutLinkage } from '../../scripts/duplicate-sets/held-out-linkage.js';
import { generateHouseholds } from '../../scripts/duplicate-sets/households.js';
import { evaluateHouseholds, evaluateLinkage } from '../../scripts/eval-duplicates.js';
import { foldText } from '../../src/duplicates/index.js';

const tokens = (name: string) => foldText(name).split(' ');

describe('household set', () => {
  const set = generateHouseholds();

  it('is deterministic and holds what it promises: 1 000 housemates, 1 000 namesakes', () => {
    expect(generateHouseholds()).toEqual(set);
    expect(set.pairs.filter((pair) => pair.kind === 'housemate')).toHaveLength(1000);
    expect(set.pairs.filter((pair) => pair.kind === 'namesake')).toHaveLength(1000);
    const byNumber = new Map(set.fortnox.map((customer) => [customer.CustomerNumber, customer]));
    for (const { kind, customerNumber, other } of set.pairs) {
      const first = byNumber.get(customerNumber)!;
      const [givenA, surnameA] = tokens(first.Name!);
      const [givenB, surnameB] = tokens(other.name);
      expect(first.Phone).toBe(other.phone);
      if (kind === 'housemate') {
        expect([surnameA, first.Address1, first.ZipCode]).toEqual([
          surnameB,
          other.address?.street,
          other.address?.postalCode,
        ]);
        expect(givenA).not.toBe(givenB);
      } else {
        expect(givenA).toBe(givenB);
        expect(surnameA).not.toBe(surnameB);
      }
    }
  });

  it('links no housemate and no namesake to the other person (goal: zero)', () => {
    const result = evaluateHouseholds(set);
    expect(result.housemate.links).toBe(0);
    expect(result.namesake.links).toBe(0);
    // Each is a decision for a person: they share a phone.
    expect(result.housemate.asks).toBe(1000);
    expect(result.namesake.asks).toBe(1000);
  });
});

describe('held-out linkage set (a smaller draw than eval:duplicates)', () => {
  it('links precisely, links most true matches, and never a new household member', () => {
    const set = generateHeldOutLinkage({
      seed: 77,
      population: 6000,
      matches: 1500,
      newCustomers: 1500,
    });
    const result = evaluateLinkage(set);
    expect(result.matchable).toBe(1500);
    expect(result.housemateLinks).toBe(0);
    expect(result.linkPrecision).toBeGreaterThanOrEqual(0.995);
    expect(result.linkRecall).toBeGreaterThan(0.8);
    expect(result.reviewRecall).toBeGreaterThan(0.95);
  });
});
