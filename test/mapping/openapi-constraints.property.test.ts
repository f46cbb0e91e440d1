import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_BLANK } from '../../src/fortnox/index.js';
import {
  fillFromMoreComplete,
  normalizeSourceCustomer,
  toFortnoxCustomer,
} from '../../src/mapping/index.js';
import { OPENAPI_CUSTOMERS_PATH } from '../support/fixture-paths.js';
import { NOW, sourceCustomerArb } from './arbitraries.js';

type PropertySchema = {
  type?: string;
  enum?: string[];
  maxLength?: number;
  minLength?: number;
};

const openapi = JSON.parse(readFileSync(OPENAPI_CUSTOMERS_PATH, 'utf8')) as {
  components: {
    schemas: {
      fortnox_Customer: { properties: Record<string, PropertySchema>; required?: string[] };
    };
  };
};
const customerSchema = openapi.components.schemas.fortnox_Customer;
const properties = customerSchema.properties;
/** The keywords this check understands; any other on a written field fails it, so none is skipped. */
const CHECKED_KEYWORDS = new Set(['type', 'enum', 'maxLength', 'minLength']);

/** The properties a create must carry (`required` of the schema). */
function missingRequired(write: Readonly<Record<string, unknown>>): string[] {
  return (customerSchema.required ?? []).filter((field) => write[field] === undefined);
}

/** Every way a written field can break its OpenAPI property. */
function violations(field: string, value: unknown): string[] {
  const schema = properties[field];
  if (schema === undefined) return [`${field} is not a Fortnox customer field`];
  const found = Object.keys(schema)
    .filter((keyword) => !CHECKED_KEYWORDS.has(keyword))
    .map((keyword) => `${field}: unchecked keyword ${keyword}`);
  const jsonType =
    typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string' : 'other';
  if (schema.type !== jsonType) found.push(`${field} must be ${schema.type}, is ${jsonType}`);
  if (typeof value !== 'string') return found;
  if (schema.enum !== undefined && !schema.enum.includes(value)) found.push(`${field} not in enum`);
  // API_BLANK is Fortnox's "clear this field", not a value: lengths do not apply to it.
  if (value === API_BLANK) return found;
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) found.push(`${field} too long`);
  if (schema.minLength !== undefined && length < schema.minLength) found.push(`${field} too short`);
  return found;
}

describe('every successful write satisfies openapi-customers.json', () => {
  it('for creates and for updates against a previous state', () => {
    let written = 0;
    fc.assert(
      fc.property(
        sourceCustomerArb,
        fc.option(sourceCustomerArb, { nil: undefined }),
        (source, previousSource) => {
          const previous =
            previousSource === undefined
              ? undefined
              : normalizeSourceCustomer(previousSource, { now: NOW }).unwrapOr(previousSource);
          const options = previous === undefined ? { now: NOW } : { now: NOW, previous };
          const result = toFortnoxCustomer(source, options);
          if (result.isErr()) return;
          written += 1;
          if (previous === undefined) expect(missingRequired(result.value)).toEqual([]);
          for (const [field, value] of Object.entries(result.value)) {
            expect(violations(field, value)).toEqual([]);
          }
        },
      ),
      { numRuns: 600 },
    );
    expect(written).toBeGreaterThan(150);
  });

  it('for fill plans against a sparser Fortnox record', () => {
    fc.assert(
      fc.property(sourceCustomerArb, (source) => {
        const normalized = normalizeSourceCustomer(source, { now: NOW });
        if (normalized.isErr()) return;
        const plan = fillFromMoreComplete(normalized.value, {
          Email: null,
          ZipCode: null,
          City: null,
        });
        for (const [field, value] of Object.entries(plan.write)) {
          expect(violations(field, value)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('including API_BLANK for every cleared field', () => {
    const cleared = toFortnoxCustomer(
      { id: '1', type: 'private', name: 'Anna', active: true },
      { clearEmptyFields: true },
    )._unsafeUnwrap();
    expect(Object.values(cleared)).toContain(API_BLANK);
    for (const [field, value] of Object.entries(cleared))
      expect(violations(field, value)).toEqual([]);
  });

  it('and the check itself catches a broken value', () => {
    expect(violations('CountryCode', 'SWE')).toEqual(['CountryCode too long']);
    expect(violations('Type', 'PERSON')).toEqual(['Type not in enum']);
    expect(violations('Active', 'yes')).toEqual(['Active must be boolean, is string']);
    expect(violations('ZipCode', '12345678901')).toEqual(['ZipCode too long']);
    expect(violations('Address1', '')).toEqual(['Address1 too short']);
    expect(violations('Currency', 'SEK')).toEqual([]);
    expect(violations('Nope', 'x')).toEqual(['Nope is not a Fortnox customer field']);
    expect(violations('InvoiceDiscount', 1)).toContain('InvoiceDiscount: unchecked keyword format');
    expect(missingRequired({ Email: 'a@b.se' })).toEqual(['Name']);
  });
});
