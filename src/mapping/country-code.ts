import { err, ok, type Result } from 'neverthrow';
import { ISO_COUNTRY_CODES, isIsoCountryCode } from '../fortnox/index.js';
import { COUNTRY_ALIASES } from './country-aliases.js';
import { createIdentifierError, type IdentifierError } from './identifier-error.js';

/**
 * Locales whose country names are accepted: Swedish and English first (they win a clash), then the
 * Nordic neighbours' own languages and the main European trading languages.
 */
const NAME_LOCALES = ['sv', 'en', 'nb', 'nn', 'da', 'fi', 'is', 'de', 'fr', 'es', 'it', 'nl', 'pl'];
/** Names in these locales win any clash; names in the others are dropped when two disagree. */
const TRUSTED_LOCALES: ReadonlySet<string> = new Set(['sv', 'en']);
/** Shorter names from other locales are abbreviations, not accepted. */
const MIN_FOREIGN_NAME_LENGTH = 4;
const MAX_INPUT_LENGTH = 80;

let nameTable: ReadonlyMap<string, string> | undefined;

const fail = (code: IdentifierError['code']) => err(createIdentifierError('country-code', code));

/**
 * Resolves a country written as an ISO 3166-1 alpha-2 code (any case) or as a name into the alpha-2
 * code Fortnox's `CountryCode` expects. Names are read in Swedish, English, the Nordic languages and
 * the main European languages (from `Intl.DisplayNames`), ignoring case, accents and punctuation, plus
 * common alternatives (`UK`, `Holland`, `USA`, `England`, alpha-3 codes of the usual trading partners).
 * A name that two of the other languages give to different countries (`Kongo`) and their short
 * abbreviations (`VS`, `É.-U.`) are not read: the caller gets `unsupported-country` rather than a guess.
 *
 * @example
 * normalizeCountryCode('Sverige') // ok('SE')
 * normalizeCountryCode('tyskland') // ok('DE')
 */
export function normalizeCountryCode(input: string): Result<string, IdentifierError> {
  if (typeof input !== 'string') return fail('invalid-format');
  const trimmed = input.trim();
  if (trimmed === '') return fail('empty');
  if (trimmed.length > MAX_INPUT_LENGTH) return fail('too-long');
  const upper = trimmed.toUpperCase();
  if (isIsoCountryCode(upper)) return ok(upper);
  const code = countryNames().get(nameKey(trimmed));
  return code === undefined ? fail('unsupported-country') : ok(code);
}

/** Lower case, no accents, letters and digits only: `Storbritannien`, `storbritannien.` match. */
function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function countryNames(): ReadonlyMap<string, string> {
  nameTable ??= buildCountryNames();
  return nameTable;
}

function buildCountryNames(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  const ambiguous = new Set<string>();
  const trusted = new Set<string>();
  const add = (name: string | undefined, code: string, isTrusted: boolean) => {
    if (name === undefined || name === '') return;
    for (const variant of [name, name.replace('&', 'and'), name.replace('&', 'och')]) {
      const key = nameKey(variant);
      // A foreign abbreviation (French `É.-U.`, Dutch `VS`) reads as something else in Sweden.
      if (key === '' || (!isTrusted && key.length < MIN_FOREIGN_NAME_LENGTH)) continue;
      const known = table.get(key);
      if (known === undefined && !ambiguous.has(key)) {
        table.set(key, code);
        if (isTrusted) trusted.add(key);
      } else if (known !== undefined && known !== code && !trusted.has(key)) {
        // Two foreign languages disagree (`Kongo`): better to ask than to guess.
        table.delete(key);
        ambiguous.add(key);
      }
    }
  };
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) add(alias, code, true);
  for (const locale of NAME_LOCALES) {
    for (const style of ['long', 'short'] as const) {
      const names = displayNames(locale, style);
      if (names === undefined) continue;
      for (const code of ISO_COUNTRY_CODES) add(names.of(code), code, TRUSTED_LOCALES.has(locale));
    }
  }
  return table;
}

function displayNames(locale: string, style: 'long' | 'short'): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames([locale], { type: 'region', style, fallback: 'none' });
  } catch {
    // A Node build without full ICU lacks some locales: the others still resolve.
    return undefined;
  }
}
