import { err, ok, type Result } from 'neverthrow';
import {
  API_BLANK,
  CUSTOMER_FIELD_CONSTRAINTS,
  CUSTOMER_NUMBER_PATTERN,
  type FieldConstraint,
  FORTNOX_EMAIL_PATTERN,
  findDisallowedCharacters,
  isIsoCountryCode,
  LIST_ORGANISATION_NUMBER_MAX_LENGTH,
  READ_ONLY_CUSTOMER_FIELDS,
} from '../../fortnox/index.js';
import type { CustomerValue } from './customer-record.js';
import { type ApiError, apiError, EMPTY_NAME_ERROR, INVALID_PARAMETER_CODE } from './responses.js';

/** A change to one field: a new value, or `clear` (sent as `API_BLANK`). */
export type FieldChange =
  | { readonly kind: 'set'; readonly value: CustomerValue }
  | { readonly kind: 'clear' };

/** The validated content of a write: the fields that change. */
export type CustomerPatch = ReadonlyMap<string, FieldChange>;

/** Settings of {@link validateCustomerWrite}. */
export type WriteValidationOptions = {
  readonly mode: 'create' | 'update';
  readonly readOnlyFields: 'ignore' | 'reject';
};

const CONSTRAINTS: Readonly<Record<string, FieldConstraint>> = CUSTOMER_FIELD_CONSTRAINTS;
const READ_ONLY: ReadonlySet<string> = new Set(READ_ONLY_CUSTOMER_FIELDS);
const EMAIL_FIELDS: ReadonlySet<string> = new Set([
  'Email',
  'EmailInvoice',
  'EmailOffer',
  'EmailOrder',
]);
const COUNTRY_CODE_FIELDS: ReadonlySet<string> = new Set([
  'CountryCode',
  'DeliveryCountryCode',
  'VisitingCountryCode',
]);

/** ISO 4217 codes in use (Fortnox only knows existing currencies). */
const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/**
 * Limits a list item imposes on the full record: the list schema caps `OrganisationNumber` at 30 while
 * the full schema gives none, so a longer one could never be listed. Refusing it is the safe choice.
 */
