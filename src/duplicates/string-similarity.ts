/** Strings up to this length keep their matched flags in one 32-bit mask instead of an array. */
const MASK_LENGTH = 32;

function jaroMatches(a: string, b: string): { matches: number; transpositions: number } {
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const small = a.length <= MASK_LENGTH && b.length <= MASK_LENGTH;
  const flagsA = small ? undefined : new Uint8Array(a.length);
  const flagsB = small ? undefined : new Uint8Array(b.length);
  let maskA = 0;
  let maskB = 0;
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const to = Math.min(b.length - 1, i + window);
    for (let j = Math.max(0, i - window); j <= to; j++) {
      const taken = flagsB ? flagsB[j] === 1 : (maskB & (1 << j)) !== 0;
      if (taken || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      if (flagsA && flagsB) {
        flagsA[i] = 1;
        flagsB[j] = 1;
      } else {
        maskA |= 1 << i;
        maskB |= 1 << j;
      }
      matches++;
      break;
    }
  }
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length && matches > 0; i++) {
    if (flagsA ? flagsA[i] === 0 : (maskA & (1 << i)) === 0) continue;
    while (flagsB ? flagsB[k] === 0 : (maskB & (1 << k)) === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  return { matches, transpositions: transpositions / 2 };
}

/**
 * Jaro-Winkler similarity in [0, 1]: 1 for equal strings, high for strings sharing a prefix and
 * most characters in roughly the same order (typical of name typos).
 *
 * @example jaroWinkler('martha', 'marhta') // ≈ 0.961
 */
export function jaroWinkler(a: string, b: string, prefixScale = 0.1): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const { matches, transpositions } = jaroMatches(a, b);
  if (matches === 0) return 0;
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
  let prefix = 0;
  const maxPrefix = Math.min(4, a.length, b.length);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * prefixScale * (1 - jaro);
}

/**
 * Whether two strings are at most one edit apart (an insertion, a deletion, a substitution or a
 * swap of two adjacent characters): the optimal-string-alignment distance is at most 1, in linear time.
 */
export function isWithinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start))
    start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const restA = endA - start;
  const restB = endB - start;
  if (restA <= 1 && restB <= 1) return true;
  return (
    restA === 2 &&
    restB === 2 &&
    a.charCodeAt(start) === b.charCodeAt(start + 1) &&
    a.charCodeAt(start + 1) === b.charCodeAt(start)
  );
}
