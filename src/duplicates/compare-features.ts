import type { CustomerFeatures } from './customer-features.js';
import type { ComparedField } from './duplicate-options.js';
import { isPersonPair } from './household-rule.js';
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

/** The fields in the order of `MatchEvidence.fields`. */
const FIELDS: readonly ComparedField[] = [
  'identity',
  'name',
  'email',
  'phone',
  'street',
  'postalCode',
  'city',
  'type',
];
const [IDENTITY, NAME, EMAIL, PHONE, STREET, POSTAL_CODE, CITY, TYPE] = [0, 1, 2, 3, 4, 5, 6, 7];

const LEVELS: readonly ComparisonLevel[] = ['agree', 'partial', 'disagree', 'missing'];
const [AGREE, PARTIAL, DISAGREE, MISSING] = [0, 1, 2, 3];
type Level = number;

/**
 * One comparison's outcomes, field by field (by position in {@link FIELDS}), filled before any
 * object is made: most compared pairs are dropped, and then cost no allocation. Comparison is
 * synchronous and never re-entered, so one scratch record serves every call.
 */
const scratch = {
  levels: new Uint8Array(FIELDS.length),
  similarities: new Array<number | undefined>(FIELDS.length).fill(undefined),
  weights: new Float64Array(FIELDS.length),
  /** The weights of the table in use, by field × 4 + level. */
  table: new Float64Array(FIELDS.length * LEVELS.length) as Float64Array,
};

/** The table's weights as a flat array (field × 4 + level), made once per table. */
const flatTables = new WeakMap<WeightTable, Float64Array>();
function flatWeights(w: WeightTable): Float64Array {
  let flat = flatTables.get(w);
  if (flat === undefined) {
    flat = new Float64Array(FIELDS.length * LEVELS.length);
    for (let at = 0; at < FIELDS.length; at++) {
      for (let level = 0; level < LEVELS.length; level++) {
        flat[at * LEVELS.length + level] = w[FIELDS[at]!][LEVELS[level]!];
      }
    }
    flatTables.set(w, flat);
  }
  return flat;
}

function set(at: number, level: Level, similarity: number | undefined): number {
  scratch.levels[at] = level;
  scratch.similarities[at] = similarity;
  const weight = scratch.table[at * 4 + level]!;
  scratch.weights[at] = weight;
  return weight;
}

function graded(_w: WeightTable, at: number, similarity: number): number {
  const level =
    similarity >= AGREE_SIMILARITY ? AGREE : similarity >= PARTIAL_SIMILARITY ? PARTIAL : DISAGREE;
  return set(at, level, similarity);
}

const missing = (_w: WeightTable, at: number) => set(at, MISSING, undefined);
const exact = (_w: WeightTable, at: number, equal: boolean) =>
  set(at, equal ? AGREE : DISAGREE, equal ? 1 : 0);
const near = (_w: WeightTable, at: number, isNear: boolean, similarity: number) =>
  set(at, isNear ? PARTIAL : DISAGREE, isNear ? similarity : 0);

function compareTokens(
  w: WeightTable,
  at: number,
  a: readonly string[],
  b: readonly string[],
  keyA: string,
  keyB: string,
): number {
  if (a.length === 0 || b.length === 0) return missing(w, at);
  return keyA === keyB ? exact(w, at, true) : graded(w, at, tokenSetSimilarity(a, b));
}

function compareEmail(w: WeightTable, a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return missing(w, EMAIL);
  if (a === b) return exact(w, EMAIL, true);
  const atA = a.indexOf('@');
  const atB = b.indexOf('@');
  const localA = atA < 0 ? a : a.slice(0, atA);
  const localB = atB < 0 ? b : b.slice(0, atB);
  // Same mailbox name at another provider, or one slip of the finger.
  const isNear =
    (localA === localB && localA.length >= 4) ||
    (a.slice(atA + 1) === b.slice(atB + 1) && isWithinOneEdit(localA, localB));
  return near(w, EMAIL, isNear, 0.9);
}

function comparePhone(w: WeightTable, a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return missing(w, PHONE);
  if (isSamePhone(a, b)) return exact(w, PHONE, true);
  return near(w, PHONE, a.length === b.length && isWithinOneEdit(a, b), 0.9);
}

function compareShort(
  w: WeightTable,
  at: number,
  a: string | undefined,
  b: string | undefined,
): number {
  if (a === undefined || b === undefined) return missing(w, at);
  if (a === b) return exact(w, at, true);
  return near(w, at, isWithinOneEdit(a, b), 0.8);
}

function compareCity(w: WeightTable, a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return missing(w, CITY);
  if (a === b) return exact(w, CITY, true);
  const similarity = jaroWinkler(a, b);
  // "gran ville" is "granville": compare without the spaces too.
  const spaced = a.includes(' ') || b.includes(' ');
  const unspaced = spaced ? jaroWinkler(a.replaceAll(' ', ''), b.replaceAll(' ', '')) : 0;
  return graded(w, CITY, Math.max(similarity, unspaced));
}

