import type { CustomerFeatures } from './customer-features.js';
import type { ComparedField } from './duplicate-options.js';
import { type NameFrequencies, nameAgreementWeight } from './name-frequency.js';
import type { FieldEvidence, MatchEvidence, WeightTable } from './score-match.js';
import { isWithinOneEdit, jaroWinkler } from './string-similarity.js';
import { tokenSetSimilarity } from './token-set-similarity.js';

/** How two values of one field compare. `missing`: at least one side has no value. */
export type ComparisonLevel = 'agree' | 'partial' | 'disagree' | 'missing';

/** Similarity from which two names or streets agree (spelling variants, one typo, order). */
const AGREE_SIMILARITY = 0.94;
/** Similarity from which two names or streets partly agree. */
const PARTIAL_SIMILARITY = 0.85;
/**
 * A phone written without its country code still agrees when this many digits or more of it end
 * the other; fewer could be another area's subscriber number.
 */
export const MIN_PHONE_SUFFIX_DIGITS = 8;

/** Equal digits, or one number is the other without its country or trunk prefix. */
function isSamePhone(a: string, b: string): boolean {
  if (a === b) return true;
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.length >= MIN_PHONE_SUFFIX_DIGITS && longer.endsWith(shorter);
}

function outcome(
  w: WeightTable,
  field: ComparedField,
  level: ComparisonLevel,
  similarity: number | undefined,
): FieldEvidence {
  return { field, level, similarity, weight: w[field][level] };
}

function graded(w: WeightTable, field: ComparedField, similarity: number): FieldEvidence {
  const level =
    similarity >= AGREE_SIMILARITY
      ? 'agree'
      : similarity >= PARTIAL_SIMILARITY
        ? 'partial'
        : 'disagree';
  return outcome(w, field, level, similarity);
}

function missing(w: WeightTable, field: ComparedField): FieldEvidence {
  return outcome(w, field, 'missing', undefined);
}

function exact(w: WeightTable, field: ComparedField, equal: boolean): FieldEvidence {
  return outcome(w, field, equal ? 'agree' : 'disagree', equal ? 1 : 0);
}

function near(
  w: WeightTable,
  field: ComparedField,
  isNear: boolean,
  similarity: number,
): FieldEvidence {
  return outcome(w, field, isNear ? 'partial' : 'disagree', isNear ? similarity : 0);
}

function compareTokens(
  w: WeightTable,
  field: ComparedField,
  a: readonly string[],
  b: readonly string[],
  keyA: string,
  keyB: string,
): FieldEvidence {
  if (a.length === 0 || b.length === 0) return missing(w, field);
  return keyA === keyB ? exact(w, field, true) : graded(w, field, tokenSetSimilarity(a, b));
}

/**
 * Compares the names: as persons' names when either side is a private person (nothing stripped),
 * else as company names (legal forms stripped). An agreeing name weighs by how common it is.
 */
function compareNames(
  w: WeightTable,
  a: CustomerFeatures,
  b: CustomerFeatures,
  frequencies: NameFrequencies | undefined,
): FieldEvidence {
  const personal = a.kind === 'private' || b.kind === 'private';
  const tokensA = personal ? a.personNameTokens : a.nameTokens;
  const tokensB = personal ? b.personNameTokens : b.nameTokens;
  const evidence = compareTokens(
    w,
    'name',
    tokensA,
    tokensB,
    personal ? a.personNameKey : a.nameKey,
    personal ? b.personNameKey : b.nameKey,
  );
  if (evidence.level !== 'agree' || frequencies === undefined) return evidence;
  const shorter = tokensA.length <= tokensB.length ? tokensA : tokensB;
  return { ...evidence, weight: nameAgreementWeight(shorter, w.nameAgreement, frequencies) };
}

function compareEmail(w: WeightTable, a: string | undefined, b: string | undefined): FieldEvidence {
  if (a === undefined || b === undefined) return missing(w, 'email');
  if (a === b) return exact(w, 'email', true);
  const [localA = '', domainA = ''] = a.split('@');
  const [localB = '', domainB = ''] = b.split('@');
  // Same mailbox name at another provider, or one slip of the finger.
  const isNear =
    (localA === localB && localA.length >= 4) ||
    (domainA === domainB && isWithinOneEdit(localA, localB));
  return near(w, 'email', isNear, 0.9);
}

function comparePhone(w: WeightTable, a: string | undefined, b: string | undefined): FieldEvidence {
  if (a === undefined || b === undefined) return missing(w, 'phone');
  if (isSamePhone(a, b)) return exact(w, 'phone', true);
  return near(w, 'phone', a.length === b.length && isWithinOneEdit(a, b), 0.9);
}

function compareShort(
  w: WeightTable,
  field: ComparedField,
  a: string | undefined,
  b: string | undefined,
): FieldEvidence {
  if (a === undefined || b === undefined) return missing(w, field);
  if (a === b) return exact(w, field, true);
  return near(w, field, isWithinOneEdit(a, b), 0.8);
}

function compareCity(w: WeightTable, a: string | undefined, b: string | undefined): FieldEvidence {
  if (a === undefined || b === undefined) return missing(w, 'city');
  if (a === b) return exact(w, 'city', true);
  const similarity = jaroWinkler(a, b);
  // "gran ville" is "granville": compare without the spaces too.
  const spaced = a.includes(' ') || b.includes(' ');
  const unspaced = spaced ? jaroWinkler(a.replaceAll(' ', ''), b.replaceAll(' ', '')) : 0;
  return graded(w, 'city', Math.max(similarity, unspaced));
}

/**
 * Compares two customers field by field and weighs each outcome (Fellegi–Sunter: the fields are
 * taken as independent, so the score is the sum of the weights). With `frequencies` (from the
 * index), an agreeing name weighs by how common it is; without, the configured weight.
 */
export function compareFeatures(
  a: CustomerFeatures,
  b: CustomerFeatures,
  weights: WeightTable,
  frequencies?: NameFrequencies,
): MatchEvidence {
  const w = weights;
  const fields = [
    a.identity === undefined || b.identity === undefined
      ? missing(w, 'identity')
      : exact(w, 'identity', a.identity.slice(2) === b.identity.slice(2)),
    compareNames(w, a, b, frequencies),
    compareEmail(w, a.email, b.email),
    comparePhone(w, a.phone, b.phone),
    compareTokens(w, 'street', a.streetTokens, b.streetTokens, a.streetKey, b.streetKey),
    compareShort(w, 'postalCode', a.postalCode, b.postalCode),
    compareCity(w, a.city, b.city),
    a.kind === undefined || b.kind === undefined
      ? missing(w, 'type')
      : exact(w, 'type', a.kind === b.kind),
  ];
  let score = 0;
  for (const field of fields) score += field.weight;
  return { score, fields };
}
