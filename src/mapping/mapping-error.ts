import {
  FortnoxSyncError,
  isLocalizedMessage,
  type LocalizedMessage,
  type OwnedCustomerField,
  partitionDisallowedCharacters,
} from '../fortnox/index.js';
import {
  describeIdentifierProblem,
  type IdentifierError,
  type IdentifierErrorCode,
} from './identifier-error.js';

/** A field of the source customer, as a dotted path (`customer` is the value as a whole). */
export type SourceCustomerField =
  | 'customer'
  | 'id'
  | 'type'
  | 'name'
  | 'email'
  | 'phone'
  | 'address'
  | 'address.street'
  | 'address.postalCode'
  | 'address.city'
  | 'address.countryCode'
  | 'organisationNumber'
  | 'active';

/**
 * Why a field cannot be mapped: an {@link IdentifierErrorCode} from the field's parser, or
 * - `required`: missing or blank, and the field must have a value;
 * - `invalid-type`: not the JavaScript type the field takes (a number for a string, …);
 * - `invalid-value`: not one of the allowed values (`type` other than `private`/`company`);
 * - `disallowed-characters`: characters Fortnox rejects (error 2000359) that have no equivalent;
 * - `rejected-by-fortnox-schema`: the mapped value still broke a Fortnox field rule.
 */
export type MappingIssueCode =
  | IdentifierErrorCode
  | 'required'
  | 'invalid-type'
  | 'invalid-value'
  | 'disallowed-characters'
  | 'rejected-by-fortnox-schema';

/** One problem with one field, fit to show next to that field in a form. */
export type MappingIssue = {
  /** The source field, e.g. `address.postalCode`. */
  readonly field: SourceCustomerField;
  /** The same as a path: `['address', 'postalCode']` (empty for the customer as a whole). */
  readonly path: readonly string[];
  /** The Fortnox field the source field is written to, when there is one. */
  readonly fortnoxField?: OwnedCustomerField;
  /** What is wrong. */
  readonly code: MappingIssueCode;
  /** The problem in English, without the field's value (the English of `userMessage`). */
  readonly message: string;
  /** The problem in Swedish and English, without the field's value: show it next to the field. */
  readonly userMessage: LocalizedMessage;
  /**
   * For `disallowed-characters`: the rejected symbols, punctuation and invisible characters, one by
   * one (`<`, `~`, `U+200B`). Letters, digits and accents of other alphabets are never listed (they
   * would spell the value, e.g. a name in Cyrillic): `otherAlphabets` says there were some.
   */
  readonly characters?: readonly string[];
  /** For `disallowed-characters`: true when letters, digits or accents of other alphabets were rejected. */
  readonly otherAlphabets?: boolean;
  /** For `too-long`: the most characters the field takes. */
  readonly maxLength?: number;
  /** The identifier parser's error, when the field was read by one. */
  readonly cause?: IdentifierError;
};

/**
 * A source customer that cannot be mapped to Fortnox (`kind: 'mapping'`), with every problem found at
 * once. `message` names the fields and codes in English (never their values); `userMessage` says how
 * many problems there are; each issue has its own words for the form field.
 */
export class MappingError extends FortnoxSyncError {
  override readonly name = 'MappingError';
  readonly kind = 'mapping';
  /** At least one issue, in field order. */
  readonly issues: readonly [MappingIssue, ...MappingIssue[]];

  constructor(issues: readonly [MappingIssue, ...MappingIssue[]]) {
    const count = issues.length;
    const listed = issues.map((issue) => `${issue.field} (${issue.code})`).join(', ');
    super(
      `The customer cannot be mapped to Fortnox: ${count} ${count === 1 ? 'problem' : 'problems'}: ${listed}.`,
      {
        userMessage: {
          sv: `Kunduppgifterna har ${count} fel som måste rättas.`,
          en: `The customer data has ${count} ${count === 1 ? 'problem' : 'problems'} to correct.`,
        },
      },
    );
    this.issues = issues;
  }
}

/**
 * True when `value` is a {@link MappingError}: an instance, or its JSON form after it crossed a queue
 * or a database (then a plain object with the same fields, without `stack`).
 */
