import { findDisallowedCharacters, isAllowedFortnoxCharacter } from '../fortnox/index.js';

/**
 * Characters Fortnox rejects (error 2000359) that have a close allowed equivalent. Quotes become the
 * typographic apostrophe `’` (the only quote mark Fortnox allows), brackets become parentheses, dash
 * variants become `-` or `–`. Characters with no faithful equivalent (`< > ~`, other scripts) stay and
 * are reported.
 */
export const FORTNOX_CHARACTER_SUBSTITUTES: Readonly<Record<string, string>> = {
  "'": '’',
  '`': '’',
  '‘': '’',
  '‚': '’',
  '′': '’',
  '"': '’',
  '“': '’',
  '”': '’',
  '„': '’',
  '«': '’',
  '»': '’',
  '″': '’',
  '[': '(',
  '{': '(',
  ']': ')',
  '}': ')',
  '|': '/',
  '\\': '/',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '−': '-',
  '—': '–',
  '―': '–',
  '…': '...',
  '\t': ' ',
};

/** What {@link toFortnoxText} made of a text. */
export type FortnoxText = {
  /** The text with every mappable character replaced. */
  readonly text: string;
  /** The distinct characters left that Fortnox rejects; empty when the text can be sent. */
  readonly disallowed: readonly string[];
};

/**
 * Fits a text to Fortnox's character whitelist: Unicode NFC, CRLF/CR to LF, every kind of space
 * (no-break, thin, …) to a plain space, look-alike characters substituted
 * ({@link FORTNOX_CHARACTER_SUBSTITUTES}), a rejected character with a one-character Unicode
 * compatibility equivalent folded to it (full-width `１２` → `12`, `𝐀` → `A`), and reports what still
 * cannot be sent.
 *
 * @example
 * toFortnoxText('Café "Blå" [AB]') // { text: 'Café ’Blå’ (AB)', disallowed: [] }
 */
export function toFortnoxText(input: string): FortnoxText {
  // Typed callers never pass anything else; untyped ones get an empty text rather than a throw.
  if (typeof input !== 'string') return { text: '', disallowed: [] };
  let text = '';
  for (const char of input.normalize('NFC').replace(/\r\n?/gu, '\n')) {
    const substitute = FORTNOX_CHARACTER_SUBSTITUTES[char] ?? compatibilityEquivalent(char);
    if (substitute !== undefined) text += substitute;
    else if (char !== '\n' && /\s/u.test(char)) text += ' ';
    else text += char;
  }
  return { text, disallowed: findDisallowedCharacters(text) };
}

/** The one allowed character a rejected one stands for by Unicode (NFKC), if there is one. */
function compatibilityEquivalent(char: string): string | undefined {
  if (isAllowedFortnoxCharacter(char)) return undefined;
  const folded = char.normalize('NFKC');
  return [...folded].length === 1 && isAllowedFortnoxCharacter(folded) ? folded : undefined;
}
