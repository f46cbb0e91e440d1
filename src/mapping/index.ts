/**
 * Mapping between a source system's customers and Fortnox customers, and normalisation of Swedish
 * identifiers, phone numbers, postal codes, e-mail addresses and country names. Pure: every fallible
 * function returns a neverthrow `Result`.
 * @packageDocumentation
 */
export { normalizeCountryCode } from './country-code.js';
export { MAX_EMAIL_LENGTH, normalizeEmail } from './email.js';
export {
  createIdentifierError,
  type IdentifierError,
  type IdentifierErrorCode,
  type IdentifierKind,
} from './identifier-error.js';
export type { LegalForm } from './legal-form.js';
export type { LocalizedMessage } from './localized-message.js';
export { normalizeName } from './name.js';
export { type OrganisationNumber, parseOrganisationNumber } from './organisation-number.js';
export {
  type PersonalIdentityNumber,
  type PersonalIdentityNumberOptions,
  parsePersonalIdentityNumber,
} from './personal-identity-number.js';
export { DEFAULT_PHONE_COUNTRY, normalizePhoneNumber, type PhoneNumber } from './phone-number.js';
export { MAX_POSTAL_CODE_LENGTH, normalizePostalCode } from './postal-code.js';
