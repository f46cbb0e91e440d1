import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_FIELD_CONSTRAINTS, type FieldConstraint } from '../../src/fortnox/index.js';
import { OPENAPI_CUSTOMERS_PATH } from '../support/fixture-paths.js';

type OpenApiProperty = {
  type?: string;
  maxLength?: number;
  minLength?: number;
  enum?: string[];
  $ref?: string;
  properties?: Record<string, OpenApiProperty>;
};
type OpenApi = {
  components: { schemas: Record<string, { properties: Record<string, OpenApiProperty> }> };
};

const openapi = JSON.parse(readFileSync(OPENAPI_CUSTOMERS_PATH, 'utf8')) as OpenApi;
const schemas = openapi.components.schemas;

function expected(property: OpenApiProperty): unknown {
  if (property.$ref) {
    const name = property.$ref.split('/').at(-1) ?? '';
    const fields = Object.fromEntries(
      Object.entries(schemas[name]?.properties ?? {}).map(([key, inner]) => [key, expected(inner)]),
    );
    return { type: 'object', fields };
  }
  if (property.enum) return { type: 'enum', values: property.enum };
  if (property.type === 'boolean') return { type: 'boolean' };
  if (property.type === 'number' || property.type === 'integer') return { type: 'number' };
  return {
    type: 'string',
    ...(property.maxLength === undefined ? {} : { maxLength: property.maxLength }),
    ...(property.minLength === undefined ? {} : { minLength: property.minLength }),
  };
}

function withoutReadOnly(constraint: FieldConstraint): unknown {
  if (constraint.type === 'object') {
    return {
      type: 'object',
      fields: Object.fromEntries(
        Object.entries(constraint.fields).map(([k, v]) => [k, withoutReadOnly(v)]),
      ),
    };
  }
  const { readOnly: _ignored, ...rest } = constraint as FieldConstraint & { readOnly?: true };
  return rest;
}

describe('CUSTOMER_FIELD_CONSTRAINTS', () => {
  const properties = schemas.fortnox_Customer?.properties ?? {};

  it('names exactly the fields of fortnox_Customer', () => {
    expect(Object.keys(CUSTOMER_FIELD_CONSTRAINTS).sort()).toEqual(Object.keys(properties).sort());
  });

  it.each(Object.entries(properties))('%s has the OpenAPI constraint', (field, property) => {
    const ours = CUSTOMER_FIELD_CONSTRAINTS[field as keyof typeof CUSTOMER_FIELD_CONSTRAINTS];
    expect(withoutReadOnly(ours)).toEqual(expected(property));
  });
});
