import type { ComparisonLevel } from './compare-features.js';
import type {
  ComparedField,
  FieldProbabilities,
  OutcomeProbabilities,
} from './duplicate-options.js';

/** One field's part of a match score. */
export type FieldEvidence = {
  readonly field: ComparedField;
  readonly level: ComparisonLevel;
  /** Graded similarity in [0, 1] where the field is graded (names, streets, cities). */
  readonly similarity: number | undefined;
  /** log2(m / u) of the outcome: positive for evidence of a match, negative against. */
  readonly weight: number;
};

/** The evidence that two customers are the same: per-field weights and their sum. */
export type MatchEvidence = {
  /** Sum of the field weights (bits of evidence); compare with the thresholds. */
  readonly score: number;
  readonly fields: readonly FieldEvidence[];
};

/** The log2 likelihood ratio of one comparison outcome. */
function outcomeWeight(level: ComparisonLevel, probabilities: FieldProbabilities): number {
  const { agree, partial } = probabilities;
  switch (level) {
    case 'agree':
      return Math.log2(agree.m / agree.u);
    case 'partial':
      return partial.m === 0 ? 0 : Math.log2(partial.m / partial.u);
    case 'disagree':
      return Math.log2((1 - agree.m - partial.m) / (1 - agree.u - partial.u));
    case 'missing':
      return 0;
  }
}

/**
 * Precomputed weight of every outcome of every field, and the name's agreement probabilities
 * (its agreement weight is refined by how common the name is, see `nameAgreementWeight`).
 */
export type WeightTable = Readonly<
  Record<ComparedField, Readonly<Record<ComparisonLevel, number>>>
> & { readonly nameAgreement: OutcomeProbabilities };

/** Computes the {@link WeightTable} of the given probabilities (once per resolver). */
export function createWeightTable(
  probabilities: Readonly<Record<ComparedField, FieldProbabilities>>,
): WeightTable {
  const table = { nameAgreement: probabilities.name.agree } as Record<
    ComparedField,
    Record<ComparisonLevel, number>
  > & { nameAgreement: OutcomeProbabilities };
  for (const [field, value] of Object.entries(probabilities) as [
    ComparedField,
    FieldProbabilities,
  ][]) {
    table[field] = {
      agree: outcomeWeight('agree', value),
      partial: outcomeWeight('partial', value),
      disagree: outcomeWeight('disagree', value),
      missing: 0,
    };
  }
  return table;
}
