import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_ONLY_CUSTOMER_FIELDS } from '../../src/fortnox/index.js';
import { createEmulatorCore } from '../../src/testing/index.js';

type Schema = {
  type?: string;
  maxLength?: number;
  minLength?: number;
  enum?: string[];
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
};

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const spec = JSON.parse(
  readFileSync(path.resolve(repoRoot, '..', 'shared', 'fortnox', 'openapi-customers.json'), 'utf8'),
) as { components: { schemas: Record<string, Schema> } };
const schemas = spec.components.schemas;
const resolve = (schema: Schema): Schema =>
  schema.$ref === undefined ? schema : (schemas[schema.$ref.split('/').pop() ?? ''] ?? {});
const customerSchema = schemas.fortnox_Customer ?? {};
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

async function post(customer: Record<string, unknown>) {
  const emulator = createEmulatorCore({ rateLimit: false });
  const response = await emulator.handle(
    new Request('https://api.fortnox.se/3/customers', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${emulator.issueAccessToken()}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ Customer: customer }),
    }),
  );
  const body = (await response.json()) as { Customer?: Record<string, unknown> };
  return {
    status: response.status,
    customer: body.Customer,
    stored: emulator.tenant().customers().length,
  };
}

const base = (field: string, value: unknown) =>
  field === 'Name' ? { Name: value } : { Name: 'Kontrakt AB', [field]: value };

describe('contract with openapi-customers.json (fortnox_Customer)', () => {
  it('knows every property of the schema (none is refused as an unknown field)', async () => {
    for (const [field, schema] of writable) {
      const value = schema.type === 'boolean' ? true : schema.type === 'number' ? 1 : undefined;
      if (value === undefined) continue;
      expect((await post(base(field, value))).status, field).toBe(201);
    }
  });

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
