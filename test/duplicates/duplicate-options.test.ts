import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DUPLICATE_OPTIONS,
  normalizeDuplicateOptions,
} from '../../src/duplicates/index.js';
import { createWeightTable } from '../../src/duplicates/score-match.js';

describe('normalizeDuplicateOptions', () => {
  it('applies the defaults and keeps what is given', () => {
    expect(normalizeDuplicateOptions()).toEqual(DEFAULT_DUPLICATE_OPTIONS);
    const phone = { agree: { m: 0.8, u: 1e-4 }, partial: { m: 0.1, u: 1e-3 } };
    const resolved = normalizeDuplicateOptions({ linkThreshold: 25, probabilities: { phone } });
    expect(resolved.linkThreshold).toBe(25);
    expect(resolved.askThreshold).toBe(DEFAULT_DUPLICATE_OPTIONS.askThreshold);
    expect(resolved.probabilities.phone).toBe(phone);
    expect(resolved.probabilities.name).toEqual(DEFAULT_DUPLICATE_OPTIONS.probabilities.name);
  });

  it('throws a TypeError that shows a correct call on misconfiguration', () => {
    expect(() => normalizeDuplicateOptions({ askThreshold: 30, linkThreshold: 20 })).toThrow(
      /askThreshold: 10/,
    );
    expect(() => normalizeDuplicateOptions({ maxCandidates: 0 })).toThrow(TypeError);
    expect(() => normalizeDuplicateOptions({ maxBlockSize: 1.5 })).toThrow(TypeError);
    expect(() => normalizeDuplicateOptions({ linkThreshold: Number.NaN })).toThrow(TypeError);
    expect(() => normalizeDuplicateOptions({ fillPolicy: 'always' as 'overwrite' })).toThrow(
      /fillPolicy/,
    );
    expect(() => normalizeDuplicateOptions({ now: new Date('nope') })).toThrow(/now/);
    expect(() =>
      normalizeDuplicateOptions({
        probabilities: { email: { agree: { m: 0.9, u: 0 }, partial: { m: 0, u: 0 } } },
      }),
    ).toThrow(/probabilities.email/);
  });
});

describe('weights', () => {
  it('are log2 likelihood ratios: agreement for, disagreement against, missing neutral', () => {
    const weights = createWeightTable(DEFAULT_DUPLICATE_OPTIONS.probabilities);
    const { agree, partial } = DEFAULT_DUPLICATE_OPTIONS.probabilities.phone;
    expect(weights.phone.agree).toBeCloseTo(Math.log2(agree.m / agree.u));
    expect(weights.phone.disagree).toBeCloseTo(
      Math.log2((1 - agree.m - partial.m) / (1 - agree.u - partial.u)),
    );
    expect(weights.phone.missing).toBe(0);
    // A different identity number is the strongest evidence against.
    const fields = Object.keys(DEFAULT_DUPLICATE_OPTIONS.probabilities).map(
      (field) => weights[field as keyof typeof DEFAULT_DUPLICATE_OPTIONS.probabilities],
    );
    const against = fields.map((field) => field.disagree);
    expect(weights.identity.disagree).toBe(Math.min(...against));
    for (const field of fields) {
      expect(field.agree).toBeGreaterThan(0);
      expect(field.disagree).toBeLessThan(0);
    }
  });
});
