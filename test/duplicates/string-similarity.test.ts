import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jaroWinkler, tokenSetSimilarity } from '../../src/duplicates/index.js';
import { isWithinOneEdit } from '../../src/duplicates/string-similarity.js';
import { damerauLevenshtein } from './support/damerau-levenshtein.js';

describe('jaroWinkler', () => {
  it('matches the published reference values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 4);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'a')).toBe(0);
  });

  it('computes strings longer than 32 characters exactly as short ones', () => {
    // 36 matches, one transposition, common prefix 4: (1 + 1 + 35/36) / 3 + 0.4 × (1 − jaro).
    const jaro = (2 + 35 / 36) / 3;
    const prefix = 'x'.repeat(30);
    expect(jaroWinkler(`${prefix}martha`, `${prefix}marhta`)).toBeCloseTo(
      jaro + 0.4 * (1 - jaro),
      10,
    );
  });

  it('is symmetric, bounded and 1 exactly for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const ab = jaroWinkler(a, b);
        expect(ab).toBeCloseTo(jaroWinkler(b, a), 10);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        if (a === b) expect(ab).toBe(1);
      }),
    );
  });
});

describe('damerauLevenshtein', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(damerauLevenshtein('0701234567', '0701243567')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3);
  });

  it('agrees with isWithinOneEdit', () => {
    const short = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 });
    fc.assert(
      fc.property(short, short, (a, b) => {
        expect(isWithinOneEdit(a, b)).toBe(damerauLevenshtein(a, b) <= 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('tokenSetSimilarity', () => {
  it('ignores token order and tolerates a typo or a middle name', () => {
    expect(tokenSetSimilarity(['andersson', 'anna'], ['anna', 'andersson'])).toBe(1);
    expect(
      tokenSetSimilarity(['anna', 'maria', 'andersson'], ['anna', 'andersson']),
    ).toBeGreaterThan(0.94);
    expect(tokenSetSimilarity(['masno', 'madeline'], ['madeline', 'mason'])).toBeGreaterThan(0.94);
    expect(tokenSetSimilarity(['annakarin', 'berg'], ['anna', 'karin', 'berg'])).toBeGreaterThan(
      0.85,
    );
  });

  it('keeps different people apart', () => {
    expect(tokenSetSimilarity(['anna', 'andersson'], ['erik', 'andersson'])).toBeLessThan(0.85);
    expect(tokenSetSimilarity(['isabelle'], ['isabelle', 'smith'])).toBeLessThan(0.94);
    expect(tokenSetSimilarity([], ['a'])).toBe(0);
  });

  it('scores any order of the same tokens as 1', () => {
    const tokens = fc.array(
      fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 1, maxLength: 6 }),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(tokens, (a) => {
        expect(tokenSetSimilarity(a, [...a].reverse())).toBeCloseTo(1, 10);
      }),
    );
  });
});

describe('tokenSetSimilarity, fast path', () => {
  /** The plain greedy over the full Jaro-Winkler matrix, as first written. */
  function reference(a: readonly string[], b: readonly string[]): number {
    if (a.length === 0 || b.length === 0) return 0;
    const similarities: number[] = [];
    for (const x of a) for (const y of b) similarities.push(jaroWinkler(x, y));
    const usedA = a.map(() => false);
    const usedB = b.map(() => false);
    let weighted = 0;
    let weights = 0;
    let matched = 0;
    while (matched < Math.min(a.length, b.length)) {
      let best = -1;
      for (let cell = 0; cell < similarities.length; cell++) {
        const [i, j] = [Math.floor(cell / b.length), cell % b.length];
        if (usedA[i] || usedB[j]) continue;
        if (best < 0 || similarities[cell]! > similarities[best]!) best = cell;
      }
      const [i, j] = [Math.floor(best / b.length), best % b.length];
      usedA[i] = true;
      usedB[j] = true;
      const weight = Math.max(a[i]!.length, b[j]!.length);
      weighted += similarities[best]! * weight;
      weights += weight;
      matched++;
    }
    const unmatched = a.length + b.length - 2 * matched;
    const paired = (weighted / weights) * (matched / (matched + 0.1 * unmatched));
    const glued = a.length === b.length ? 0 : jaroWinkler(a.join(''), b.join(''));
    return Math.max(paired, glued);
  }

  it('gives exactly what the plain greedy gives (equal tokens first, no allocation)', () => {
    const token = fc.constantFrom(
      'anna',
      'ana',
      'andersson',
      'anderson',
      'karin',
      'berg',
      'b',
      'lund',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 5 }), fc.array(token, { maxLength: 5 }), (a, b) => {
        expect(tokenSetSimilarity(a, b)).toBe(reference(a, b));
      }),
      { numRuns: 3000 },
    );
    const long = Array.from({ length: 40 }, (_, k) => `t${k}`);
    expect(tokenSetSimilarity(long, [...long].reverse())).toBe(
      reference(long, [...long].reverse()),
    );
  });
});
