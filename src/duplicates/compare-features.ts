import type { CustomerFeatures } from './customer-features.js';
import type { ComparedField } from './duplicate-options.js';
import { damerauLevenshtein, jaroWinkler } from './string-similarity.js';
import { tokenSetSimilarity } from './token-set-similarity.js';

/** How two values of one field compare. `missing`: at least one side has no value. */
export type ComparisonLevel = 'agree' | 'partial' | 'disagree' | 'missing';

/** One field's comparison: its level and, where it is graded, the similarity in [0, 1]. */
export type FieldComparison = {
  readonly field: ComparedField;
  readonly level: ComparisonLevel;
  readonly similarity: number | undefined;
};

/** Similarity from which two names or streets agree (spelling variants, one typo, order). */
const AGREE_SIMILARITY = 0.94;
/** Similarity from which two names or streets partly agree. */
const PARTIAL_SIMILARITY = 0.85;
/** Phones are equal when their last digits are (country prefix written or not). */
const PHONE_SUFFIX_DIGITS = 8;

function graded(field: ComparedField, similarity: number): FieldComparison {
  const level =
    similarity >= AGREE_SIMILARITY
      ? 'agree'
      : similarity >= PARTIAL_SIMILARITY
        ? 'partial'
        : 'disagree';
  return { field, level, similarity };
}

function missing(field: ComparedField): FieldComparison {
  return { field, level: 'missing', similarity: undefined };
}

function exact(field: ComparedField, equal: boolean): FieldComparison {
  return { field, level: equal ? 'agree' : 'disagree', similarity: equal ? 1 : 0 };
}

function compareTokens(field: ComparedField, a: readonly string[], b: readonly string[]) {
  if (a.length === 0 || b.length === 0) return missing(field);
  return graded(field, tokenSetSimilarity(a, b));
}

function compareEmail(a: string | undefined, b: string | undefined): FieldComparison {
  if (a === undefined || b === undefined) return missing('email');
  if (a === b) return exact('email', true);
  const [localA = '', domainA = ''] = a.split('@');
  const [localB = '', domainB = ''] = b.split('@');
  // Same mailbox name at another provider, or one slip of the finger.
  const near =
    (localA === localB && localA.length >= 4) ||
    (domainA === domainB && damerauLevenshtein(localA, localB) <= 1);
  return { field: 'email', level: near ? 'partial' : 'disagree', similarity: near ? 0.9 : 0 };
}

function comparePhone(a: string | undefined, b: string | undefined): FieldComparison {
  if (a === undefined || b === undefined) return missing('phone');
  if (a.slice(-PHONE_SUFFIX_DIGITS) === b.slice(-PHONE_SUFFIX_DIGITS)) return exact('phone', true);
  const near = a.length === b.length && damerauLevenshtein(a, b) <= 1;
  return { field: 'phone', level: near ? 'partial' : 'disagree', similarity: near ? 0.9 : 0 };
}

function compareShort(field: ComparedField, a: string | undefined, b: string | undefined) {
  if (a === undefined || b === undefined) return missing(field);
  if (a === b) return exact(field, true);
  const near = damerauLevenshtein(a, b) <= 1;
  return { field, level: near ? 'partial' : 'disagree', similarity: near ? 0.8 : 0 } as const;
}

function compareCity(a: string | undefined, b: string | undefined): FieldComparison {
  if (a === undefined || b === undefined) return missing('city');
  return graded(
    'city',
    Math.max(jaroWinkler(a, b), jaroWinkler(a.replaceAll(' ', ''), b.replaceAll(' ', ''))),
  );
}

/** Compares two customers field by field. */
export function compareFeatures(a: CustomerFeatures, b: CustomerFeatures): FieldComparison[] {
  return [
    a.identity === undefined || b.identity === undefined
      ? missing('identity')
      : exact('identity', a.identity.slice(2) === b.identity.slice(2)),
    compareTokens('name', a.nameTokens, b.nameTokens),
    compareEmail(a.email, b.email),
    comparePhone(a.phone, b.phone),
    compareTokens('street', a.streetTokens, b.streetTokens),
    compareShort('postalCode', a.postalCode, b.postalCode),
    compareCity(a.city, b.city),
    a.kind === undefined || b.kind === undefined
      ? missing('type')
      : exact('type', a.kind === b.kind),
  ];
}
