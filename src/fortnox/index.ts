export {
  FORTNOX_ALLOWED_PUNCTUATION,
  findDisallowedCharacters,
  isAllowedFortnoxCharacter,
  isAllowedFortnoxText,
  partitionDisallowedCharacters,
} from './characters.js';
export { ISO_COUNTRY_CODES, isIsoCountryCode } from './country-codes.js';
export {
  API_BLANK,
  CUSTOMER_FIELD_CONSTRAINTS,
  CUSTOMER_LIST_FIELDS,
  CUSTOMER_NUMBER_PATTERN,
  type CustomerFieldName,
  type FieldConstraint,
  LIST_ORGANISATION_NUMBER_MAX_LENGTH,
  MAX_PAGE_LIMIT,
  OWNED_CUSTOMER_FIELDS,
  type OwnedCustomerField,
  READ_ONLY_CUSTOMER_FIELDS,
} from './customer-fields.js';
export {
  type CustomerListResponse,
  CustomerListResponseSchema,
  type CustomerResponse,
  CustomerResponseSchema,
  type FortnoxCustomer,
  type FortnoxCustomerListItem,
  FortnoxCustomerListItemSchema,
  FortnoxCustomerSchema,
  type MetaInformation,
  MetaInformationSchema,
} from './customer-schemas.js';
export {
  FORTNOX_EMAIL_PATTERN,
  type FortnoxCustomerCreate,
  FortnoxCustomerCreateSchema,
  type FortnoxCustomerWrite,
  FortnoxCustomerWriteSchema,
  type WritableCustomerField,
} from './customer-write-schema.js';
export {
  explainFortnoxErrorCode,
  FORTNOX_ERROR_CODES,
  type FortnoxErrorCodeInfo,
  isKnownFortnoxErrorCode,
  type KnownFortnoxErrorCode,
} from './error-codes.js';
export {
  type ErrorInformation,
  ErrorInformationError,
  parseErrorInformation,
} from './error-information.js';
export { formatStockholmDateTime, parseStockholmTimestamp } from './stockholm-time.js';
export {
  assignDefined,
  FortnoxSyncError,
  type FortnoxSyncErrorOptions,
  isLocalizedMessage,
  type LocalizedMessage,
} from './sync-error.js';
