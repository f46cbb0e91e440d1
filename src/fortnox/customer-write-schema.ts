import { z } from 'zod';
import { findDisallowedCharacters, partitionDisallowedCharacters } from './characters.js';
import { isIsoCountryCode } from './country-codes.js';
import {
  API_BLANK,
  CUSTOMER_FIELD_CONSTRAINTS,
  CUSTOMER_NUMBER_PATTERN,
  type CustomerFieldName,
  type FieldConstraint,
  READ_ONLY_CUSTOMER_FIELDS,
} from './customer-fields.js';

type ReadOnlyField = (typeof READ_ONLY_CUSTOMER_FIELDS)[number];
/** A field a write may contain. */
export type WritableCustomerField = Exclude<CustomerFieldName, ReadOnlyField>;

type WriteValue<C> = C extends { type: 'string' }
  ? string
  : C extends { type: 'enum'; values: readonly (infer V)[] }
    ? V
    : C extends { type: 'boolean' }
      ? boolean
      : C extends { type: 'number' }
        ? number
        : C extends { type: 'object'; fields: infer F }
          ? { [K in keyof F]?: WriteValue<F[K]> }
          : never;

/**
 * What may be sent in `{"Customer": …}` on POST or PUT: writable fields only, every one optional.
 * A string field may be `'API_BLANK'` to clear it (except `Name`).
 */
export type FortnoxCustomerWrite = {
  [K in WritableCustomerField]?: WriteValue<(typeof CUSTOMER_FIELD_CONSTRAINTS)[K]>;
};

/** A create must carry a `Name`. */
export type FortnoxCustomerCreate = FortnoxCustomerWrite & { Name: string };

/** A practical e-mail rule: one `@`, no spaces, a dotted domain. Fortnox rejects malformed addresses. */
export const FORTNOX_EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** Extra per-field rules Fortnox applies beyond length (a rule returns a message when broken). */
const FIELD_RULES: Partial<Record<CustomerFieldName, (value: string) => string | undefined>> = {
  CustomerNumber: (v) =>
    CUSTOMER_NUMBER_PATTERN.test(v) ? undefined : 'may contain only letters, digits and - + / _',
  CountryCode: (v) =>
    isIsoCountryCode(v) ? undefined : 'must be an existing ISO 3166-1 alpha-2 code',
  DeliveryCountryCode: (v) =>
    isIsoCountryCode(v) ? undefined : 'must be an existing ISO 3166-1 alpha-2 code',
  VisitingCountryCode: (v) =>
    isIsoCountryCode(v) ? undefined : 'must be an existing ISO 3166-1 alpha-2 code',
  Currency: (v) => (/^[A-Z]{3}$/.test(v) ? undefined : 'must be a three-letter currency code'),
  GLN: (v) => (/^\d{13}$/.test(v) ? undefined : 'must be 13 digits'),
  GLNDelivery: (v) => (/^\d{13}$/.test(v) ? undefined : 'must be 13 digits'),
  SalesAccount: (v) => (/^\d{4}$/.test(v) ? undefined : 'must be a four-digit account'),
  Email: (v) => (FORTNOX_EMAIL_PATTERN.test(v) ? undefined : 'must be a valid e-mail address'),
  EmailInvoice: (v) =>
    FORTNOX_EMAIL_PATTERN.test(v) ? undefined : 'must be a valid e-mail address',
  EmailOffer: (v) => (FORTNOX_EMAIL_PATTERN.test(v) ? undefined : 'must be a valid e-mail address'),
  EmailOrder: (v) => (FORTNOX_EMAIL_PATTERN.test(v) ? undefined : 'must be a valid e-mail address'),
};

const NOT_CLEARABLE: ReadonlySet<string> = new Set(['Name', 'CustomerNumber']);

/** The rejected symbols one by one, and letters of other alphabets only as a group. */
function describeDisallowed(characters: readonly string[]): string {
  const { symbols, hasOtherAlphabets } = partitionDisallowedCharacters(characters);
  const shown = symbols.map((char) => JSON.stringify(char));
  if (hasOtherAlphabets) shown.push('letters, digits or accents from other alphabets');
  return shown.join(' ');
}

function textSchema(field: string, constraint: Extract<FieldConstraint, { type: 'string' }>) {
  return z.string().superRefine((value, context) => {
    if (value === API_BLANK) {
      if (NOT_CLEARABLE.has(field))
        context.addIssue({ code: 'custom', message: `${field} cannot be cleared` });
      return;
    }
    if (value === '') {
      context.addIssue({
        code: 'custom',
        message: `"" does not clear ${field} in Fortnox; send API_BLANK`,
      });
      return;
    }
    const length = [...value].length;
    if (constraint.minLength !== undefined && length < constraint.minLength) {
      context.addIssue({
        code: 'custom',
        message: `must be at least ${constraint.minLength} characters`,
      });
    }
    if (constraint.maxLength !== undefined && length > constraint.maxLength) {
      context.addIssue({
        code: 'custom',
        message: `must be at most ${constraint.maxLength} characters`,
      });
    }
    const disallowed = findDisallowedCharacters(value);
    if (disallowed.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `contains characters Fortnox rejects (2000359): ${describeDisallowed(disallowed)}`,
      });
    }
    const broken = FIELD_RULES[field as CustomerFieldName]?.(value);
    if (broken !== undefined) context.addIssue({ code: 'custom', message: broken });
  });
}

function fieldSchema(field: string, constraint: FieldConstraint): z.ZodType {
  switch (constraint.type) {
    case 'string':
      return textSchema(field, constraint);
    case 'enum':
      return z.enum(constraint.values as [string, ...string[]]);
    case 'boolean':
      return z.boolean();
    case 'number':
      return z.number().finite();
    case 'object': {
      const shape: Record<string, z.ZodType> = {};
      for (const [name, inner] of Object.entries(constraint.fields)) {
        shape[name] = fieldSchema(name, inner).optional();
      }
      return z.strictObject(shape);
    }
  }
}

function buildWriteShape(): Record<string, z.ZodType> {
  const readOnly: ReadonlySet<string> = new Set(READ_ONLY_CUSTOMER_FIELDS);
  const shape: Record<string, z.ZodType> = {};
  for (const [field, constraint] of Object.entries(CUSTOMER_FIELD_CONSTRAINTS)) {
    if (!readOnly.has(field)) shape[field] = fieldSchema(field, constraint).optional();
  }
  return shape;
}

const writeShape = buildWriteShape();

/**
 * Strict schema for a partial write (PUT): unknown and read-only fields, wrong lengths, enums, e-mail
 * format, country codes and characters outside Fortnox's whitelist are all rejected before sending.
 */
export const FortnoxCustomerWriteSchema = z.strictObject(
  writeShape,
) as unknown as z.ZodType<FortnoxCustomerWrite>;

/** Strict schema for a create (POST): like {@link FortnoxCustomerWriteSchema}, and `Name` is required. */
export const FortnoxCustomerCreateSchema = z.strictObject({
  ...writeShape,
  Name: fieldSchema('Name', CUSTOMER_FIELD_CONSTRAINTS.Name),
}) as unknown as z.ZodType<FortnoxCustomerCreate>;
