import {
  blockingKeyHashes,
  blockingKeys,
  IDENTITY_KEY,
  KeyKind,
  NAME_KEY,
  PLACED_NAME_KEY,
} from './blocking-keys.js';
import { compareIfPromising, type KeepRule } from './compare-features.js';
import type { CustomerFeatures } from './customer-features.js';
import {
  type Block,
  type CustomerIndex,
  type IndexedCustomer,
  internalsOf,
  nameFrequenciesOf,
} from './customer-index.js';
import type { NameFrequencies } from './name-frequency.js';
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

/** A name block larger than this is read narrowed to the place (`nc:`) when the customer has one. */
const REFINE_NAME_BLOCK_SIZE = 8;
/** A fallback block by city larger than this is not read (nor warned about): other keys cover it. */
const CITY_BLOCK_SIZE = 12;

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
  const search: Search = {
    features,
    weights,
    limits,
    frequencies: nameFrequenciesOf(index),
    // A private person sharing the phone or e-mail is asked about whatever the score.
    keep: limits.keepSharedContacts === true ? KEEP_SHARED : KEEP_NONE,
    seen: new Set<IndexedCustomer>(),
    candidates: [],
  };
  let limited = false;
  let largestBlock = 0;
  const { kinds, blocks } = blocksOf(features, index);
  const narrowed = kinds.includes(KeyKind.PlacedName);
  for (let k = 0; k < blocks.length; k++) {
    const block = blocks[k];
    if (block === undefined) continue;
    const kind = kinds[k];
    const size = Array.isArray(block) ? block.length : 1;
    if (narrowed && kind === KeyKind.Name && size > REFINE_NAME_BLOCK_SIZE) continue;
    if (kind === KeyKind.City && size > CITY_BLOCK_SIZE) continue;
    if (size > limits.maxBlockSize && kind !== KeyKind.Identity) {
      limited = true;
      continue;
    }
    if (size > largestBlock) largestBlock = size;
    if (Array.isArray(block)) for (const entry of block) consider(search, entry);
    else consider(search, block);
  }
  search.candidates.sort(compareCandidates);
  return { candidates: search.candidates, limited, compared: search.seen.size, largestBlock };
}

const KEEP_SHARED: KeepRule = { sharedContacts: true };
const KEEP_NONE: KeepRule = { sharedContacts: false };

/** One search's state (no closure per search: this runs once per customer). */
type Search = {
  readonly features: CustomerFeatures;
  readonly weights: WeightTable;
  readonly limits: SearchLimits;
  readonly frequencies: NameFrequencies | undefined;
  readonly keep: KeepRule;
  readonly seen: Set<IndexedCustomer>;
  readonly candidates: ScoredCandidate[];
};

/** Scores an entry once and keeps it when it can matter. */
function consider(search: Search, entry: IndexedCustomer): void {
  if (search.seen.has(entry) || entry.customerNumber === search.limits.exclude) return;
  search.seen.add(entry);
  const evidence = compareIfPromising(
    search.features,
    entry.features,
    search.weights,
    search.frequencies,
    search.limits.minScore,
    search.keep,
  );
  if (evidence !== undefined) search.candidates.push({ entry, evidence });
}

/** The blocks of a customer's keys, by hash in an index of ours, else by the text keys. */
function blocksOf(
  features: CustomerFeatures,
  index: CustomerIndex,
): { kinds: readonly KeyKind[]; blocks: (Block | undefined)[] } {
  const inner = internalsOf(index);
  if (inner !== undefined) {
    const { hashes, kinds } = blockingKeyHashes(features);
    return { kinds, blocks: hashes.map(inner.blockOf) };
  }
  const keys = blockingKeys(features);
  return {
    kinds: keys.map(kindOfKey),
    blocks: keys.map((key) => {
      const block = index.block(key);
      return block.length === 0 ? undefined : [...block];
    }),
  };
}

function kindOfKey(key: string): KeyKind {
  if (key.startsWith(IDENTITY_KEY)) return KeyKind.Identity;
  if (key.startsWith(PLACED_NAME_KEY)) return KeyKind.PlacedName;
  if (key.startsWith(NAME_KEY)) return KeyKind.Name;
  if (key.startsWith('e:')) return KeyKind.Email;
  if (key.startsWith('t:')) return KeyKind.Phone;
  if (key.startsWith('c')) return KeyKind.City;
  return KeyKind.Postal;
}
