import anyAscii from 'any-ascii';
import { isAllowedFortnoxCharacter } from '../fortnox/index.js';

/** Letters, digits and accents: what a transliteration rewrites (symbols are left to the whitelist). */
const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;
/**
 * any-ascii writes letters that have no sound of their own (the Cyrillic soft and hard signs, the
 * Arabic and Hebrew ʿayn and ʾalef) as `'` or `` ` ``; names drop them, as passports do (ICAO 9303):
 * `Ольга` → `Olga`, not `Ol'ga`.
 */
const SILENT_LETTER_MARKS = /['"`]/gu;

const romanize = (run: string) => anyAscii(run).replace(SILENT_LETTER_MARKS, '');

/**
 * Rewrites the letters of other alphabets that Fortnox rejects in Latin letters (`Иван` → `Ivan`,
 * `Αθήνα` → `Athina`, `北京` → `BeiJing`), with any-ascii's per-character tables: every script has
 * one, but a character is read without its neighbours (Greek `ου` becomes `oy`), so a person should
 * check the result. Everything Fortnox
 * accepts stays as written, so `å ä ö é ü ø æ ł` and every other Latin letter are kept; rejected
 * symbols (`<`, `~`) are left for the whitelist check to report.
 *
 * @example transliterateOtherAlphabets('Åsa Иванова') // 'Åsa Ivanova'
 */
export function transliterateOtherAlphabets(text: string): string {
  let result = '';
  let run = '';
  for (const char of text.normalize('NFC')) {
    if (!isAllowedFortnoxCharacter(char) && WORD_CHARACTER.test(char)) {
      run += char;
      continue;
    }
    if (run !== '') result += romanize(run);
    run = '';
    result += char;
  }
  return run === '' ? result : result + romanize(run);
}
