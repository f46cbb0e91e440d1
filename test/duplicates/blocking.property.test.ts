import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockingKeyHashes,
  blockingKeys,
  hashBlockingKey,
} from '../../src/duplicates/blocking-keys.js';
import { compareFeatures, compareIfPromising } from '../../src/duplicates/compare-features.js';
import { extractFeatures, type FeatureInput } from '../../src/duplicates/customer-features.js';
import { DEFAULT_DUPLICATE_OPTIONS } from '../../src/duplicates/index.js';
import { autoLinkReason } from '../../src/duplicates/link-rules.js';
import { createWeightTable } from '../../src/duplicates/score-match.js';
import { ORG, PNR } from './fixtures.js';

const weights = createWeightTable(DEFAULT_DUPLICATE_OPTIONS.probabilities);

/** Values written in the many ways real data holds them, typos in the first letter included. */
const input: fc.Arbitrary<FeatureInput> = fc.record({
  kind: fc.constantFrom('company', 'private', undefined),
  name: fc.constantFrom(
    'Anna Andersson',
    'Andersson, Anna',
    'Enna Andersson',
    'Anna Endersson',
    'Bygg & Måleri i Norr AB',
    'Bygg och Måleri i Norr Aktiebolag',
    'Gygg & Måleri i Norr',
  ),
  email: fc.constantFrom(undefined, 'anna@a.se', 'Anna@A.se', 'info@bygg.se'),
  phone: fc.constantFrom(
    undefined,
    '070-123 45 67',
    '+46 70 123 45 67',
    '0046 (0)70 1234567',
    '70 123 45 67',
    '08-123 456 78',
  ),
  street: fc.constantFrom(undefined, 'Storgatan 1', 'Storgatan 1 B'),
  postalCode: fc.constantFrom(undefined, '903 31', '90331'),
  city: fc.constantFrom(undefined, 'Umeå', 'Umea'),
  countryCode: fc.constantFrom(undefined, 'SE'),
  identityNumber: fc.constantFrom(
    undefined,
    ORG.volvo,
    'SE556036079301',
    '16556036-0793',
    PNR.a,
    PNR.a.slice(2),
  ),
});

describe('blocking', () => {
  it('puts every pair that links on an identity number, phone or e-mail in a shared block', () => {
    fc.assert(
      fc.property(input, input, (a, b) => {
        const featuresA = extractFeatures(a);
        const featuresB = extractFeatures(b);
        const evidence = compareFeatures(featuresA, featuresB, weights);
        const reason = autoLinkReason(
          featuresA,
          featuresB,
          evidence,
          DEFAULT_DUPLICATE_OPTIONS.linkThreshold,
        );
        // `name-and-address` rests on a near (not equal) contact and is found by name or address.
        fc.pre(reason !== undefined && reason !== 'name-and-address');
        const keysB = new Set(blockingKeys(featuresB));
        expect(blockingKeys(featuresA).some((key) => keysB.has(key))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hashed blocking keys', () => {
  it('are the hashes of the text keys, in the same order, without repeats', () => {
    fc.assert(
      fc.property(input, (a) => {
        const features = extractFeatures(a);
        const expected = [...new Set(blockingKeys(features).map(hashBlockingKey))];
        expect(blockingKeyHashes(features).hashes).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('compareIfPromising', () => {
  it('drops exactly the pairs below the bar that nothing else keeps, and scores the rest alike', () => {
    fc.assert(
      fc.property(
        input,
        input,
        fc.integer({ min: -10, max: 60 }),
        fc.boolean(),
        (a, b, minScore, sharedContacts) => {
          const [featuresA, featuresB] = [extractFeatures(a), extractFeatures(b)];
          const full = compareFeatures(featuresA, featuresB, weights);
          const pruned = compareIfPromising(featuresA, featuresB, weights, undefined, minScore, {
            sharedContacts,
          });
          const level = (field: string) => full.fields.find((f) => f.field === field)?.level;
          const shares =
            sharedContacts &&
            featuresA.kind !== 'company' &&
            featuresB.kind !== 'company' &&
            (level('phone') === 'agree' || level('email') === 'agree');
          const kept = full.score >= minScore || level('identity') === 'agree' || shares;
          if (kept) expect(pruned).toEqual(full);
          else expect(pruned).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });
});