/**
 * The names compared: as persons' names when either side is a private person (nothing
 * stripped), else as company names (legal forms stripped).
 */
function namesOf(a: CustomerFeatures, b: CustomerFeatures) {
  const personal = a.kind === 'private' || b.kind === 'private';
  return personal
    ? ([a.personNameTokens, b.personNameTokens, a.personNameKey, b.personNameKey] as const)
    : ([a.nameTokens, b.nameTokens, a.nameKey, b.nameKey] as const);
}

/** What a candidate search keeps without asking for its score. */
export type KeepRule = {
  /** Keep a private person who shares the phone or e-mail, whatever the score. */
  readonly sharedContacts: boolean;
};

/**
 * Compares two customers like {@link compareFeatures}, but gives up (`undefined`) as soon as the
 * score can no longer reach `minScore`, unless the identity number agrees or `keep` says so: the
 * cheap exact fields are compared first, the graded name and street only while they can matter.
 */
export function compareIfPromising(
  a: CustomerFeatures,
  b: CustomerFeatures,
  weights: WeightTable,
  frequencies: NameFrequencies | undefined,
  minScore: number,
  keep: KeepRule = { sharedContacts: false },
): MatchEvidence | undefined {
  const w = weights;
  scratch.table = flatWeights(w);
  let score =
    (a.identity === undefined || b.identity === undefined
      ? missing(w, IDENTITY)
      : exact(w, IDENTITY, a.identity.slice(2) === b.identity.slice(2))) +
    compareEmail(w, a.email, b.email) +
    comparePhone(w, a.phone, b.phone) +
    compareShort(w, POSTAL_CODE, a.postalCode, b.postalCode) +
    compareCity(w, a.city, b.city) +
    (a.kind === undefined || b.kind === undefined
      ? missing(w, TYPE)
      : exact(w, TYPE, a.kind === b.kind));
  const kept =
    scratch.levels[IDENTITY] === AGREE ||
    (keep.sharedContacts &&
      (scratch.levels[PHONE] === AGREE || scratch.levels[EMAIL] === AGREE) &&
      isPersonPair(a, b));
  const [tokensA, tokensB, keyA, keyB] = namesOf(a, b);
  const hasStreet = a.streetTokens.length > 0 && b.streetTokens.length > 0;
  const streetAtBest = hasStreet ? w.street.agree : 0;
  // An agreeing name weighs by how common it is (the shorter name's tokens).
  const shorter = tokensA.length <= tokensB.length ? tokensA : tokensB;
  const nameAgreement =
    frequencies === undefined
      ? w.name.agree
      : nameAgreementWeight(shorter, w.nameAgreement, frequencies);
  if (!kept && score + Math.max(nameAgreement, 0) + streetAtBest < minScore) return undefined;
  compareTokens(w, NAME, tokensA, tokensB, keyA, keyB);
  if (scratch.levels[NAME] === AGREE) scratch.weights[NAME] = nameAgreement;
  score += scratch.weights[NAME]!;
  if (!kept && score + streetAtBest < minScore) return undefined;
  score += compareTokens(w, STREET, a.streetTokens, b.streetTokens, a.streetKey, b.streetKey);
  if (!kept && score < minScore) return undefined;
  const fields: FieldEvidence[] = [];
  for (let at = 0; at < FIELDS.length; at++) fields.push(fieldEvidence(w, at));
  return { score, fields };
}

/** Shared evidence of the outcomes that recur (every outcome but a graded similarity). */
const sharedEvidence = new WeakMap<WeightTable, (FieldEvidence | undefined)[]>();

/**
 * The evidence of one field of the scratch outcome. An outcome with a fixed similarity (none, 0,
 * 1, or a field's "near" value) and the table's weight is one frozen object shared by every
 * match: a run over 100 000 customers keeps one copy, not hundreds of thousands.
 */
function fieldEvidence(w: WeightTable, at: number): FieldEvidence {
  const levelCode = scratch.levels[at]!;
  const level = LEVELS[levelCode]!;
  const similarity = scratch.similarities[at];
  const weight = scratch.weights[at]!;
  const variant =
    similarity === undefined
      ? 0
      : similarity === 0
        ? 1
        : similarity === 1
          ? 2
          : similarity === 0.9 || similarity === 0.8
            ? 3
            : -1;
  const field = FIELDS[at]!;
  if (variant < 0 || weight !== w[field][level]) return { field, level, similarity, weight };
  let cache = sharedEvidence.get(w);
  if (cache === undefined) {
    cache = [];
    sharedEvidence.set(w, cache);
  }
  const slot = at * 16 + levelCode * 4 + variant;
  const shared = cache[slot];
  if (shared !== undefined) return shared;
  const created = Object.freeze({ field, level, similarity, weight });
  cache[slot] = created;
  return created;
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
  return compareIfPromising(a, b, weights, frequencies, Number.NEGATIVE_INFINITY)!;
}
