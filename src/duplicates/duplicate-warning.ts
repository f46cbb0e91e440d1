import type { LocalizedMessage } from '../mapping/index.js';

/**
 * Why a decision deserves a second look.
 * - `multiple-matches`: several Fortnox customers match; the best-matching, then the most complete,
 *   then the lowest customer number was chosen (`customerNumbers` lists them in that order).
 * - `blocking-limit`: a value (a very common name) is shared by too many customers to compare them
 *   all; a duplicate found only through it may be missed.
 * - `invalid-identity-number`: the source's organisation number or personnummer does not parse and
 *   was compared by its digits only (not raised for a customer abroad, whose own country's number
 *   is compared by its digits without a warning).
 * - `shared-target`: in one batch, several source customers link to the same Fortnox customer.
 * - `conflicting-external-reference`: a Fortnox customer holds the source id in ExternalReference
 *   but another organisation number or personnummer, so it was not linked without asking.
 */
export type DuplicateWarningCode =
  | 'multiple-matches'
  | 'blocking-limit'
  | 'invalid-identity-number'
  | 'shared-target'
  | 'conflicting-external-reference';

/**
 * A warning about one resolution, shaped like every error and warning of the library: `code`, an
 * English `message` for developers and logs, `userMessage` for a person. Neither holds personal data.
 */
export type DuplicateWarning = {
  /** What the warning is about; stable, match on it rather than on the message. */
  readonly code: DuplicateWarningCode;
  /** What happened, in English, for developers and logs (the code and how many customers). */
  readonly message: string;
  /** The warning in Swedish and English, fit to show to a person. */
  readonly userMessage: LocalizedMessage;
  /** The Fortnox customers concerned, when there are any. */
  readonly customerNumbers: readonly string[];
};

/** The English developer message of each code (`count`: the Fortnox customers concerned). */
const DEVELOPER_MESSAGES: Record<DuplicateWarningCode, (count: number) => string> = {
  'multiple-matches': (count) =>
    `Duplicate warning multiple-matches: ${count} Fortnox customers match; the best match was chosen (then the most complete, then the lowest customer number).`,
  'blocking-limit': () =>
    'Duplicate warning blocking-limit: a blocking key is shared by too many customers to compare them all; a duplicate found only through it may be missed.',
  'invalid-identity-number': () =>
    'Duplicate warning invalid-identity-number: the organisation number or personnummer does not parse; it was compared by its digits only.',
  'shared-target': (count) =>
    `Duplicate warning shared-target: several source customers of the batch link to the same Fortnox customer (${count} concerned).`,
  'conflicting-external-reference': (count) =>
    `Duplicate warning conflicting-external-reference: ${count} Fortnox customer(s) hold the source id in ExternalReference with another identity number; not linked without asking.`,
};

const USER_MESSAGES: Record<DuplicateWarningCode, LocalizedMessage> = {
  'multiple-matches': {
    sv: 'Flera kunder i Fortnox matchar; den som stämmer bäst valdes (vid lika den mest kompletta, med lägst kundnummer).',
    en: 'Several Fortnox customers match; the best match was chosen (on a tie the most complete, with the lowest number).',
  },
  'blocking-limit': {
    sv: 'Ett värde delas av för många kunder för att jämföra alla; en dubblett kan ha missats.',
    en: 'A value is shared by too many customers to compare them all; a duplicate may have been missed.',
  },
  'invalid-identity-number': {
    sv: 'Organisations- eller personnumret är ogiltigt och jämfördes bara siffra för siffra.',
    en: 'The organisation or personal identity number is invalid and was compared digit by digit only.',
  },
  'shared-target': {
    sv: 'Flera kunder kopplas till samma kund i Fortnox.',
    en: 'Several customers are linked to the same Fortnox customer.',
  },
  'conflicting-external-reference': {
    sv: 'En kund i Fortnox har kundens id som extern referens men ett annat organisations- eller personnummer.',
    en: 'A Fortnox customer holds this customer’s id as external reference but another organisation or personal identity number.',
  },
};

/** Builds a {@link DuplicateWarning} with its standard messages. */
export function createDuplicateWarning(
  code: DuplicateWarningCode,
  customerNumbers: readonly string[] = [],
): DuplicateWarning {
  return {
    code,
    message: DEVELOPER_MESSAGES[code](customerNumbers.length),
    userMessage: USER_MESSAGES[code],
    customerNumbers,
  };
}
