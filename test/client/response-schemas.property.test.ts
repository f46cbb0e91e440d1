import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createFortnoxClient } from '../../src/client/index.js';
import {
  CustomerBodySchema,
  CustomerPageBodySchema,
  compiledCustomerPageBodySchema,
  fastCustomerBodySchema,
} from '../../src/client/response-schemas.js';
import {
  FortnoxCustomerListItemSchema,
  FortnoxCustomerSchema,
  MetaInformationSchema,
} from '../../src/fortnox/index.js';

type Shape = Readonly<Record<string, z.ZodType>>;

/** Values Fortnox sends, and values it must not send, for any kind of field. */
const anyValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'true',
    'FALSE',
    'True',
    'yes',
    'company',
    ' PRIVATE ',
    'Person',
    '2,5',
    '-3.25',
    ' 12 ',
    '1.',
    '0',
    'Lund',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    1.5,
    null,
    undefined,
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.dictionary(
    fc.constantFrom('Invoice', 'Offer', 'Order', 'CashInvoice', 'Other'),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean()),
  ),
  fc.array(fc.string(), { maxLength: 2 }),
);

/** A value the field's own (runtime) schema accepts, or absence. */
function validFieldArb(schema: z.ZodType): fc.Arbitrary<unknown> {
  return anyValueArb.filter((value) => schema.safeParse(value).success);
}

/**
 * Records of a shape: a valid base (fields present or absent), unknown extra keys, then 0–2 fields
 * overwritten or deleted, which often makes the record invalid.
 */
function recordArb(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(shape);
  const base = fc.record(
    Object.fromEntries(keys.map((key) => [key, validFieldArb(shape[key] as z.ZodType)])),
    { requiredKeys: keys.filter((key) => !(shape[key] as z.ZodType).safeParse(undefined).success) },
  );
  const extra = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), {
    maxKeys: 3,
  });
  const damage = fc.array(
    fc.tuple(fc.constantFrom(...keys), fc.option(anyValueArb, { nil: undefined }), fc.boolean()),
    { maxLength: 2 },
  );
  return fc.tuple(base, extra, damage).map(([record, unknown, changes]) => {
    const result: Record<string, unknown> = { ...unknown, ...record };
    for (const [key, value, remove] of changes) {
      if (remove) delete result[key];
      else result[key] = value;
    }
    return result;
  });
}

const metaArb = recordArb(MetaInformationSchema.shape as Shape);

const singleBodyArb = fc.oneof(
  {
    arbitrary: recordArb(FortnoxCustomerSchema.shape as Shape).map((Customer) => ({ Customer })),
    weight: 8,
  },
  { arbitrary: fc.anything(), weight: 1 },
  { arbitrary: fc.record({ Customer: fc.anything() }), weight: 1 },
);

const pageBodyArb = fc.oneof(
  {
    arbitrary: fc.record({
      Customers: fc.array(recordArb(FortnoxCustomerListItemSchema.shape as Shape), {
        maxLength: 6,
      }),
      MetaInformation: metaArb,
    }),
    weight: 8,
  },
  { arbitrary: fc.anything(), weight: 1 },
  {
    arbitrary: fc.record(
      { Customers: fc.anything(), MetaInformation: fc.anything() },
      { requiredKeys: [] },
    ),
    weight: 1,
  },
);

/** The fast schema must answer exactly as zod's runtime parser: same success, data and issues. */
function expectSameAnswer(compiled: z.ZodType, runtime: z.ZodType, body: unknown): boolean {
  const fast = compiled.safeParse(body);
  const reference = runtime.safeParse(body);
  expect(fast.success).toBe(reference.success);
  if (reference.success) {
    expect(fast.data).toStrictEqual(reference.data);
    // Same keys in the same order too (what a caller iterating the record would see).
    expect(JSON.stringify(fast.data)).toBe(JSON.stringify(reference.data));
  } else {
    expect(fast.error?.issues).toStrictEqual(reference.error.issues);
  }
  return reference.success;
}

describe('the response schemas the client reads with', () => {
  it('have their fast paths (the readers’ twins; zod compiled the page schema)', () => {
    expect(fastCustomerBodySchema).not.toBe(CustomerBodySchema);
    expect(compiledCustomerPageBodySchema()).not.toBe(CustomerPageBodySchema);
  });

  it('accept, output and reject exactly what the runtime schema does: single records', () => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(singleBodyArb, (body) => {
        if (expectSameAnswer(fastCustomerBodySchema, CustomerBodySchema, body)) valid += 1;
        else invalid += 1;
      }),
    );
    // Both sides of the property were exercised.
    expect(Math.min(valid, invalid)).toBeGreaterThan((valid + invalid) / 20);
  });

  it('accept, output and reject exactly what the runtime schema does: pages of list items', () => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(pageBodyArb, (body) => {
        if (expectSameAnswer(compiledCustomerPageBodySchema(), CustomerPageBodySchema, body))
          valid += 1;
        else invalid += 1;
      }),
    );
    expect(Math.min(valid, invalid)).toBeGreaterThan((valid + invalid) / 20);
  });

  it('turn a 500-item page with one bad item into invalid-response with zod’s issues', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({
      '@url': `https://api.fortnox.se/3/customers/${i + 1}`,
      CustomerNumber: String(i + 1),
      Name: `Kund ${i + 1} AB`,
      Phone: null,
    }));
    items[137] = { ...items[137], CustomerNumber: '  ' } as (typeof items)[number];
    const body = {
      Customers: items,
      MetaInformation: { '@TotalResources': 500, '@TotalPages': 1, '@CurrentPage': 1 },
    };
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: 'https://api.fortnox.test',
      fetch: async () => Response.json(body),
    });
    const error = (await client.customers.list({ limit: 500 }))._unsafeUnwrapErr();
    const reference = CustomerPageBodySchema.safeParse(body);
    expect(reference.success).toBe(false);
    expect(error).toMatchObject({
      kind: 'invalid-response',
      status: 200,
      issues: reference.error?.issues.map(({ path, code, message }) => ({ path, code, message })),
    });
    expect(error.kind === 'invalid-response' && error.issues[0]?.path).toEqual([
      'Customers',
      137,
      'CustomerNumber',
    ]);
  });
});
