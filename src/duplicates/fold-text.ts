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
const NOT_ALPHANUMERIC = /[^a-z0-9]+/g;
const LIGATURE_PATTERN = /[æøœßðþłđ]/g;

/**
 * Folds text for comparison: lower case, diacritics removed (å ä → a, ö ø → o, é → e, ü → u,
 * æ → ae), every run of other characters turned into one space, trimmed.
 *
 * @example foldText('  Åsa Öberg-Müller ') // 'asa oberg muller'
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(LIGATURE_PATTERN, (letter) => LIGATURES[letter] ?? letter)
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(NOT_ALPHANUMERIC, ' ')
    .trim();
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
