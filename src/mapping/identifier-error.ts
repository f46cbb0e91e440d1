import { FortnoxSyncError, isLocalizedMessage, type LocalizedMessage } from '../fortnox/index.js';

/** Which kind of value an identifier parser or normaliser was reading. */
export type IdentifierKind =
  | 'organisation-number'
  | 'personal-identity-number'
  | 'phone-number'
  | 'postal-code'
  | 'email'
  | 'country-code'
  | 'name';

/**
 * Why an identifier could not be parsed. Codes are stable; match on them, not on the message.
 * - `empty`: nothing but whitespace.
 * - `too-long`: longer than the value can ever be.
 * - `invalid-characters`: holds characters that never occur in such a value.
 * - `invalid-length`: the wrong number of digits.
 * - `invalid-format`: the right characters in the wrong arrangement (separator, prefix, grouping).
 * - `invalid-checksum`: the Luhn check digit does not match.
 * - `invalid-date`: the date part of a personnummer is not a real date.
 * - `future-date`: the birth date lies after `now`.
 * - `invalid-serial-number`: the serial number of a personnummer is `000`, which is never issued.
 * - `ambiguous-century`: a 10-digit personnummer with a space for a separator (`YYMMDD NNNC`): the
 *   space may stand for `-` or `+`, so the century is unknown; the 12-digit form is needed.
 * - `personal-identity-number-given`: an organisation number was expected but a personnummer was given.
 * - `organisation-number-given`: a personnummer was expected but an organisation number was given.
 * - `invalid-phone-number`: not a phone number that exists in its country's numbering plan.
 * - `unsupported-country`: the country is unknown (for phone numbers: the default country).
 */
export type IdentifierErrorCode =
  | 'empty'
  | 'too-long'
  | 'invalid-characters'
  | 'invalid-length'
  | 'invalid-format'
  | 'invalid-checksum'
  | 'invalid-date'
  | 'future-date'
  | 'invalid-serial-number'
  | 'ambiguous-century'
  | 'personal-identity-number-given'
  | 'organisation-number-given'
  | 'invalid-phone-number'
  | 'unsupported-country';

/**
 * An identifier that could not be parsed or normalised (`kind: 'identifier'`): which one, and why.
 * Neither `message` (English) nor `userMessage` (Swedish and English) repeats the input, so both are
 * safe to log and to show.
 *
 * Its `stack` holds no frames: parsers run in hot loops (the duplicate index reads every customer's
 * number and phone, and most private persons fail the organisation-number parse), and capturing the
 * frames made a failing parse about 7× slower (0.55 → 3.5 µs). Throw or wrap it where a stack is wanted.
 */
export class IdentifierError extends FortnoxSyncError {
  override readonly name = 'IdentifierError';
  readonly kind = 'identifier';
  /** What was being read. */
  readonly identifier: IdentifierKind;
  /** Why it failed. */
  readonly code: IdentifierErrorCode;

  constructor(identifier: IdentifierKind, code: IdentifierErrorCode) {
    const userMessage = userMessageOf(identifier, code);
    const stackTraceLimit = Error.stackTraceLimit;
    // Synchronous and restored at once: no other code runs while the limit is 0.
    Error.stackTraceLimit = 0;
    super(userMessage.en, { userMessage });
    Error.stackTraceLimit = stackTraceLimit;
    this.identifier = identifier;
    this.code = code;
  }
}

const SUBJECT: Record<IdentifierKind, LocalizedMessage> = {
  'organisation-number': { sv: 'Organisationsnumret', en: 'The organisation number' },
  'personal-identity-number': { sv: 'Personnumret', en: 'The personal identity number' },
  'phone-number': { sv: 'Telefonnumret', en: 'The phone number' },
  'postal-code': { sv: 'Postnumret', en: 'The postal code' },
  email: { sv: 'E-postadressen', en: 'The e-mail address' },
  'country-code': { sv: 'Landet', en: 'The country' },
  name: { sv: 'Namnet', en: 'The name' },
};

