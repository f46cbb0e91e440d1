import { jaroWinkler } from './string-similarity.js';

/** How much each token without a partner lowers the score (a middle name, a missing surname). */
const UNMATCHED_TOKEN_PENALTY = 0.1;

/**
 * Similarity of two token lists in [0, 1] that ignores token order: tokens are paired greedily by
 * Jaro-Winkler similarity, the pair scores are averaged (weighted by token length), and every
 * token left without a partner lowers the result a little. The tokens glued together are compared
 * as well, so "annakarin" still meets "anna karin".
 *
 * @example tokenSetSimilarity(['andersson', 'anna'], ['anna', 'andersson']) // 1
 */
export function tokenSetSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const similarities: number[] = [];
  for (const tokenA of a) for (const tokenB of b) similarities.push(jaroWinkler(tokenA, tokenB));
  // Greedy assignment, best pair first (lists are a few tokens long).
  const usedA = new Array<boolean>(a.length).fill(false);
  const usedB = new Array<boolean>(b.length).fill(false);
  let weighted = 0;
  let weights = 0;
  let matched = 0;
  const pairs = Math.min(a.length, b.length);
  while (matched < pairs) {
    let best = -1;
    for (let cell = 0; cell < similarities.length; cell++) {
      const i = Math.floor(cell / b.length);
      const j = cell % b.length;
      if (usedA[i] || usedB[j]) continue;
      if (best < 0 || similarities[cell]! > similarities[best]!) best = cell;
    }
    const i = Math.floor(best / b.length);
    const j = best % b.length;
    usedA[i] = true;
    usedB[j] = true;
    const weight = Math.max(a[i]!.length, b[j]!.length);
    weighted += similarities[best]! * weight;
    weights += weight;
    matched++;
  }
  const unmatched = a.length + b.length - 2 * matched;
  const paired = (weighted / weights) * (matched / (matched + UNMATCHED_TOKEN_PENALTY * unmatched));
  const glued = a.length === b.length ? 0 : jaroWinkler(a.join(''), b.join(''));
  return Math.max(paired, glued);
}
