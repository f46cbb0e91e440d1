import {
  normalizeCountryCode,
  parseOrganisationNumber,
  parsePersonalIdentityNumber,
} from '../mapping/index.js';
import { digitsOf, foldText, foldTokens } from './fold-text.js';
import { nameTokens } from './name-tokens.js';
import { phoneDigits } from './phone-digits.js';

/** Whether a customer is a company or a private person. */
export type CustomerKind = 'company' | 'private';

/** The customer values that features are computed from (source customer or Fortnox customer). */
export type FeatureInput = {
  readonly kind: CustomerKind | undefined;
  readonly name: string | null | undefined;
  readonly email: string | null | undefined;
  readonly phone: string | null | undefined;
  readonly street: string | null | undefined;
  readonly postalCode: string | null | undefined;
  readonly city: string | null | undefined;
  readonly countryCode: string | null | undefined;
  /** Organisation number, or personnummer for a private person (Fortnox's `OrganisationNumber`). */
  readonly identityNumber: string | null | undefined;
};

/**
 * A customer normalised once for comparison and blocking. Identity is `o:` + 10 digits for an
 * organisation number, `p:` + 12 digits for a personnummer/samordningsnummer, and `r:` + the raw
 * digits of a number that parses as neither (kept, so equal typos still meet).
 */
export type CustomerFeatures = {
  readonly kind: CustomerKind | undefined;
  /**
   * The name's folded tokens as compared with a company: legal forms ("AB", "HB", …) stripped.
   * A private person's name is kept whole (see {@link CustomerFeatures.personNameTokens}).
   */
  readonly nameTokens: readonly string[];
  /** The name tokens joined by spaces, for the equality fast path. */
  readonly nameKey: string;
  /**
   * The name's folded tokens with nothing stripped, as compared with a private person: a person
   * called "Eva As" is not "Eva Sa". The same array as `nameTokens` when nothing was stripped.
   */
  readonly personNameTokens: readonly string[];
  /** The person name tokens joined by spaces. */
  readonly personNameKey: string;
  readonly identity: string | undefined;
  readonly email: string | undefined;
  /** E.164 digits without `+`, or only the digits when the number is not a valid phone number. */
  readonly phone: string | undefined;
  readonly streetTokens: readonly string[];
  /** The street tokens joined by spaces, for the equality fast path. */
  readonly streetKey: string;
  /** Letters and digits of the postal code, lower case (`26432`). */
  readonly postalCode: string | undefined;
  readonly city: string | undefined;
  readonly countryCode: string | undefined;
};

/** Fewer digits than this do not identify a phone or an identity number. */
const MIN_IDENTIFYING_DIGITS = 5;

/** A non-blank text, trimmed; anything else (also a value of the wrong type) is no value. */
function present(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Whether an identity number is shaped like a personnummer (a person's birth date inside). */
function looksPersonal(digits: string): boolean {
  if (digits.length === 12) return /^(18|19|20)/.test(digits);
  // An organisation number's third digit is at least 2; a personnummer's is a month's first.
  return digits.length === 10 && digits.charCodeAt(2) < 50;
}

function identityOf(raw: string | undefined, now: Date | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const digits = digitsOf(raw);
  // The likely parser first: a failed parse builds an error, which is not free at 100 000 customers.
  if (looksPersonal(digits)) {
    const person = parsePersonalIdentityNumber(raw, now === undefined ? {} : { now });
    if (person.isOk()) return `p:${person.value.digits12}`;
  }
  const organisation = parseOrganisationNumber(raw);
  if (organisation.isOk()) return `o:${organisation.value.digits}`;
  if (!looksPersonal(digits)) {
    const person = parsePersonalIdentityNumber(raw, now === undefined ? {} : { now });
    if (person.isOk()) return `p:${person.value.digits12}`;
  }
  return digits.length >= MIN_IDENTIFYING_DIGITS ? `r:${digits}` : undefined;
}

function phoneOf(raw: string | undefined, countryCode: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const digits = phoneDigits(raw, countryCode);
  return digits.length >= MIN_IDENTIFYING_DIGITS ? digits : undefined;
}

function kindOf(declared: CustomerKind | undefined, identity: string | undefined) {
  if (declared !== undefined) return declared;
  if (identity?.startsWith('o:')) return 'company';
  if (identity?.startsWith('p:')) return 'private';
  return undefined;
}

/** Normalises a customer's values into {@link CustomerFeatures} (done once per customer). */
export function extractFeatures(input: FeatureInput, now?: Date): CustomerFeatures {
  const country = present(input.countryCode);
  // A country the mapper cannot read ("Sverje") is no country: phones are then read as Swedish.
  const countryCode =
    country === undefined ? undefined : normalizeCountryCode(country).unwrapOr(undefined);
  const identity = identityOf(present(input.identityNumber), now);
  // Compared case-insensitively: mailbox names are in practice, whatever RFC 5321 allows.
  const email = present(input.email)?.normalize('NFC').toLowerCase();
  const postalCode = present(input.postalCode);
  const city = present(input.city);
  const kind = kindOf(input.kind, identity);
  const personNames = foldTokens(present(input.name) ?? '');
  // Legal forms are stripped from company names only; a list item of unknown kind keeps both.
  const stripped = kind === 'private' ? personNames : nameTokens(personNames);
  const names = stripped.length === personNames.length ? personNames : stripped;
  const nameKey = names.join(' ');
  const streetTokens = foldTokens(present(input.street) ?? '');
  return {
    kind,
    nameTokens: names,
    nameKey,
    personNameTokens: personNames,
    personNameKey: names === personNames ? nameKey : personNames.join(' '),
    identity,
    email,
    phone: phoneOf(present(input.phone), countryCode),
    streetTokens,
    streetKey: streetTokens.join(' '),
    postalCode:
      postalCode === undefined ? undefined : foldText(postalCode).replaceAll(' ', '') || undefined,
    city: city === undefined ? undefined : foldText(city) || undefined,
    countryCode,
  };
}
