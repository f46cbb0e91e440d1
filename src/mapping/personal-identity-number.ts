import { err, ok, type Result } from 'neverthrow';
import { createIdentifierError, type IdentifierError } from './identifier-error.js';
import { toIdentifierText } from './identifier-text.js';
import { isLuhnValid } from './luhn.js';

/** A valid Swedish personnummer or samordningsnummer (coordination number). */
export type PersonalIdentityNumber = {
  /** `samordningsnummer` when the day of birth is written + 60. */
  readonly kind: 'personnummer' | 'samordningsnummer';
  /** All 12 digits `YYYYMMDDNNNC`, no separator (the day as written, so + 60 for a samordningsnummer). */
  readonly digits12: string;
  /**
   * The canonical written form `YYYYMMDD-NNNC`, the form this library writes to Fortnox.
   * The 12-digit form is chosen because it keeps the century (a 10-digit form's `-` becomes `+` the
   * year the person turns 100, so a stored 10-digit string goes stale), and because a Fortnox
   * substring search for either `YYMMDD-NNNC` or `YYYYMMDD-NNNC` finds it.
   */
  readonly formatted: string;
  /** The date of birth, ISO `YYYY-MM-DD` (the real day, also for a samordningsnummer). */
  readonly birthDate: string;
};

/** Options of {@link parsePersonalIdentityNumber}. */
export type PersonalIdentityNumberOptions = {
  /**
   * The moment the number is read at: decides the century of a 10-digit number and rejects birth
   * dates after it. Its UTC calendar date is used. An invalid `Date` falls back to the current time.
   * @defaultValue `new Date()`
   */
  readonly now?: Date;
};

const MAX_INPUT_LENGTH = 40;
const TEN_DIGITS = /^(\d{6})([-+]?)(\d{4})$/u;
const TWELVE_DIGITS = /^(\d{8})[-+]?(\d{4})$/u;
/** A 10-digit number whose only separator is whitespace: a `+` may have become a space (URL decoding). */
const TEN_DIGITS_SPACED = /^\d{6}\s+\d{4}$/u;
/** The serial number (födelsenummer) `000` is never issued. */
const NEVER_ISSUED_SERIAL = '000';
/** Samordningsnummer add this to the day of birth. */
const COORDINATION_DAY_OFFSET = 60;
/** Birth years before this are not accepted from a 12-digit number. */
const EARLIEST_BIRTH_YEAR = 1840;

const fail = (code: IdentifierError['code']) =>
  err(createIdentifierError('personal-identity-number', code));

/**
 * Parses a Swedish personnummer or samordningsnummer.
 *
 * Accepts 10 digits (`YYMMDD-NNNC`, `YYMMDD+NNNC`, `YYMMDDNNNC`) and 12 digits (`YYYYMMDD-NNNC`,
 * `YYYYMMDD+NNNC`, `YYYYMMDDNNNC`; the `+` adds nothing when the century is written); spaces are
 * ignored, dash look-alikes (`–`, `−`) read as `-` and full-width digits as digits. With 10 digits
 * the century is the latest one that puts the birth date on or before `now`, one century earlier for
 * `+` (the person is 100 or older). A 10-digit number with a space where the separator goes
 * (`YYMMDD NNNC`) is rejected as `ambiguous-century`: the space may be a `+` that URL decoding or a
 * form turned into a space, so no century can be picked safely. Checks the Luhn digit, that the
 * serial number is not `000` (never issued) and that the date exists (samordningsnummer: day + 60).
 *
 * @example
 * parsePersonalIdentityNumber('121212-1212', { now: new Date('2026-01-01') })
 * // ok({ kind: 'personnummer', formatted: '20121212-1212', birthDate: '2012-12-12', … })
 */
