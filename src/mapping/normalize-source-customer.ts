import { err, ok, type Result } from 'neverthrow';
import type { OwnedCustomerField } from '../fortnox/index.js';
import { normalizeCountryCode } from './country-code.js';
import { normalizeEmail } from './email.js';
import { createMappingError, type MappingError, type MappingIssue } from './mapping-error.js';
import type { MappingWarning } from './mapping-warning.js';
import {
  checkFortnoxText,
  type FieldOutcome,
  fail,
  identifierIssue,
  isBlank,
  normalizeFreeText,
  normalizeIdentityNumber,
} from './normalize-fields.js';
import type { MappingOptions, NormalizedCustomer } from './normalized-customer.js';
import { DEFAULT_PHONE_COUNTRY, normalizePhoneNumber } from './phone-number.js';
import { normalizePostalCode } from './postal-code.js';
import { isRecord, readSourceCustomerShape, type SourceCustomer } from './source-customer-shape.js';

/** Everything read from a source customer: the valid normalised fields and every issue. */
export type SourceCustomerAnalysis = {
  /** The input with unknown keys dropped, when every field had the right shape. */
  readonly source: SourceCustomer | undefined;
  /** The owned fields that could be normalised. */
  readonly normalized: Partial<NormalizedCustomer>;
  /** Every problem, in field order. */
  readonly issues: readonly MappingIssue[];
  /** Every change a person should check (option `transliterate`), in field order. */
  readonly warnings: readonly MappingWarning[];
};

/**
 * Reads a source customer into the exact owned-field values this library writes to Fortnox.
 * Every field is checked; the error lists every problem at once.
 *
 * @example
 * normalizeSourceCustomer({ id: '42', type: 'company', name: ' Acme  AB', organisationNumber: '5560360793', active: true })
 * // ok({ Name: 'Acme AB', OrganisationNumber: '556036-0793', Type: 'COMPANY', ExternalReference: '42', … })
 */
export function normalizeSourceCustomer(
  source: SourceCustomer,
  options: MappingOptions = {},
): Result<NormalizedCustomer, MappingError> {
  return normalizeWithWarnings(source, options).map(({ normalized }) => normalized);
}

/** {@link normalizeSourceCustomer} with the warnings of the fields it changed (`transliterate`). */
export function normalizeWithWarnings(
  source: SourceCustomer,
  options: MappingOptions = {},
): Result<
  { readonly normalized: NormalizedCustomer; readonly warnings: readonly MappingWarning[] },
  MappingError
> {
  const { normalized, issues, warnings } = analyzeSourceCustomer(source, options);
  const [first, ...rest] = issues;
  if (first !== undefined) return err(createMappingError([first, ...rest]));
  return ok({ normalized: normalized as NormalizedCustomer, warnings });
}

/** Reads an untyped value field by field; see {@link SourceCustomerAnalysis}. */
export function analyzeSourceCustomer(
  input: unknown,
  options: MappingOptions = {},
): SourceCustomerAnalysis {
  const { now, defaultPhoneCountry, transliterate = false } = resolveMappingOptions(options);
  const shape = readSourceCustomerShape(input);
  const { fields } = shape;
  const address = fields.address ?? undefined;
  const normalized: Partial<Record<OwnedCustomerField, string | boolean | null>> = {};
  const issues: MappingIssue[] = [...shape.issues];
  const warnings: MappingWarning[] = [];
  const take = (fortnoxField: OwnedCustomerField, outcome: FieldOutcome) => {
    if ('issue' in outcome) issues.push(outcome.issue);
    else {
      normalized[fortnoxField] = outcome.value;
      if (outcome.warning !== undefined) warnings.push(outcome.warning);
    }
  };

  if (fields.id !== undefined) take('ExternalReference', normalizeId(fields.id));
  if (fields.type !== undefined)
    normalized.Type = fields.type === 'private' ? 'PRIVATE' : 'COMPANY';
  if (fields.name !== undefined) {
    const target = { field: 'name', fortnoxField: 'Name' } as const;
    take('Name', normalizeFreeText(fields.name, target, { required: true, transliterate }));
  }
  take('Email', normalizeEmailField(fields.email));
  const country = normalizeCountryField(address?.countryCode);
  take('CountryCode', country);
  const countryCode = 'value' in country ? country.value : undefined;
  take('Phone1', normalizePhoneField(fields.phone, defaultPhoneCountry ?? countryCode));
  const street = { field: 'address.street', fortnoxField: 'Address1' } as const;
  take('Address1', normalizeFreeText(address?.street, street, { transliterate }));
  take('ZipCode', normalizePostalField(address?.postalCode, countryCode));
  const city = { field: 'address.city', fortnoxField: 'City' } as const;
  take('City', normalizeFreeText(address?.city, city, { transliterate }));
  const identity = { field: 'organisationNumber', fortnoxField: 'OrganisationNumber' } as const;
  take(
    'OrganisationNumber',
    normalizeIdentityNumber(fields.organisationNumber, fields.type, now, identity, countryCode),
  );
  if (fields.active !== undefined) normalized.Active = fields.active;

  const source = shape.issues.length === 0 ? (fields as SourceCustomer) : undefined;
  return {
    source,
    normalized: normalized as Partial<NormalizedCustomer>,
    issues: sortByField(issues),
    warnings,
  };
}

