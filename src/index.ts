/**
 * fortnox-sync: keep a business system's customers in sync with Fortnox.
 *
 * Every export is named here on purpose (no `export *`), so the public API is visible in one file.
 * @packageDocumentation
 */

// --- neverthrow, re-exported so users share one copy -------------------------------------------
export { err, errAsync, ok, okAsync, Result, ResultAsync } from 'neverthrow';

// --- fortnox data model (src/fortnox) ---------------------------------------------------------

// --- client (src/client) ------------------------------------------------------------------------

// --- mapping (src/mapping) ----------------------------------------------------------------------
export {
  COMPLETENESS_FIELDS,
  type Completeness,
  type CompletenessField,
  completeness,
  DEFAULT_PHONE_COUNTRY,
  diffOwnedFields,
  type FillPlan,
  FORTNOX_CHARACTER_SUBSTITUTES,
  type FortnoxText,
  fillFromMoreComplete,
  fingerprint,
  fromFortnoxCustomer,
  type IdentifierError,
  type IdentifierErrorCode,
  type IdentifierKind,
  type LegalForm,
  type LocalizedMessage,
  MAX_EMAIL_LENGTH,
  MAX_POSTAL_CODE_LENGTH,
  type MappingError,
  type MappingIssue,
  type MappingIssueCode,
  type MappingOptions,
  type NormalizedCustomer,
  normalizeCountryCode,
  normalizeEmail,
  normalizeFortnoxCustomer,
  normalizeName,
  normalizePhoneNumber,
  normalizePostalCode,
  normalizeSourceCustomer,
  type OrganisationNumber,
  type OwnedFieldDifference,
  type OwnedFieldValues,
  type PersonalIdentityNumber,
  type PersonalIdentityNumberOptions,
  type PhoneNumber,
  parseOrganisationNumber,
  parsePersonalIdentityNumber,
  parseSourceCustomer,
  type SourceAddress,
  type SourceAddressShape,
  type SourceCustomer,
  type SourceCustomerField,
  type SourceCustomerListShape,
  SourceCustomerSchema,
  type SourceCustomerShape,
  type ToFortnoxCustomerOptions,
  toFortnoxCustomer,
  toFortnoxText,
} from './mapping/index.js';

// --- duplicates (src/duplicates) ----------------------------------------------------------------
