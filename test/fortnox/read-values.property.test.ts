import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CustomerListResponseSchema,
  CustomerResponseSchema,
  FortnoxCustomerListItemSchema,
  FortnoxCustomerSchema,
  MetaInformationSchema,
} from '../../src/fortnox/index.js';
import {
  fastLooseObjectReader,
  fastReaderOf,
  readBoolean,
  readEnum,
  readIdentifier,
  readInteger,
  readNumber,
  readObjectOrNull,
  readText,
} from '../../src/fortnox/read-values.js';

/** Values Fortnox sends and values it must not send, biased towards each reader's edges. */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    'true',
    'false',
    'TRUE',
    'FALSE',
    'True',
    'False',
    'tRuE',
    'yes',
    'company',
    ' PRIVATE ',
    'Company\n',
    'Person',
    '2,5',
    '-3.25',
    ' 12 ',
    '12.',
    '.5',
    '-0',
    '1e3',
    '0x1F',
    '٣',
    '00042',
    '9007199254740993',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    1.5,
    2 ** 53,
    -(2 ** 53),
    1e21,
    null,
    undefined,
  ),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.stringMatching(/^\s*-?\d{1,4}(?:[.,]\d{1,3})?\s*$/),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.anything(),
);

function expectTwin(schema: z.ZodType, value: unknown): boolean {
  const read = fastReaderOf(schema);
  expect(read).toBeDefined();
  const fast = (read as (value: unknown) => unknown)(value);
  const reference = schema.safeParse(value);
  if (reference.success) expect(fast).toStrictEqual(reference.data);
  else expect(fast).toBe(z.INVALID);
  return reference.success;
}

const readers: Array<[string, z.ZodType]> = [
  ['readText', readText],
  ['readBoolean', readBoolean],
  ['readNumber', readNumber],
  ['readInteger', readInteger],
  ['readIdentifier', readIdentifier],
  ['readEnum', readEnum(['PRIVATE', 'COMPANY'])],
];

describe('fast twins of the readers', () => {
  it.each(readers)(
    '%s: accepts, returns and rejects exactly what the zod reader does',
    (_, schema) => {
      let accepted = 0;
      let rejected = 0;
      fc.assert(
        fc.property(valueArb, (value) => {
          if (expectTwin(schema, value)) accepted += 1;
          else rejected += 1;
        }),
        { numRuns: 1000 },
      );
      expect(accepted).toBeGreaterThan(0);
      expect(rejected).toBeGreaterThan(0);
    },
  );

  it('readObjectOrNull: the same for objects of readers, extra keys kept, null for absent', () => {
    const schema = readObjectOrNull({ Invoice: readText, Offer: readText, Active: readBoolean });
    const objectArb = fc.record(
      { Invoice: valueArb, Offer: valueArb, Active: valueArb, Other: valueArb },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(objectArb, valueArb, fc.array(valueArb)), (value) => {
        expectTwin(schema, value);
      }),
      { numRuns: 1000 },
    );
    expect(expectTwin(schema, { ['__proto__']: 1, Invoice: 'E' })).toBe(true);
  });

  it('exist for every field of the records, list items and paging (else reading falls back to zod)', () => {
    for (const schema of [
      FortnoxCustomerSchema,
      FortnoxCustomerListItemSchema,
      MetaInformationSchema,
    ]) {
      expect(fastLooseObjectReader(schema.shape)).toBeDefined();
    }
    // The envelopes are plain zod objects: their fields (an object, an array) have no twin.
    expect(fastLooseObjectReader(CustomerResponseSchema.shape)).toBeUndefined();
    expect(fastLooseObjectReader(CustomerListResponseSchema.shape)).toBeUndefined();
  });
});