const LIST_MAX_LENGTHS: Readonly<Record<string, number>> = {
  OrganisationNumber: LIST_ORGANISATION_NUMBER_MAX_LENGTH,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rules Fortnox applies to particular text fields beyond length and characters. */
function checkTextRules(field: string, value: string): ApiError | undefined {
  if (field === 'CustomerNumber' && !CUSTOMER_NUMBER_PATTERN.test(value)) {
    return apiError(2000106, value);
  }
  if (COUNTRY_CODE_FIELDS.has(field) && !isIsoCountryCode(value.toUpperCase())) {
    return apiError(INVALID_PARAMETER_CODE);
  }
  if (field === 'Currency' && !CURRENCY_CODES.has(value.toUpperCase())) {
    return apiError(INVALID_PARAMETER_CODE);
  }
  if (EMAIL_FIELDS.has(field) && !FORTNOX_EMAIL_PATTERN.test(value)) {
    return apiError(INVALID_PARAMETER_CODE);
  }
  return undefined;
}

function checkText(
  field: string,
  constraint: Extract<FieldConstraint, { type: 'string' }>,
  raw: unknown,
): Result<string, ApiError> {
  if (typeof raw !== 'string' && typeof raw !== 'number') return err(apiError(2001392));
  const value = String(raw);
  const length = [...value].length;
  const maxLength = constraint.maxLength ?? LIST_MAX_LENGTHS[field];
  if (maxLength !== undefined && length > maxLength) {
    return err(apiError(INVALID_PARAMETER_CODE));
  }
  if (constraint.minLength !== undefined && length < constraint.minLength) {
    return err(apiError(INVALID_PARAMETER_CODE));
  }
  if (findDisallowedCharacters(value).length > 0) return err(apiError(2000359, value));
  const broken = checkTextRules(field, value);
  if (broken !== undefined) return err(broken);
  return ok(COUNTRY_CODE_FIELDS.has(field) || field === 'Currency' ? value.toUpperCase() : value);
}

function checkObject(
  constraint: Extract<FieldConstraint, { type: 'object' }>,
  raw: unknown,
): Result<CustomerValue, ApiError> {
  if (!isRecord(raw)) return err(apiError(2001392));
  const inner: Record<string, string | null> = {};
  const fields: Readonly<Record<string, FieldConstraint>> = constraint.fields;
  for (const [name, value] of Object.entries(raw)) {
    const innerConstraint = fields[name];
    if (innerConstraint === undefined) return err(apiError(2001399));
    if (value === null || value === '') continue;
    const checked = checkValue(name, innerConstraint, value);
    if (checked.isErr()) return err(checked.error);
    inner[name] = String(checked.value);
  }
  return ok(inner);
}

/** Checks one present, non-empty value against its constraint. */
function checkValue(
  field: string,
  constraint: FieldConstraint,
  raw: unknown,
): Result<CustomerValue, ApiError> {
  switch (constraint.type) {
    case 'string':
      return checkText(field, constraint, raw);
    case 'enum':
      return typeof raw === 'string' && constraint.values.includes(raw)
        ? ok(raw)
        : err(apiError(INVALID_PARAMETER_CODE));
    case 'boolean':
      return typeof raw === 'boolean' ? ok(raw) : err(apiError(2000134, String(raw)));
    case 'number': {
      const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof value === 'number' && Number.isFinite(value)
        ? ok(value)
        : err(apiError(2000108, String(raw)));
    }
    case 'object':
      return checkObject(constraint, raw);
  }
}

/** Reads the `{"Customer": {...}}` wrapper: anything else is 2001392, like Fortnox. */
function unwrap(body: unknown): Result<Record<string, unknown>, ApiError> {
  if (!isRecord(body) || !isRecord(body.Customer)) return err(apiError(2001392));
  return ok(body.Customer);
}

function checkField(
  field: string,
  raw: unknown,
  options: WriteValidationOptions,
): Result<FieldChange | undefined, ApiError> {
  const constraint = CONSTRAINTS[field];
  if (constraint === undefined) return err(apiError(2001399));
  if (READ_ONLY.has(field)) {
    return options.readOnlyFields === 'reject' ? err(apiError(2001399)) : ok(undefined);
  }
  const isEmpty = raw === null || raw === '';
  if (field === 'Name' && (raw === API_BLANK || (isEmpty && options.mode === 'create'))) {
    // Fortnox reports an empty Name with the "customer number already used" code.
    return err(EMPTY_NAME_ERROR);
  }
  if (isEmpty) return ok(undefined);
  if (raw === API_BLANK) {
    if (constraint.type !== 'string' || field === 'CustomerNumber') {
      return err(apiError(INVALID_PARAMETER_CODE));
    }
    return ok({ kind: 'clear' });
  }
  const checked = checkValue(field, constraint, raw);
  return checked.map((value): FieldChange => ({ kind: 'set', value }));
}

/**
 * Validates a POST/PUT body the way Fortnox does and returns the fields that change. `null` and `""`
 * mean "unchanged", `API_BLANK` clears. The first problem wins, as Fortnox reports one error at a time.
 */
export function validateCustomerWrite(
  body: unknown,
  options: WriteValidationOptions,
): Result<CustomerPatch, ApiError> {
  const customer = unwrap(body);
  if (customer.isErr()) return err(customer.error);
  const patch = new Map<string, FieldChange>();
  for (const [field, raw] of Object.entries(customer.value)) {
    const change = checkField(field, raw, options);
    if (change.isErr()) return err(change.error);
    if (change.value !== undefined) patch.set(field, change.value);
  }
  if (options.mode === 'create' && !patch.has('Name')) return err(EMPTY_NAME_ERROR);
  return ok(patch);
}
