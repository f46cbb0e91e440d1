import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber as LibPhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import { err, ok, type Result } from 'neverthrow';
import { createIdentifierError, type IdentifierError } from './identifier-error.js';
import { toIdentifierText } from './identifier-text.js';

/** A valid phone number in the two forms this library uses. */
export type PhoneNumber = {
  /** E.164 (`+46701234567`): the form to compare numbers by. */
  readonly e164: string;
  /**
   * The written form sent to Fortnox: a Swedish number read with `defaultCountry` `'SE'` in Swedish
   * national format with area-code grouping (`070-123 45 67`, `08-123 456 78`), every other number in
   * international format (`+47 22 12 34 56`, and `+46 70 123 45 67` for a Swedish number of a customer
   * abroad). Reading it again with the same `defaultCountry` gives the same number.
   */
  readonly formatted: string;
  /** ISO 3166-1 alpha-2 country of the number, when the numbering plan tells it. */
  readonly countryCode?: string;
};

/** The country a phone number without a `+`/`00` prefix belongs to. */
export const DEFAULT_PHONE_COUNTRY = 'SE';
/** The country whose numbers are written in national format. */
const HOME_COUNTRY = 'SE';
const MAX_INPUT_LENGTH = 64;
/** Digits, spaces and the punctuation people write phone numbers with. */
const PHONE_CHARACTERS = /^[\d\s+\-()./]+$/u;

const fail = (code: IdentifierError['code']) => err(createIdentifierError('phone-number', code));

/**
 * Validates a phone number against its country's numbering plan (libphonenumber-js, full metadata)
 * and returns its E.164 and written forms. Accepts `070-123 45 67`, `+46 70 123 45 67`,
 * `0046701234567`, `+46 (0)70 123 45 67`, `08-123 456 78`, `+47 22 12 34 56`, …
 *
 * @param defaultCountry - ISO alpha-2 country of numbers written without a country prefix.
 * @example
 * normalizePhoneNumber('0046701234567') // ok({ e164: '+46701234567', formatted: '070-123 45 67', countryCode: 'SE' })
 */
export function normalizePhoneNumber(
  input: string,
  defaultCountry: string = DEFAULT_PHONE_COUNTRY,
): Result<PhoneNumber, IdentifierError> {
  if (typeof input !== 'string') return fail('invalid-format');
  const trimmed = toIdentifierText(input);
  if (trimmed === '') return fail('empty');
  if (trimmed.length > MAX_INPUT_LENGTH) return fail('too-long');
  if (!PHONE_CHARACTERS.test(trimmed)) return fail('invalid-characters');
  const country = typeof defaultCountry === 'string' ? defaultCountry.trim().toUpperCase() : '';
  if (!isSupportedCountry(country)) return fail('unsupported-country');
  const parsed = safeParse(withoutTrunkZero(trimmed), country);
  if (parsed === undefined || !parsed.isValid()) return fail('invalid-phone-number');
  // National format only where it reads back the same: a Swedish number in a Swedish context.
  const national = parsed.country === HOME_COUNTRY && country === HOME_COUNTRY;
  const formatted = national ? parsed.formatNational() : parsed.formatInternational();
  return ok({
    e164: parsed.number,
    formatted,
    ...(parsed.country === undefined ? {} : { countryCode: parsed.country }),
  });
}

/** Drops the `(0)` that people write after a country code: `+46 (0)70…` means `+46 70…`. */
function withoutTrunkZero(text: string): string {
  return text.replace(/^(\+\d{1,3}|00\d{1,3})\s*\(0\)/u, '$1 ');
}

function safeParse(text: string, country: CountryCode): LibPhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, { defaultCountry: country });
  } catch {
    // The library documents no throws here; this keeps the promise that normalising never throws.
    return undefined;
  }
}
