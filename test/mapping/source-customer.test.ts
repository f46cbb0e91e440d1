import { describe, expect, it } from 'vitest';
import { parseSourceCustomer, SourceCustomerSchema } from '../../src/mapping/index.js';

const valid = {
  id: '42',
  type: 'private',
  name: 'Anna Svensson',
  email: null,
  address: { city: 'Lund', countryCode: null },
  active: true,
};

describe('parseSourceCustomer', () => {
  it('returns the customer as given, without unknown keys', () => {
    expect(parseSourceCustomer({ ...valid, extra: 1 })._unsafeUnwrap()).toEqual(valid);
  });

  it('reports missing required fields and wrong types together', () => {
    const error = parseSourceCustomer({
      type: 'person',
      phone: 12,
      address: 'Lund',
    })._unsafeUnwrapErr();
    expect(error.issues.map((issue) => [issue.path.join('.'), issue.code])).toEqual([
      ['id', 'required'],
      ['type', 'invalid-value'],
      ['name', 'required'],
      ['phone', 'invalid-type'],
      ['address', 'invalid-type'],
      ['active', 'required'],
    ]);
  });

  it('reports a value that is not an object', () => {
    for (const input of [null, 'customer', 42, []]) {
      expect(parseSourceCustomer(input)._unsafeUnwrapErr().issues).toMatchObject([
        { field: 'customer', path: [], code: 'invalid-type' },
      ]);
    }
  });
});

describe('SourceCustomerSchema', () => {
  it('applies the content rules inside zod, with the Swedish message and code in params', () => {
    const result = SourceCustomerSchema.safeParse({ ...valid, organisationNumber: '121212-1213' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toMatchObject([
      {
        path: ['organisationNumber'],
        message:
          'The personal identity number has a wrong check digit; check that it was typed correctly.',
        params: { code: 'invalid-checksum' },
      },
    ]);
  });

  it('accepts a valid customer', () => {
    expect(SourceCustomerSchema.safeParse(valid).success).toBe(true);
  });
});
