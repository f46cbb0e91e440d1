import { jaroWinkler } from './string-similarity.js';

/** Similarity matrices up to this many cells reuse one buffer (comparison is never re-entered). */
const SCRATCH_CELLS = 64;
const scratch = new Float64Array(SCRATCH_CELLS);

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
  const cells = a.length * b.length;
  const similarities = cells <= SCRATCH_CELLS ? scratch : new Float64Array(cells);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) similarities[i * b.length + j] = jaroWinkler(a[i]!, b[j]!);
  }
  // Greedy assignment, best pair first (lists are a few tokens long); used tokens as bit masks
  // while they fit, so a comparison allocates nothing.
  const masks = a.length <= 31 && b.length <= 31;
  const usedA = masks ? undefined : new Array<boolean>(a.length).fill(false);
  const usedB = masks ? undefined : new Array<boolean>(b.length).fill(false);
  let maskA = 0;
  let maskB = 0;
  let weighted = 0;
  let weights = 0;
  let matched = 0;
  const pairs = Math.min(a.length, b.length);
  while (matched < pairs) {
    let best = -1;
    let bestI = 0;
    let bestJ = 0;
    for (let i = 0; i < a.length; i++) {
      if (usedA ? usedA[i] : (maskA & (1 << i)) !== 0) continue;
      for (let j = 0; j < b.length; j++) {
        if (usedB ? usedB[j] : (maskB & (1 << j)) !== 0) continue;
        const cell = i * b.length + j;
        if (best < 0 || similarities[cell]! > similarities[best]!) {
          best = cell;
          bestI = i;
          bestJ = j;
        }
      }
    }
    if (usedA && usedB) {
      usedA[bestI] = true;
      usedB[bestJ] = true;
    } else {
      maskA |= 1 << bestI;
      maskB |= 1 << bestJ;
    }
    const weight = Math.max(a[bestI]!.length, b[bestJ]!.length);
    weighted += similarities[best]! * weight;
    weights += weight;
    matched++;
  }
  const unmatched = a.length + b.length - 2 * matched;
  const paired = (weighted / weights) * (matched / (matched + UNMATCHED_TOKEN_PENALTY * unmatched));
  const glued = a.length === b.length ? 0 : jaroWinkler(a.join(''), b.join(''));
  return Math.max(paired, glued);
}
