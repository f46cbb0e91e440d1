import { err, ok, type Result } from 'neverthrow';
import { createIdentifierError, type IdentifierError } from './identifier-error.js';
import { toIdentifierText } from './identifier-text.js';
import { type LegalForm, legalFormOf } from './legal-form.js';
import { isLuhnValid } from './luhn.js';

/** A valid Swedish organisationsnummer. */
export type OrganisationNumber = {
  readonly kind: 'organisation';
  /** The 10 digits, no separator: `5560360793`. */
  readonly digits: string;
  /** The canonical written form `NNNNNN-NNNN`, the form this library writes to Fortnox. */
  readonly formatted: string;
  /** The legal-form group encoded by the first digit. */
  readonly legalForm: LegalForm;
};

/** Longer input than this is rejected before any other work. */
const MAX_INPUT_LENGTH = 40;
const TEN_DIGITS = /^(\d{6})-?(\d{4})$/;
const TWELVE_DIGITS = /^(\d{2})(\d{6})-?(\d{4})$/;
/** A Swedish VAT number: `SE` + the 10 digits + `01`. */
const VAT_NUMBER = /^SE(\d{10})01$/;

const fail = (code: IdentifierError['code']) =>
  err(createIdentifierError('organisation-number', code));

/**
 * Parses a Swedish organisation number.
 *
 * Accepts `NNNNNN-NNNN`, `NNNNNNNNNN`, the 12-digit form with the `16` prefix (`16NNNNNN-NNNN`)
 * and a Swedish VAT number (`SE NNNNNNNNNN 01`); spaces anywhere are ignored, dash look-alikes
 * (`–`, `−`) read as `-` and full-width digits as digits. Checks the Luhn digit
 * and that the third digit is at least 2 (otherwise it is a personnummer: use
 * `parsePersonalIdentityNumber`, e.g. for a sole trader).
 *
 * @example
 * parseOrganisationNumber('165560360793') // ok({ formatted: '556036-0793', legalForm: 'limited-company', … })
 */
export function parseOrganisationNumber(
  input: string,
): Result<OrganisationNumber, IdentifierError> {
  if (typeof input !== 'string') return fail('invalid-format');
  const trimmed = toIdentifierText(input);
  if (trimmed === '') return fail('empty');
  if (trimmed.length > MAX_INPUT_LENGTH) return fail('too-long');
  const compact = trimmed.replace(/\s+/gu, '').toUpperCase();
  const vat = VAT_NUMBER.exec(compact);
  const candidate = vat?.[1] ?? compact;
  if (/[^\d-]/u.test(candidate)) {
    return fail(
      /^\d{6}\+\d{4}$/u.test(candidate) ? 'personal-identity-number-given' : 'invalid-characters',
    );
  }
  const digits = extractTenDigits(candidate);
  if (digits.isErr()) return err(digits.error);
  if (!isLuhnValid(digits.value)) return fail('invalid-checksum');
  if (Number(digits.value[2]) < 2) return fail('personal-identity-number-given');
  return ok({
    kind: 'organisation',
    digits: digits.value,
    formatted: `${digits.value.slice(0, 6)}-${digits.value.slice(6)}`,
    legalForm: legalFormOf(digits.value),
  });
}

function extractTenDigits(candidate: string): Result<string, IdentifierError> {
  const ten = TEN_DIGITS.exec(candidate);
  if (ten) return ok(`${ten[1]}${ten[2]}`);
  const twelve = TWELVE_DIGITS.exec(candidate);
  if (twelve) {
    if (twelve[1] === '16') return ok(`${twelve[2]}${twelve[3]}`);
    // 18…, 19…, 20… is how a 12-digit personnummer starts.
    return fail(
      /^(18|19|20)$/u.test(twelve[1] ?? '') ? 'personal-identity-number-given' : 'invalid-format',
    );
  }
  const digitCount = candidate.replace(/-/gu, '').length;
  return fail(digitCount === 10 || digitCount === 12 ? 'invalid-format' : 'invalid-length');
}
