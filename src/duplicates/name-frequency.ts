import type { OutcomeProbabilities } from './duplicate-options.js';
import type { NameTokenCount } from './household-rule.js';

/** How common each name token is among the customers of an index. */
export type NameFrequencies = {
  /** Customers whose name holds the token. */
  readonly count: NameTokenCount;
  /** Customers in the index. */
  readonly total: number;
};

/**
 * Weight of the prior in pseudo-customers: a small index says little about how common a name is,
 * so its counts are shrunk towards the configured `name.agree.u`; a large one speaks for itself.
 */
const PRIOR_CUSTOMERS = 2000;
/** Bounds of a name's chance agreement: no name is that rare or that common. */
const MIN_NAME_U = 1e-7;
const MAX_NAME_U = 0.05;

/**
 * The evidence weight (log2 m/u) of two names that agree, from how common their tokens are in
 * the index (Winkler's frequency-based weights): "Anna Andersson" agrees by chance far more often
 * than "Ebba Hedqvist", so it weighs less. Each token's share of the customers is estimated from
 * the index, shrunk towards the configured chance agreement (`u`, split evenly over the tokens),
 * and the tokens are taken as independent. Without frequencies, the configured weight.
 */
export function nameAgreementWeight(
  tokens: readonly string[],
  agreement: OutcomeProbabilities,
  frequencies: NameFrequencies | undefined,
): number {
  if (frequencies === undefined || tokens.length === 0) return Math.log2(agreement.m / agreement.u);
  const prior = agreement.u ** (1 / tokens.length);
  let u = 1;
  for (const token of tokens) {
    u *=
      (frequencies.count(token) + PRIOR_CUSTOMERS * prior) / (frequencies.total + PRIOR_CUSTOMERS);
  }
  return Math.log2(agreement.m / Math.min(MAX_NAME_U, Math.max(MIN_NAME_U, u)));
}