export function isMappingError(value: unknown): value is MappingError {
  if (value instanceof MappingError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { kind, issues, message, userMessage } = value as Record<string, unknown>;
  return (
    kind === 'mapping' &&
    Array.isArray(issues) &&
    issues.length > 0 &&
    issues.every(isMappingIssueLike) &&
    typeof message === 'string' &&
    isLocalizedMessage(userMessage)
  );
}

function isMappingIssueLike(issue: unknown): boolean {
  if (typeof issue !== 'object' || issue === null) return false;
  const { code, message, userMessage } = issue as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' && isLocalizedMessage(userMessage);
}

/** The definite noun phrase naming each field in messages. */
const SOURCE_FIELD_SUBJECTS: Readonly<Record<SourceCustomerField, LocalizedMessage>> = {
  customer: { sv: 'Kunden', en: 'The customer' },
  id: { sv: 'Kundens id', en: 'The customer id' },
  type: { sv: 'Kundtypen', en: 'The customer type' },
  name: { sv: 'Namnet', en: 'The name' },
  email: { sv: 'E-postadressen', en: 'The e-mail address' },
  phone: { sv: 'Telefonnumret', en: 'The phone number' },
  address: { sv: 'Adressen', en: 'The address' },
  'address.street': { sv: 'Gatuadressen', en: 'The street address' },
  'address.postalCode': { sv: 'Postnumret', en: 'The postal code' },
  'address.city': { sv: 'Orten', en: 'The city' },
  'address.countryCode': { sv: 'Landet', en: 'The country' },
  organisationNumber: { sv: 'Organisationsnumret', en: 'The organisation number' },
  active: { sv: 'Aktiv-markeringen', en: 'The active flag' },
};

/** What an issue needs besides its field and code. */
export type MappingIssueDetails = {
  readonly fortnoxField?: OwnedCustomerField;
  /** Every rejected character; the issue keeps only those a message may show. */
  readonly characters?: readonly string[];
  /** The field could be transliterated: the message says that the `transliterate` option exists. */
  readonly canTransliterate?: boolean;
  readonly maxLength?: number;
  readonly cause?: IdentifierError;
  /** Names the field differently, e.g. `Personnumret` for a private person's identity number. */
  readonly subject?: LocalizedMessage;
};

/** Builds a {@link MappingIssue} with its bilingual message. */
export function createMappingIssue(
  field: SourceCustomerField,
  code: MappingIssueCode,
  details: MappingIssueDetails = {},
): MappingIssue {
  const {
    subject = SOURCE_FIELD_SUBJECTS[field],
    characters,
    canTransliterate: _canTransliterate,
    ...rest
  } = details;
  const userMessage = describeMappingProblem(subject, code, details);
  const shown =
    characters === undefined ? {} : showableCharacters(partitionDisallowedCharacters(characters));
  return {
    field,
    path: field === 'customer' ? [] : field.split('.'),
    code,
    message: userMessage.en,
    userMessage,
    ...rest,
    ...shown,
  };
}

/** Wraps one or more issues into a {@link MappingError}. */
export function createMappingError(
  issues: readonly [MappingIssue, ...MappingIssue[]],
): MappingError {
  return new MappingError(issues);
}

function describeMappingProblem(
  subject: LocalizedMessage,
  code: MappingIssueCode,
  details: MappingIssueDetails,
): LocalizedMessage {
  switch (code) {
    case 'required':
      return { sv: `${subject.sv} måste fyllas i.`, en: `${subject.en} is required.` };
    case 'invalid-type':
      return { sv: `${subject.sv} har fel datatyp.`, en: `${subject.en} has the wrong data type.` };
    case 'invalid-value':
      return {
        sv: `${subject.sv} har ett ogiltigt värde.`,
        en: `${subject.en} has an invalid value.`,
      };
    case 'disallowed-characters': {
      const characters = partitionDisallowedCharacters(details.characters ?? []);
      const shown = describeCharacters(characters);
      const hint =
        details.canTransliterate === true && characters.hasOtherAlphabets
          ? {
              sv: ' Skriv det med latinska bokstäver, eller slå på omskrivning till latinska bokstäver (alternativet transliterate).',
              en: ' Write it in Latin letters, or turn on rewriting in Latin letters (the transliterate option).',
            }
          : { sv: '', en: '' };
      return {
        sv: `${subject.sv} innehåller tecken som Fortnox inte tillåter: ${shown.sv}.${hint.sv}`,
        en: `${subject.en} contains characters that Fortnox does not allow: ${shown.en}.${hint.en}`,
      };
    }
    case 'rejected-by-fortnox-schema':
      return {
        sv: `${subject.sv} godtas inte av Fortnox.`,
        en: `${subject.en} is not accepted by Fortnox.`,
      };
    case 'too-long':
      if (details.maxLength !== undefined) {
        return {
          sv: `${subject.sv} får vara högst ${details.maxLength} tecken.`,
          en: `${subject.en} may be at most ${details.maxLength} characters.`,
        };
      }
      return describeIdentifierProblem(subject, code);
    default:
      return describeIdentifierProblem(subject, code);
  }
}

type PartitionedCharacters = ReturnType<typeof partitionDisallowedCharacters>;

/** What an issue may carry of the rejected characters: symbols one by one, other alphabets as a flag. */
function showableCharacters({ symbols, hasOtherAlphabets }: PartitionedCharacters) {
  return { characters: symbols, otherAlphabets: hasOtherAlphabets };
}

/** The rejected symbols one by one, and letters of other alphabets only as a group. */
function describeCharacters({
  symbols,
  hasOtherAlphabets,
}: PartitionedCharacters): LocalizedMessage {
  const symbolList = symbols.map(showCharacter).join(' ');
  if (!hasOtherAlphabets) return { sv: symbolList, en: symbolList };
  const letters = {
    sv: 'bokstäver, siffror eller accenter från andra alfabet',
    en: 'letters, digits or accents from other alphabets',
  };
  if (symbols.length === 0) return letters;
  return { sv: `${symbolList} och ${letters.sv}`, en: `${symbolList} and ${letters.en}` };
}

/** A character as a person can read it in a message: invisible ones by their code point. */
function showCharacter(char: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)
    ? `”${char}”`
    : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
