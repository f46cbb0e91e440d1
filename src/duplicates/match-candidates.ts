import {
  blockingKeys,
  CITY_KEY,
  IDENTITY_KEY,
  NAME_KEY,
  PLACED_NAME_KEY,
} from './blocking-keys.js';
import { compareFeatures } from './compare-features.js';
import type { CustomerFeatures } from './customer-features.js';
import type { CustomerIndex, IndexedCustomer } from './customer-index.js';
import { sharesPersonalContact } from './household-rule.js';
import type { MatchEvidence, WeightTable } from './score-match.js';

/** An index entry scored against one customer. */
export type ScoredCandidate = {
  readonly entry: IndexedCustomer;
  readonly evidence: MatchEvidence;
};

/** The scored candidates of one customer, best first, and whether a block was too large. */
export type CandidateSearch = {
  readonly candidates: readonly ScoredCandidate[];
  /** Whether a block larger than `maxBlockSize` was skipped. */
  readonly limited: boolean;
  /** How many index entries were scored (the cost of the search). */
  readonly compared: number;
  /** The size of the largest block read. */
  readonly largestBlock: number;
};

const NUMBER = /^[1-9]\d*$/;

/** Orders customer numbers numerically where both are numbers ("9" before "10"). */
export function compareCustomerNumbers(a: string, b: string): number {
  const numeric = NUMBER.test(a) && NUMBER.test(b);
  if (numeric && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most complete first, then the lowest customer number: the deterministic pick among equals. */
export function compareSurvivorship(a: IndexedCustomer, b: IndexedCustomer): number {
  return (
    b.completeness - a.completeness || compareCustomerNumbers(a.customerNumber, b.customerNumber)
  );
}

/** Best score first; on a tie the more complete customer, then the lower customer number. */
export function compareCandidates(a: ScoredCandidate, b: ScoredCandidate): number {
  return b.evidence.score - a.evidence.score || compareSurvivorship(a.entry, b.entry);
}

/** Limits of one candidate search. */
export type SearchLimits = {
  /** Blocks larger than this are skipped (identity blocks excepted). */
  readonly maxBlockSize: number;
  /** Candidates scoring below this are dropped unless their identity number agrees. */
  readonly minScore: number;
  /** A customer number never returned (the customer itself, when auditing). */
  readonly exclude?: string;
  /** Keep a private person sharing the phone or e-mail whatever the score (to be asked about). */
  readonly keepSharedContacts?: boolean;
};

const identityAgrees = (evidence: MatchEvidence) =>
  evidence.fields.some((field) => field.field === 'identity' && field.level === 'agree');

/** A name block larger than this is read narrowed to the place (`nc:`) when the customer has one. */
const REFINE_NAME_BLOCK_SIZE = 8;
/** A fallback block by city larger than this is not read (nor warned about): other keys cover it. */
const CITY_BLOCK_SIZE = 24;

/**
 * Finds the index entries that share a blocking key with `features`, scores each once and keeps
 * those that can matter (score ≥ `minScore`, or an equal identity number). Identity blocks are
 * always read in full; a common name is read within the customer's place; a fallback block by
 * city only while small; other blocks larger than `maxBlockSize` are skipped.
 */
export function searchCandidates(
  features: CustomerFeatures,
  index: CustomerIndex,
  weights: WeightTable,
  limits: SearchLimits,
): CandidateSearch {
  const seen = new Set<IndexedCustomer>();
  const candidates: ScoredCandidate[] = [];
  let limited = false;
  let largestBlock = 0;
  const frequencies = { count: index.nameTokenCount, total: index.size };
  const keys = blockingKeys(features);
  const narrowed = keys.some((key) => key.startsWith(PLACED_NAME_KEY));
  for (const key of keys) {
    const block = index.block(key);
    if (narrowed && key.startsWith(NAME_KEY) && block.length > REFINE_NAME_BLOCK_SIZE) continue;
    if (key.startsWith(CITY_KEY) && block.length > CITY_BLOCK_SIZE) continue;
    if (block.length > limits.maxBlockSize && !key.startsWith(IDENTITY_KEY)) {
      limited = true;
      continue;
    }
    if (block.length > largestBlock) largestBlock = block.length;
    for (const entry of block) {
      if (seen.has(entry) || entry.customerNumber === limits.exclude) continue;
      seen.add(entry);
      const evidence = compareFeatures(features, entry.features, weights, frequencies);
      if (
        evidence.score >= limits.minScore ||
        identityAgrees(evidence) ||
        (limits.keepSharedContacts === true &&
          sharesPersonalContact(features, entry.features, evidence))
      ) {
        candidates.push({ entry, evidence });
      }
    }
  }
  candidates.sort(compareCandidates);
  return { candidates, limited, compared: seen.size, largestBlock };
}