const PREDICATE: Record<IdentifierErrorCode, LocalizedMessage> = {
  empty: { sv: 'saknas', en: 'is missing' },
  'too-long': { sv: 'är för långt', en: 'is too long' },
  'invalid-characters': {
    sv: 'innehåller tecken som inte är tillåtna',
    en: 'contains characters that are not allowed',
  },
  'invalid-length': { sv: 'har fel antal siffror', en: 'has the wrong number of digits' },
  'invalid-format': { sv: 'har fel format', en: 'is not in a valid format' },
  'invalid-checksum': {
    sv: 'har fel kontrollsiffra; kontrollera att det är rätt inskrivet',
    en: 'has a wrong check digit; check that it was typed correctly',
  },
  'invalid-date': {
    sv: 'innehåller inget giltigt födelsedatum',
    en: 'does not contain a valid date of birth',
  },
  'future-date': {
    sv: 'har ett födelsedatum i framtiden',
    en: 'has a date of birth in the future',
  },
  'invalid-serial-number': {
    sv: 'har födelsenumret 000, som aldrig delas ut; kontrollera att det är rätt inskrivet',
    en: 'has the serial number 000, which is never issued; check that it was typed correctly',
  },
  'ambiguous-century': {
    sv: 'har ett mellanslag i stället för - eller +, så århundradet är okänt; skriv det med 12 siffror (ÅÅÅÅMMDD-NNNN)',
    en: 'has a space instead of - or +, so the century is unknown; write it with 12 digits (YYYYMMDD-NNNN)',
  },
  'personal-identity-number-given': {
    sv: 'är ett personnummer, inte ett organisationsnummer',
    en: 'is a personal identity number, not an organisation number',
  },
  'organisation-number-given': {
    sv: 'är ett organisationsnummer, inte ett personnummer',
    en: 'is an organisation number, not a personal identity number',
  },
  'invalid-phone-number': {
    sv: 'är inte ett giltigt nummer',
    en: 'is not a valid number',
  },
  'unsupported-country': { sv: 'känns inte igen', en: 'is not recognised' },
};

/** The words of each (identifier, code) pair, made once: parsers fail often in bulk work. */
const USER_MESSAGES = new Map<string, LocalizedMessage>();

function userMessageOf(identifier: IdentifierKind, code: IdentifierErrorCode): LocalizedMessage {
  const key = `${identifier} ${code}`;
  let message = USER_MESSAGES.get(key);
  if (message === undefined) {
    message = Object.freeze(describeIdentifierProblem(SUBJECT[identifier], code));
    USER_MESSAGES.set(key, message);
  }
  return message;
}

/**
 * True when `value` is an {@link IdentifierError}: an instance, or its JSON form after it crossed a
 * queue or a database (then a plain object with the same fields, without `stack`).
 */
export function isIdentifierError(value: unknown): value is IdentifierError {
  if (value instanceof IdentifierError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { kind, identifier, code, message, userMessage } = value as Record<string, unknown>;
  return (
    kind === 'identifier' &&
    typeof identifier === 'string' &&
    Object.hasOwn(SUBJECT, identifier) &&
    typeof code === 'string' &&
    Object.hasOwn(PREDICATE, code) &&
    typeof message === 'string' &&
    isLocalizedMessage(userMessage)
  );
}

/** Builds an {@link IdentifierError} with its standard messages. */
export function createIdentifierError(
  identifier: IdentifierKind,
  code: IdentifierErrorCode,
): IdentifierError {
  return new IdentifierError(identifier, code);
}

/**
 * The bilingual sentence for an identifier problem, about `subject` (a definite noun phrase such as
 * `{ sv: 'Postnumret', en: 'The postal code' }`).
 */
export function describeIdentifierProblem(
  subject: LocalizedMessage,
  code: IdentifierErrorCode,
): LocalizedMessage {
  // "The organisation number is a personal identity number" reads oddly: name the value neutrally.
  const named = code.endsWith('-given') ? { sv: 'Numret', en: 'The number' } : subject;
  const predicate = PREDICATE[code];
  return { sv: `${named.sv} ${predicate.sv}.`, en: `${named.en} ${predicate.en}.` };
}