/** Options as given by an untyped caller: anything that is not an object counts as none. */
function resolveMappingOptions(options: unknown): MappingOptions {
  if (!isRecord(options)) return {};
  const { now, defaultPhoneCountry, transliterate } = options;
  return {
    ...(now instanceof Date ? { now } : {}),
    ...(typeof defaultPhoneCountry === 'string' ? { defaultPhoneCountry } : {}),
    transliterate: transliterate === true,
  };
}

const FIELD_ORDER = [
  'customer',
  'id',
  'type',
  'name',
  'email',
  'phone',
  'address',
  'address.street',
  'address.postalCode',
  'address.city',
  'address.countryCode',
  'organisationNumber',
  'active',
];

function sortByField(issues: MappingIssue[]): MappingIssue[] {
  return issues.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
}

/** The id is stored as it is (trimmed) so it can be found again: nothing is substituted. */
function normalizeId(id: string): FieldOutcome {
  const target = { field: 'id', fortnoxField: 'ExternalReference' } as const;
  const trimmed = id.trim();
  if (trimmed === '') return normalizeFreeText(undefined, target, { required: true });
  const lineBreaks = [...new Set(trimmed.match(/[\n\r\t]/gu) ?? [])];
  if (lineBreaks.length > 0)
    return fail(target, 'disallowed-characters', { characters: lineBreaks });
  return checkFortnoxText(trimmed, target);
}

function normalizeEmailField(value: string | null | undefined): FieldOutcome {
  const target = { field: 'email', fortnoxField: 'Email' } as const;
  if (isBlank(value)) return { value: null };
  const email = normalizeEmail(value);
  return email.isOk()
    ? checkFortnoxText(email.value, target)
    : identifierIssue(target, email.error);
}

function normalizeCountryField(value: string | null | undefined): FieldOutcome {
  const target = { field: 'address.countryCode', fortnoxField: 'CountryCode' } as const;
  if (isBlank(value)) return { value: null };
  const country = normalizeCountryCode(value);
  return country.isOk() ? { value: country.value } : identifierIssue(target, country.error);
}

function normalizePhoneField(
  value: string | null | undefined,
  country: string | null | undefined,
): FieldOutcome {
  const target = { field: 'phone', fortnoxField: 'Phone1' } as const;
  if (isBlank(value)) return { value: null };
  let phone = normalizePhoneNumber(value, country ?? DEFAULT_PHONE_COUNTRY);
  // A country without a numbering plan of its own (Antarctica, Bouvet Island…): read as Swedish.
  if (phone.isErr() && phone.error.code === 'unsupported-country') {
    phone = normalizePhoneNumber(value, DEFAULT_PHONE_COUNTRY);
  }
  return phone.isOk()
    ? checkFortnoxText(phone.value.formatted, target)
    : identifierIssue(target, phone.error);
}

function normalizePostalField(
  value: string | null | undefined,
  country: string | null | undefined,
): FieldOutcome {
  const target = { field: 'address.postalCode', fortnoxField: 'ZipCode' } as const;
  if (isBlank(value)) return { value: null };
  // An unreadable country is reported on its own; its postcode is then kept as written.
  const postal = normalizePostalCode(value, country === undefined ? 'ZZ' : (country ?? 'SE'));
  return postal.isOk()
    ? checkFortnoxText(postal.value, target)
    : identifierIssue(target, postal.error);
}
