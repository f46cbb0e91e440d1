import { err, ok, type Result } from 'neverthrow';
import { createIdentifierError, type IdentifierError } from './identifier-error.js';
import { toIdentifierText } from './identifier-text.js';

/** Fortnox's `ZipCode` holds at most this many characters. */
export const MAX_POSTAL_CODE_LENGTH = 10;
/** A Swedish postnummer: 5 digits, never starting with 0, optionally after `SE-` or `S-`. */
const SWEDISH_POSTAL_CODE = /^(?:SE?-?)?([1-9]\d{2})(\d{2})$/u;
/** Letters, digits, spaces and hyphens: what postal codes around the world are made of. */
const FOREIGN_POSTAL_CODE = /^[\p{L}\d -]+$/u;

const fail = (code: IdentifierError['code']) => err(createIdentifierError('postal-code', code));

/**
 * Normalises a postal code for the country it belongs to. Swedish ones (`countryCode` `SE`) become
 * `NNN NN` (`26432`, `264 32`, `SE-264 32` → `264 32`); other countries' codes are kept as written,
 * trimmed and with runs of whitespace collapsed, at most 10 characters (Fortnox's `ZipCode`).
 *
 * @param countryCode - ISO alpha-2 code of the address's country.
 * @defaultValue countryCode `'SE'`
 */
export function normalizePostalCode(
  input: string,
  countryCode = 'SE',
): Result<string, IdentifierError> {
  if (typeof input !== 'string') return fail('invalid-format');
  const collapsed = toIdentifierText(input).replace(/\s+/gu, ' ');
  if (collapsed === '') return fail('empty');
  const swedish = typeof countryCode !== 'string' || countryCode.trim().toUpperCase() === 'SE';
  if (swedish) return normalizeSwedishPostalCode(collapsed);
  if (collapsed.length > MAX_POSTAL_CODE_LENGTH) return fail('too-long');
  if (!FOREIGN_POSTAL_CODE.test(collapsed)) return fail('invalid-characters');
  return ok(collapsed);
}

function normalizeSwedishPostalCode(collapsed: string): Result<string, IdentifierError> {
  const compact = collapsed.replace(/ /gu, '').toUpperCase();
  const match = SWEDISH_POSTAL_CODE.exec(compact);
  if (match) return ok(`${match[1]} ${match[2]}`);
  if (/[^\dSE-]/u.test(compact)) return fail('invalid-characters');
  return fail(/^\d+$/u.test(compact) && compact.length !== 5 ? 'invalid-length' : 'invalid-format');
}
