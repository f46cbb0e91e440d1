/** Letters that Unicode decomposition does not split into a base letter plus a mark. */
const LIGATURES: Readonly<Record<string, string>> = {
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ß: 'ss',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  đ: 'd',
};

const COMBINING_MARKS = /\p{M}+/gu;

/** The folded form of one lower-case character: a letter or digit run, or '' for a separator. */
function foldCharacter(character: string): string {
  const ligature = LIGATURES[character];
  if (ligature !== undefined) return ligature;
  const base = character.normalize('NFKD').replace(COMBINING_MARKS, '');
  return /^[a-z0-9]+$/.test(base) ? base : '';
}

/** Folded forms of the Latin-1 and Latin Extended letters, computed once (decomposing is slow). */
const FOLDED_LATIN: ReadonlyMap<string, string> = new Map(
  Array.from({ length: 0x250 - 0x80 }, (_, k) => {
    const character = String.fromCharCode(0x80 + k).toLowerCase();
    return [character, foldCharacter(character)] as const;
  }),
);

/**
 * Whether a text is already folded: lower-case letters a–z and digits, single spaces between
 * them. Most names and streets are, and are then returned as they are, without being rebuilt.
 */
function isFolded(text: string): boolean {
  let previousSpace = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) previousSpace = false;
    else return false;
  }
  return !previousSpace;
}

/**
 * Folds text for comparison: lower case, diacritics removed (å ä → a, ö ø → o, é → e, ü → u,
 * æ → ae), every run of other characters turned into one space, trimmed.
 *
 * @example foldText('  Åsa Öberg-Müller ') // 'asa oberg muller'
 */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  if (isFolded(lower)) return lower;
  let folded = '';
  let pendingSpace = false;
  for (const character of lower) {
    const code = character.charCodeAt(0);
    let part: string;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) part = character;
    else if (code < 128) part = '';
    else part = FOLDED_LATIN.get(character) ?? foldCharacter(character);
    if (part === '') {
      pendingSpace = folded !== '';
      continue;
    }
    folded += pendingSpace ? ` ${part}` : part;
    pendingSpace = false;
  }
  return folded;
}

/** Splits text into folded tokens (see {@link foldText}); empty text gives no tokens. */
export function foldTokens(text: string): string[] {
  const folded = foldText(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Keeps only the digits of a text. */
export function digitsOf(text: string): string {
  return text.replace(/\D+/g, '');
}
