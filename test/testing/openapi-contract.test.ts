import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { READ_ONLY_CUSTOMER_FIELDS } from '../../src/fortnox/index.js';
import { createEmulatorCore, type FortnoxEmulatorOptions } from '../../src/testing/index.js';
import { OPENAPI_CUSTOMERS_PATH } from '../support/fixture-paths.js';

type Schema = {
  type?: string;
  maxLength?: number;
  minLength?: number;
  enum?: string[];
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
};

const spec = JSON.parse(readFileSync(OPENAPI_CUSTOMERS_PATH, 'utf8')) as {
  components: { schemas: Record<string, Schema> };
};
const schemas = spec.components.schemas;
const resolve = (schema: Schema): Schema =>
  schema.$ref === undefined ? schema : (schemas[schema.$ref.split('/').pop() ?? ''] ?? {});
const customerSchema = schemas.fortnox_Customer ?? {};
const listItemSchema = schemas.fortnox_CustomerListItem ?? {};
const propertyNames = (schema: Schema | undefined) => Object.keys(schema?.properties ?? {}).sort();
/** The full-record field a list item property shows (`Phone` carries `Phone1`). */
const recordFieldOfListItem = (field: string) => (field === 'Phone' ? 'Phone1' : field);
const properties = Object.entries(customerSchema.properties ?? {}).map(
  ([name, schema]) => [name, resolve(schema)] as const,
);
const readOnly: ReadonlySet<string> = new Set(READ_ONLY_CUSTOMER_FIELDS);
const writable = properties.filter(([name]) => !readOnly.has(name));

/** A value of exactly `length` characters that satisfies the field's format rules. */
function validText(field: string, length: number): string {
  if (/CountryCode$/.test(field)) return 'SE'.slice(0, length);
  if (field === 'Currency') return 'EUR'.slice(0, length);
  if (/^Email(Invoice|Offer|Order)?$/.test(field))
    return `${'a'.repeat(Math.max(1, length - 5))}@b.se`;
  if (field === 'GLN' || field === 'GLNDelivery' || field === 'SalesAccount')
    return '7'.repeat(length);
  return 'k'.repeat(length);
}

async function post(customer: Record<string, unknown>, options: FortnoxEmulatorOptions = {}) {
  const emulator = createEmulatorCore({ rateLimit: false, ...options });
  const token = emulator.issueAccessToken();
  const response = await emulator.handle(
    new Request('https://api.fortnox.se/3/customers', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Customer: customer }),
    }),
  );
  const body = (await response.json()) as {
    Customer?: Record<string, unknown>;
    ErrorInformation?: Record<string, unknown>;
  };
  const list = async () =>
    (await (
      await emulator.handle(
        new Request('https://api.fortnox.se/3/customers', {
          headers: { Authorization: `Bearer ${token}` },
        }),
      )
    ).json()) as { Customers: Record<string, unknown>[]; MetaInformation: Record<string, unknown> };
  return {
    status: response.status,
    customer: body.Customer,
    error: body.ErrorInformation,
    stored: emulator.tenant().customers().length,
    list,
  };
}

/** A valid value of a property that is not the server default, so an echo proves it was stored. */
function validValue(field: string, schema: Schema): unknown {
  if (schema.enum !== undefined) return schema.enum[schema.enum.length - 1];
  if (schema.type === 'boolean') return field !== 'Active';
  if (schema.type === 'number') return 12.5;
  return validText(field, schema.maxLength ?? schema.minLength ?? 8);
}

const base = (field: string, value: unknown) =>
  field === 'Name' ? { Name: value } : { Name: 'Kontrakt AB', [field]: value };

