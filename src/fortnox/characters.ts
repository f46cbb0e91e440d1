/**
 * Fortnox accepts text from a whitelist of characters and answers error 2000359 for anything else.
 * Letters (Latin script, so å ä ö é ü æ ø and friends, not their full-width or ligature forms), digits,
 * space, newline and this punctuation.
 */
export const FORTNOX_ALLOWED_PUNCTUATION = '–:.,;^¤#%§£$€&/()=+-*_!?@’´²³®½';

const allowedPunctuation = new Set(FORTNOX_ALLOWED_PUNCTUATION);
const latinLetter = /^\p{Script=Latin}$/u;
/** Latin letters past U+2000 are compatibility forms (full-width Ｌ, superscript ⁿ, ligatures): not text. */
const LAST_PLAIN_LATIN_CODE_POINT = 0x1fff;
const decimalDigit = /^[0-9]$/;

/** True when Fortnox accepts this single character (a code point). */
export function isAllowedFortnoxCharacter(char: string): boolean {
  return (
    char === ' ' ||
    char === '\n' ||
    allowedPunctuation.has(char) ||
    decimalDigit.test(char) ||
    (latinLetter.test(char) && (char.codePointAt(0) ?? 0) <= LAST_PLAIN_LATIN_CODE_POINT)
  );
}

/**
 * The distinct characters of `text` that Fortnox rejects (error 2000359), in order of first appearance.
 * @example findDisallowedCharacters('A <b>') // ['<', '>']
 */
export function findDisallowedCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const char of text.normalize('NFC')) {
    if (!isAllowedFortnoxCharacter(char)) found.add(char);
  }
  return [...found];
}

/** True when every character of `text` is on Fortnox's whitelist. */
export function isAllowedFortnoxText(text: string): boolean {
  return findDisallowedCharacters(text).length === 0;
}

/** Letters, digits and accents: listed one by one they would spell the value (a name in Cyrillic). */
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;

/**
 * Splits rejected characters into what a message may show one by one (symbols, punctuation,
 * invisible characters) and whether there were letters, digits or accents of other alphabets, which a
 * message must only name as a group: spelled out they would repeat personal data.
 */
export function partitionDisallowedCharacters(characters: readonly string[]): {
  readonly symbols: readonly string[];
  readonly hasOtherAlphabets: boolean;
} {
  return {
    symbols: characters.filter((char) => !WORD_CHARACTER.test(char)),
    hasOtherAlphabets: characters.some((char) => WORD_CHARACTER.test(char)),
  };
}