export function parsePersonalIdentityNumber(
  input: string,
  options?: PersonalIdentityNumberOptions,
): Result<PersonalIdentityNumber, IdentifierError> {
  if (typeof input !== 'string') return fail('invalid-format');
  const trimmed = toIdentifierText(input);
  if (trimmed === '') return fail('empty');
  if (trimmed.length > MAX_INPUT_LENGTH) return fail('too-long');
  if (TEN_DIGITS_SPACED.test(trimmed)) return fail('ambiguous-century');
  const compact = trimmed.replace(/\s+/gu, '');
  if (/[^\d+-]/u.test(compact)) return fail('invalid-characters');
  const today = todayOf(options?.now);
  const twelve = TWELVE_DIGITS.exec(compact);
  if (twelve) {
    const [, date = '', serial = ''] = twelve;
    return build(Number(date.slice(0, 4)), `${date.slice(2)}${serial}`, today);
  }
  const ten = TEN_DIGITS.exec(compact);
  if (!ten) {
    const digitCount = compact.replace(/[+-]/gu, '').length;
    return fail(digitCount === 10 || digitCount === 12 ? 'invalid-format' : 'invalid-length');
  }
  const [, date = '', separator, serial = ''] = ten;
  const tenDigits = `${date}${serial}`;
  if (!isLuhnValid(tenDigits)) return fail('invalid-checksum');
  if (Number(tenDigits[2]) >= 2) return fail('organisation-number-given');
  const year = centuryYear(tenDigits, today, separator === '+');
  return year === undefined ? fail('invalid-date') : build(year, tenDigits, today);
}

type CalendarDate = { readonly year: number; readonly month: number; readonly day: number };

function build(
  year: number,
  tenDigits: string,
  today: CalendarDate,
): Result<PersonalIdentityNumber, IdentifierError> {
  if (!isLuhnValid(tenDigits)) return fail('invalid-checksum');
  if (Number(tenDigits[2]) >= 2) return fail('organisation-number-given');
  if (tenDigits.slice(6, 9) === NEVER_ISSUED_SERIAL) return fail('invalid-serial-number');
  const month = Number(tenDigits.slice(2, 4));
  const writtenDay = Number(tenDigits.slice(4, 6));
  const coordination = writtenDay > COORDINATION_DAY_OFFSET;
  const day = coordination ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  if (year < EARLIEST_BIRTH_YEAR || !isRealDate(year, month, day)) return fail('invalid-date');
  if (compareDates({ year, month, day }, today) > 0) return fail('future-date');
  const digits12 = `${String(year).padStart(4, '0')}${tenDigits.slice(2)}`;
  return ok({
    kind: coordination ? 'samordningsnummer' : 'personnummer',
    digits12,
    formatted: `${digits12.slice(0, 8)}-${digits12.slice(8)}`,
    birthDate: `${digits12.slice(0, 4)}-${pad(month)}-${pad(day)}`,
  });
}

/** The full birth year of a 10-digit number, or undefined when month or day cannot be read. */
function centuryYear(tenDigits: string, today: CalendarDate, hundredOrOlder: boolean) {
  const twoDigitYear = Number(tenDigits.slice(0, 2));
  const month = Number(tenDigits.slice(2, 4));
  const writtenDay = Number(tenDigits.slice(4, 6));
  const day =
    writtenDay > COORDINATION_DAY_OFFSET ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let year = today.year - ((today.year - twoDigitYear + 100) % 100);
  if (compareDates({ year, month, day }, today) > 0) year -= 100;
  return hundredOrOlder ? year - 100 : year;
}

function todayOf(now: Date | undefined): CalendarDate {
  const moment = now instanceof Date && !Number.isNaN(now.getTime()) ? now : new Date();
  return {
    year: moment.getUTCFullYear(),
    month: moment.getUTCMonth() + 1,
    day: moment.getUTCDate(),
  };
}

/** The proleptic Gregorian calendar of `Date` decides (leap years included): no table of our own. */
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

const pad = (value: number) => String(value).padStart(2, '0');