describe('contract with openapi-customers.json (fortnox_Customer)', () => {
  it('reads a real schema (guards against an empty or moved extract)', () => {
    expect(properties.length).toBeGreaterThan(60);
    expect(propertyNames(listItemSchema)).toHaveLength(10);
  });

  it.each(writable.filter(([, schema]) => schema.properties === undefined))(
    '%s: accepts a valid value and returns it (a known, stored field)',
    async (field, schema) => {
      const value = validValue(field, schema);
      const created = await post(base(field, value));
      expect(created.status).toBe(201);
      expect(created.customer?.[field]).toEqual(value);
    },
  );

  it('returns exactly the properties of fortnox_Customer', async () => {
    const created = await post({ Name: 'Kontrakt AB' });
    expect(Object.keys(created.customer ?? {}).sort()).toEqual(propertyNames(customerSchema));
  });

  it('lists exactly the properties of fortnox_CustomerListItem and fortnox_MetaInformation', async () => {
    const created = await post({ Name: 'Kontrakt AB' });
    const list = await created.list();
    expect(Object.keys(list.Customers[0] ?? {}).sort()).toEqual(propertyNames(listItemSchema));
    expect(Object.keys(list.MetaInformation).sort()).toEqual(
      propertyNames(schemas.fortnox_MetaInformation),
    );
  });

  it('answers errors with the inner keys of fortnox_ErrorInformationWrap (either casing)', async () => {
    const upper = await post({}, { errorCasing: 'upper' });
    expect(Object.keys(upper.error ?? {}).sort()).toEqual(
      propertyNames(schemas.fortnox_ErrorInformationWrap_ErrorInformation),
    );
    const lower = await post({});
    expect(Object.keys(lower.error ?? {}).sort()).toEqual(
      propertyNames(schemas.fortnox_ErrorInformationWrap_ErrorInformation).map((key) =>
        key.toLowerCase(),
      ),
    );
  });

  it.each(
    Object.entries(listItemSchema.properties ?? {}).filter(
      ([, schema]) => schema.maxLength !== undefined,
    ),
  )(
    'list item %s: a value the list schema could not carry is refused on write',
    async (field, schema) => {
      const recordField = recordFieldOfListItem(field);
      const max = schema.maxLength ?? 0;
      const atLimit = await post(base(recordField, validText(recordField, max)));
      expect(atLimit.status).toBe(201);
      expect((await atLimit.list()).Customers[0]?.[field]).toBe(validText(recordField, max));
      const over = await post(base(recordField, `${validText(recordField, max)}x`));
      expect(over.status).toBe(400);
      expect(over.stored).toBe(0);
    },
  );

  it.each(writable.filter(([, schema]) => schema.maxLength !== undefined))(
    '%s: enforces maxLength',
    async (field, schema) => {
      const max = schema.maxLength ?? 0;
      const atLimit = await post(base(field, validText(field, max)));
      expect(atLimit.status).toBe(201);
      const over = await post(base(field, `${validText(field, max)}x`));
      expect(over.status).toBe(400);
      expect(over.stored).toBe(0);
    },
  );

  it.each(writable.filter(([, schema]) => (schema.minLength ?? 0) > 1))(
    '%s: enforces minLength',
    async (field, schema) => {
      const under = await post(base(field, validText(field, (schema.minLength ?? 1) - 1)));
      expect(under.status).toBe(400);
      expect(under.stored).toBe(0);
    },
  );

  it.each(writable.filter(([, schema]) => schema.minLength === 1))(
    '%s: minLength 1 — "" is refused when required, else means "not set" (the default stays)',
    async (field) => {
      const result = await post(base(field, ''));
      if (customerSchema.required?.includes(field)) {
        expect(result.status).toBe(400);
        return;
      }
      const withoutField = await post({ Name: 'Kontrakt AB' });
      expect(result.status).toBe(201);
      expect(result.customer?.[field]).toEqual(withoutField.customer?.[field]);
    },
  );

  it.each(writable.filter(([, schema]) => schema.enum !== undefined))(
    '%s: enforces its enum',
    async (field, schema) => {
      for (const value of schema.enum ?? []) {
        const accepted = await post(base(field, value));
        expect(accepted.status).toBe(201);
        expect(accepted.customer?.[field]).toBe(value);
      }
      expect((await post(base(field, 'NOT_IN_ENUM'))).status).toBe(400);
    },
  );

  it.each(writable.filter(([, schema]) => schema.properties !== undefined))(
    '%s: enforces the nested object schema',
    async (field, schema) => {
      expect((await post(base(field, 'not an object'))).status).toBe(400);
      expect((await post(base(field, { Unknown: 'x' }))).status).toBe(400);
      for (const [inner, innerSchema] of Object.entries(schema.properties ?? {})) {
        const good = innerSchema.enum?.[0] ?? 'DEFAULTTEMPLATE';
        const accepted = await post(base(field, { [inner]: good }));
        expect(accepted.status).toBe(201);
        expect(accepted.customer?.[field]).toMatchObject({ [inner]: good });
        if (innerSchema.enum !== undefined)
          expect((await post(base(field, { [inner]: 'NOPE' }))).status).toBe(400);
        if (innerSchema.type === 'string')
          expect((await post(base(field, { [inner]: { nested: true } }))).status).toBe(400);
      }
    },
  );

  it.each(writable.filter(([, schema]) => schema.type !== undefined))(
    '%s: enforces its declared type',
    async (field, schema) => {
      const wrong =
        schema.type === 'string' ? { nested: true } : schema.type === 'boolean' ? 'yes' : 'many';
      const refused = await post(base(field, wrong));
      expect(refused.status).toBe(400);
      expect(refused.stored).toBe(0);
    },
  );

  it('enforces every required property on create', async () => {
    for (const field of customerSchema.required ?? []) {
      const customer: Record<string, unknown> = { City: 'Lund' };
      expect(field in customer).toBe(false);
      expect((await post(customer)).status).toBe(400);
    }
  });

  it('ignores the read-only properties the facts name', async () => {
    for (const field of readOnly) {
      const result = await post({ Name: 'A', [field]: 'Påhittat' });
      expect(result.status).toBe(201);
      expect(result.customer?.[field]).not.toBe('Påhittat');
    }
  });
});
