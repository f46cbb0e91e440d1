import { describe, expect, it } from 'vitest';
import {
  CustomerListResponseSchema,
  FortnoxCustomerCreateSchema,
  FortnoxCustomerSchema,
  FortnoxCustomerWriteSchema,
} from '../../src/fortnox/index.js';

describe('FortnoxCustomerSchema (read, tolerant)', () => {
  it('keeps unknown keys, maps null to null, numbers to strings, boolean strings to booleans', () => {
    const parsed = FortnoxCustomerSchema.parse({
      CustomerNumber: 1001,
      Name: 'Acme AB',
      Email: null,
      Phone1: '',
      Active: 'true',
      Type: 'company',
      InvoiceDiscount: '2,5',
      SomethingNew: { nested: true },
    });
    expect(parsed).toMatchObject({
      CustomerNumber: '1001',
      Email: null,
      Phone1: '',
      Active: true,
      Type: 'COMPANY',
      InvoiceDiscount: 2.5,
      SomethingNew: { nested: true },
    });
    expect(parsed.Address1).toBeNull();
  });

  it('rejects a record without a customer number', () => {
    expect(FortnoxCustomerSchema.safeParse({ Name: 'x' }).success).toBe(false);
  });

  it('reads a Type it does not know as null instead of failing the response', () => {
    expect(FortnoxCustomerSchema.parse({ CustomerNumber: '1', Type: 'ALIEN' }).Type).toBeNull();
    expect(FortnoxCustomerSchema.parse({ CustomerNumber: '1', Type: ' private ' }).Type).toBe(
      'PRIVATE',
    );
  });
});

describe('CustomerListResponseSchema', () => {
  it('accepts the empty result with @TotalPages 0 and counters as strings', () => {
    const parsed = CustomerListResponseSchema.parse({
      Customers: [],
      MetaInformation: { '@TotalResources': 0, '@TotalPages': '0', '@CurrentPage': 1 },
    });
    expect(parsed.MetaInformation['@TotalPages']).toBe(0);
  });
});

describe('FortnoxCustomerWriteSchema (strict)', () => {
  it('accepts owned fields and API_BLANK', () => {
    const write = {
      Name: 'Acme AB',
      Email: 'info@acme.se',
      CountryCode: 'SE',
      Phone1: 'API_BLANK',
      Type: 'COMPANY',
      Active: true,
    };
    expect(FortnoxCustomerWriteSchema.parse(write)).toEqual(write);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ Nope: 1 }, 'unknown field'],
    [{ Country: 'Sverige' }, 'read-only field'],
    [{ Name: 'x'.repeat(1025) }, 'too long'],
    [{ ZipCode: '12345678901' }, 'too long zip'],
    [{ CountryCode: 'XX' }, 'unknown country'],
    [{ CountryCode: 'SWE' }, 'three letters'],
    [{ Email: 'not-an-email' }, 'bad e-mail'],
    [{ Type: 'PERSON' }, 'bad enum'],
    [{ Name: 'A <b>' }, 'bad characters'],
    [{ City: '' }, 'empty string does not clear'],
    [{ Name: 'API_BLANK' }, 'Name cannot be cleared'],
    [{ Active: 'true' }, 'boolean as string'],
    [{ DefaultDeliveryTypes: { Invoice: 'FAX' } }, 'nested enum'],
  ])('rejects %j (%s)', (write) => {
    expect(FortnoxCustomerWriteSchema.safeParse(write).success).toBe(false);
  });

  it('names rejected symbols but never spells out a value written in another alphabet', () => {
    const result = FortnoxCustomerWriteSchema.safeParse({ Name: 'Иван <Петров>' });
    const messages = (result.error?.issues ?? []).map((issue) => issue.message).join(' ');
    expect(messages).toContain('"<" ">"');
    expect(messages).toMatch(/letters, digits or accents from other alphabets/);
    expect(messages).not.toMatch(/\p{Script=Cyrillic}/u);
  });

  it('requires Name on create', () => {
    expect(FortnoxCustomerCreateSchema.safeParse({ Email: 'a@b.se' }).success).toBe(false);
    expect(FortnoxCustomerCreateSchema.safeParse({ Name: 'Anna' }).success).toBe(true);
  });
});
