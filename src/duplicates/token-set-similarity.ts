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
  const masks = a.length <= 31 && b.length <= 31;
  if (!masks) return tokenSetSimilarityOf(a, b);
  let maskA = 0;
  let maskB = 0;
  let weighted = 0;
  let weights = 0;
  let matched = 0;
  // Equal tokens first: they are the greedy's first picks (nothing beats a similarity of 1), in
  // the same order, and need no Jaro-Winkler.
  for (let i = 0; i < a.length; i++) {
    const token = a[i]!;
    for (let j = 0; j < b.length; j++) {
      if ((maskB & (1 << j)) !== 0 || b[j] !== token) continue;
      maskA |= 1 << i;
      maskB |= 1 << j;
      weighted += token.length;
      weights += token.length;
      matched++;
      break;
    }
  }
  const pairs = Math.min(a.length, b.length);
  if (matched < pairs) {
    const similarities =
      a.length * b.length <= SCRATCH_CELLS ? scratch : new Float64Array(a.length * b.length);
    for (let i = 0; i < a.length; i++) {
      if ((maskA & (1 << i)) !== 0) continue;
      for (let j = 0; j < b.length; j++) {
        if ((maskB & (1 << j)) === 0) similarities[i * b.length + j] = jaroWinkler(a[i]!, b[j]!);
      }
    }
    // Greedy assignment, best pair first (lists are a few tokens long).
    while (matched < pairs) {
      let best = -1;
      let bestI = 0;
      let bestJ = 0;
      for (let i = 0; i < a.length; i++) {
        if ((maskA & (1 << i)) !== 0) continue;
        for (let j = 0; j < b.length; j++) {
          if ((maskB & (1 << j)) !== 0) continue;
          const cell = i * b.length + j;
          if (best < 0 || similarities[cell]! > similarities[best]!) {
            best = cell;
            bestI = i;
            bestJ = j;
          }
        }
      }
      maskA |= 1 << bestI;
      maskB |= 1 << bestJ;
      const weight = Math.max(a[bestI]!.length, b[bestJ]!.length);
      weighted += similarities[best]! * weight;
      weights += weight;
      matched++;
    }
  }
  const unmatched = a.length + b.length - 2 * matched;
  const paired = (weighted / weights) * (matched / (matched + UNMATCHED_TOKEN_PENALTY * unmatched));
  const glued = a.length === b.length ? 0 : jaroWinkler(a.join(''), b.join(''));
  return Math.max(paired, glued);
}

/** The same for lists longer than 31 tokens (bit masks do not fit): plain arrays. */
function tokenSetSimilarityOf(a: readonly string[], b: readonly string[]): number {
  const similarities: number[] = [];
  for (const tokenA of a) for (const tokenB of b) similarities.push(jaroWinkler(tokenA, tokenB));
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
