import { blockingKeys } from './blocking-keys.js';
import { compareFeatures } from './compare-features.js';
import type { CustomerFeatures } from './customer-features.js';
import type { CustomerIndex, IndexedCustomer } from './customer-index.js';
import { type MatchEvidence, scoreComparisons, type WeightTable } from './score-match.js';

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
};

/** Orders customer numbers numerically where both are numbers ("9" before "10"). */
export function compareCustomerNumbers(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Best score first; on a tie the more complete customer, then the lower customer number. */
export function compareCandidates(a: ScoredCandidate, b: ScoredCandidate): number {
  return (
    b.evidence.score - a.evidence.score ||
    b.entry.completeness - a.entry.completeness ||
    compareCustomerNumbers(a.entry.customerNumber, b.entry.customerNumber)
  );
}

/**
 * Finds the index entries that share a blocking key with `features` and scores each once.
 * Identity blocks are always read in full; other blocks larger than `maxBlockSize` are skipped.
 */
export function searchCandidates(
  features: CustomerFeatures,
  index: CustomerIndex,
  weights: WeightTable,
  maxBlockSize: number,
  exclude?: string,
): CandidateSearch {
  const seen = new Set<IndexedCustomer>();
  const candidates: ScoredCandidate[] = [];
  let limited = false;
  for (const key of blockingKeys(features)) {
    const block = index.block(key);
    if (block.length > maxBlockSize && !key.startsWith('i:')) {
      limited = true;
      continue;
    }
    for (const entry of block) {
      if (seen.has(entry) || entry.customerNumber === exclude) continue;
      seen.add(entry);
      candidates.push({
        entry,
        evidence: scoreComparisons(compareFeatures(features, entry.features), weights),
      });
    }
  }
  candidates.sort(compareCandidates);
  return { candidates, limited };
}
