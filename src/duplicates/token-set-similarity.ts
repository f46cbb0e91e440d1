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
  const pairs: { i: number; j: number; similarity: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      pairs.push({ i, j, similarity: jaroWinkler(a[i]!, b[j]!) });
    }
  }
  pairs.sort((x, y) => y.similarity - x.similarity || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let weighted = 0;
  let weights = 0;
  for (const pair of pairs) {
    if (usedA.has(pair.i) || usedB.has(pair.j)) continue;
    usedA.add(pair.i);
    usedB.add(pair.j);
    const weight = Math.max(a[pair.i]!.length, b[pair.j]!.length);
    weighted += pair.similarity * weight;
    weights += weight;
  }
  const matched = usedA.size;
  const unmatched = a.length + b.length - 2 * matched;
  const paired = (weighted / weights) * (matched / (matched + UNMATCHED_TOKEN_PENALTY * unmatched));
  const glued = a.length === b.length ? 0 : jaroWinkler(a.join(''), b.join(''));
  return Math.max(paired, glued);
}
