/**
 * Mapping between a source system's customers and Fortnox customers, and normalisation of Swedish
 * identifiers, phone numbers, postal codes, e-mail addresses and country names. Pure: every fallible
 * function returns a neverthrow `Result`.
 * @packageDocumentation
 */
export {
  COMPLETENESS_FIELDS,
  type Completeness,
  type CompletenessField,
  completeness,
  type FillPlan,
  fillFromMoreComplete,
} from './completeness.js';
export { normalizeCountryCode } from './country-code.js';
export { diffOwnedFields, type OwnedFieldDifference } from './diff-owned-fields.js';
export { MAX_EMAIL_LENGTH, normalizeEmail } from './email.js';
export { fingerprint } from './fingerprint.js';
export {
  FORTNOX_CHARACTER_SUBSTITUTES,
  type FortnoxText,
  toFortnoxText,
} from './fortnox-text.js';
export {
  fromFortnoxCustomer,
  type SourceAddressShape,
  type SourceCustomerListShape,
  type SourceCustomerShape,
} from './from-fortnox-customer.js';
export {
  IdentifierError,
  type IdentifierErrorCode,
  type IdentifierKind,
  isIdentifierError,
} from './identifier-error.js';
export type { LegalForm } from './legal-form.js';
export type { LocalizedMessage } from './localized-message.js';
export {
  isMappingError,
  MappingError,
  type MappingIssue,
  type MappingIssueCode,
  type SourceCustomerField,
} from './mapping-error.js';
export type { MappingWarning, MappingWarningCode } from './mapping-warning.js';
export { normalizeName } from './name.js';
export { normalizeFortnoxCustomer } from './normalize-fortnox-customer.js';
export { normalizeSourceCustomer } from './normalize-source-customer.js';
export type {
  MappingOptions,
  NormalizedCustomer,
  OwnedFieldValues,
} from './normalized-customer.js';
export { type OrganisationNumber, parseOrganisationNumber } from './organisation-number.js';
export {
  type PersonalIdentityNumber,
  type PersonalIdentityNumberOptions,
  parsePersonalIdentityNumber,
} from './personal-identity-number.js';
export { DEFAULT_PHONE_COUNTRY, normalizePhoneNumber, type PhoneNumber } from './phone-number.js';
export { MAX_POSTAL_CODE_LENGTH, normalizePostalCode } from './postal-code.js';
export { parseSourceCustomer, SourceCustomerSchema } from './source-customer.js';
export type { SourceAddress, SourceCustomer } from './source-customer-shape.js';
export {
  type MapCustomerOptions,
  type MappedCustomer,
  mapCustomer,
  type ToFortnoxCustomerOptions,
  toFortnoxCustomer,
} from './to-fortnox-customer.js';
