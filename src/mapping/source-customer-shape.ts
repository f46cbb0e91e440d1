import { z } from 'zod';
import {
  createMappingIssue,
  type MappingIssue,
  type SourceCustomerField,
} from './mapping-error.js';

const optionalText = z.string().nullish();

/** The address of a source customer; every part optional, `null` or blank meaning "none". */
const SourceAddressSchema = z.object({
  street: optionalText,
  postalCode: optionalText,
  city: optionalText,
  countryCode: optionalText,
});

/** The JavaScript shape of each field of a source customer (the rules of content come on top). */
const SOURCE_CUSTOMER_FIELD_SCHEMAS = {
  id: z.string(),
  type: z.enum(['private', 'company']),
  name: z.string(),
  email: optionalText,
  phone: optionalText,
  address: SourceAddressSchema.nullish(),
  organisationNumber: optionalText,
  active: z.boolean(),
};

/** The structure of a source customer, without the content rules. */
export const SourceCustomerShapeSchema = z.object(SOURCE_CUSTOMER_FIELD_SCHEMAS);

/**
 * A customer as the host application hands it over. Blank and `null` optional
 * fields mean "no value"; `organisationNumber` holds the organisation number of a company (or the
 * owner's personnummer for a sole trader) and the personnummer of a private person; for a customer
 * abroad (a country other than Sweden) it may be that country's number, kept as written.
 */
export type SourceCustomer = z.output<typeof SourceCustomerShapeSchema>;

/** The address of a {@link SourceCustomer}. */
export type SourceAddress = z.output<typeof SourceAddressSchema>;

/** The fields of a source customer that passed their shape check, and an issue for each that did not. */
export type SourceCustomerReading = {
  readonly fields: Partial<SourceCustomer>;
  readonly issues: readonly MappingIssue[];
};

const REQUIRED_FIELDS: ReadonlySet<string> = new Set(['id', 'type', 'name', 'active']);
const ADDRESS_PARTS = ['street', 'postalCode', 'city', 'countryCode'] as const;

/**
 * Checks the shape of every field of an untyped value on its own, so that one broken field does not
 * hide the problems of the others. Unknown keys are dropped.
 */
export function readSourceCustomerShape(input: unknown): SourceCustomerReading {
  if (!isRecord(input))
    return { fields: {}, issues: [createMappingIssue('customer', 'invalid-type')] };
  const fields: Record<string, unknown> = {};
  const issues: MappingIssue[] = [];
  for (const [key, schema] of Object.entries(SOURCE_CUSTOMER_FIELD_SCHEMAS)) {
    const value = input[key];
    if (key === 'address' && isRecord(value)) {
      fields[key] = readAddress(value, issues);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) fields[key] = parsed.data;
      continue;
    }
    const missing = value === undefined || value === null;
    const code = missing && REQUIRED_FIELDS.has(key) ? 'required' : shapeCode(key, value);
    issues.push(createMappingIssue(key as SourceCustomerField, code));
  }
  return { fields: fields as Partial<SourceCustomer>, issues };
}

/** The address parts of the right type; an issue for each of the wrong type. */
function readAddress(value: Record<string, unknown>, issues: MappingIssue[]): SourceAddress {
  const address: Record<string, unknown> = {};
  for (const part of ADDRESS_PARTS) {
    const parsed = optionalText.safeParse(value[part]);
    if (!parsed.success) issues.push(createMappingIssue(`address.${part}`, 'invalid-type'));
    else if (parsed.data !== undefined) address[part] = parsed.data;
  }
  return address as SourceAddress;
}

function shapeCode(key: string, value: unknown) {
  return key === 'type' && typeof value === 'string' ? 'invalid-value' : 'invalid-type';
}

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
