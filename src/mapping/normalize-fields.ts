import {
  API_BLANK,
  findDisallowedCharacters,
  LIST_ORGANISATION_NUMBER_MAX_LENGTH,
  type OwnedCustomerField,
} from '../fortnox/index.js';
import { toFortnoxText } from './fortnox-text.js';
import type { IdentifierError } from './identifier-error.js';
import type { LocalizedMessage } from './localized-message.js';
import {
  createMappingIssue,
  type MappingIssue,
  type MappingIssueDetails,
  type SourceCustomerField,
} from './mapping-error.js';
import { createTransliterationWarning, type MappingWarning } from './mapping-warning.js';
import { normalizeName } from './name.js';
import { parseOrganisationNumber } from './organisation-number.js';
import { parsePersonalIdentityNumber } from './personal-identity-number.js';
import { transliterateOtherAlphabets } from './transliterate.js';

/** A normalised field value (`null`: no value), with a warning when it was changed, or the issue that stops it. */
export type FieldOutcome =
  | { readonly value: string | null; readonly warning?: MappingWarning }
  | { readonly issue: MappingIssue };

/** Where a field comes from and goes to. */
export type FieldTarget = {
  readonly field: SourceCustomerField;
  readonly fortnoxField: OwnedCustomerField;
};

/** Fortnox's length limit of every owned free-text field. */
const MAX_TEXT_LENGTH = 1024;

/** Blank, `null` and absent all mean "no value". */
export function isBlank(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value.trim() === '';
}

/** How a free text is read. */
export type FreeTextOptions = {
  /** A blank value is an issue rather than no value. */
  readonly required?: boolean;
  /**
   * `true`: rewrite letters of other alphabets in Latin letters, with a warning; `false`: report
   * them, saying the option exists; absent: report them (a field the option does not cover).
   */
  readonly transliterate?: boolean;
};

/**
 * A one-line free text (name, street, city): whitespace collapsed, look-alikes mapped to Fortnox's
 * whitelist, letters of other alphabets transliterated when asked, checked for what is left and for
 * length.
 */
export function normalizeFreeText(
  value: string | null | undefined,
  target: FieldTarget,
  options: FreeTextOptions = {},
): FieldOutcome {
  const collapsed = isBlank(value) ? undefined : normalizeName(value).unwrapOr(undefined);
  if (collapsed === undefined) {
    return options.required === true ? fail(target, 'required') : { value: null };
  }
  const fitted = toFortnoxText(collapsed).text;
  if (options.transliterate !== true) {
    return checkFortnoxText(fitted, target, options.transliterate === false);
  }
  const transliterated = toFortnoxText(transliterateOtherAlphabets(fitted)).text;
  const checked = checkFortnoxText(transliterated, target);
  if (!('value' in checked) || transliterated === fitted) return checked;
  return { ...checked, warning: createTransliterationWarning(target.field, target.fortnoxField) };
}

/**
 * Checks a finished value against the whitelist and the 1024-character limit; `canTransliterate`
 * makes a message about letters of other alphabets say that the `transliterate` option exists.
 */
export function checkFortnoxText(
  text: string,
  target: FieldTarget,
  canTransliterate = false,
): FieldOutcome {
  // Fortnox would read the literal text as "clear this field".
  if (text === API_BLANK) return fail(target, 'invalid-value');
  const characters = findDisallowedCharacters(text);
  if (characters.length > 0) {
    return fail(target, 'disallowed-characters', { characters, canTransliterate });
  }
  if ([...text].length > MAX_TEXT_LENGTH) {
    return fail(target, 'too-long', { maxLength: MAX_TEXT_LENGTH });
  }
  return { value: text };
}

/** Wraps an identifier parser's error as the issue of a field. */
export function identifierIssue(
  target: FieldTarget,
  cause: IdentifierError,
  subject?: LocalizedMessage,
): FieldOutcome {
  return fail(target, cause.code, { cause, ...(subject === undefined ? {} : { subject }) });
}

const PERSONAL_IDENTITY_NUMBER_SUBJECT = { sv: 'Personnumret', en: 'The personal identity number' };

/**
 * The identity number a customer is known by in Fortnox's `OrganisationNumber`: for a company its
 * organisation number (`NNNNNN-NNNN`) or, for a sole trader, the owner's personnummer; for a private
 * person the personnummer or samordningsnummer (`YYYYMMDD-NNNN`). With no known type, either. A
 * customer in another country (`countryCode` known and not `SE`) may have a number of that
 * country: what is not a valid Swedish number is kept as written (one line, Fortnox's characters,
 * at most 30 characters, the length Fortnox lists it with).
 */
export function normalizeIdentityNumber(
  value: string | null | undefined,
  type: 'private' | 'company' | undefined,
  now: Date | undefined,
  target: FieldTarget,
  countryCode: string | null | undefined = null,
): FieldOutcome {
  if (isBlank(value)) return { value: null };
  const swedish = normalizeSwedishIdentityNumber(value, type, now, target);
  const abroad = countryCode !== null && countryCode !== undefined && countryCode !== 'SE';
  if (!abroad || 'value' in swedish) return swedish;
  const text = normalizeFreeText(value, target);
  if ('issue' in text || text.value === null) return text;
  return [...text.value].length > LIST_ORGANISATION_NUMBER_MAX_LENGTH
    ? fail(target, 'too-long', { maxLength: LIST_ORGANISATION_NUMBER_MAX_LENGTH })
    : text;
}

function normalizeSwedishIdentityNumber(
  value: string,
  type: 'private' | 'company' | undefined,
  now: Date | undefined,
  target: FieldTarget,
): FieldOutcome {
  const options = now === undefined ? {} : { now };
  if (type === 'private') {
    const person = parsePersonalIdentityNumber(value, options);
    return person.isOk()
      ? { value: person.value.formatted }
      : identifierIssue(target, person.error, PERSONAL_IDENTITY_NUMBER_SUBJECT);
  }
  const organisation = parseOrganisationNumber(value);
  if (organisation.isOk()) return { value: organisation.value.formatted };
  if (organisation.error.code !== 'personal-identity-number-given') {
    return identifierIssue(target, organisation.error);
  }
  const soleTrader = parsePersonalIdentityNumber(value, options);
  return soleTrader.isOk()
    ? { value: soleTrader.value.formatted }
    : identifierIssue(target, soleTrader.error, PERSONAL_IDENTITY_NUMBER_SUBJECT);
}

/** The issue of a field, as a {@link FieldOutcome}. */
export function fail(
  target: FieldTarget,
  code: MappingIssue['code'],
  details: MappingIssueDetails = {},
): FieldOutcome {
  return {
    issue: createMappingIssue(target.field, code, {
      fortnoxField: target.fortnoxField,
      ...details,
    }),
  };
}
