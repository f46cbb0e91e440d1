import { describe, expect, expectTypeOf, it } from 'vitest';
import { CustomerListResponseSchema, CustomerResponseSchema } from '../../src/fortnox/index.js';
import {
  fromFortnoxCustomer,
  normalizeFortnoxCustomer,
  type SourceCustomerListShape,
  type SourceCustomerShape,
} from '../../src/mapping/index.js';

const record = CustomerResponseSchema.parse({
  Customer: {
    '@url': 'https://api.fortnox.se/3/customers/7',
    CustomerNumber: 7,
    Name: ' Anna  Svensson ',
    Email: 'Anna@Example.SE',
    Phone1: '0701234567',
    Type: 'PRIVATE',
    Address1: 'Storgatan 1',
    ZipCode: '26432',
    City: 'Ängelholm',
    CountryCode: 'SE',
    Country: 'Sverige',
    OrganisationNumber: '121212-1212',
    Active: false,
    ExternalReference: 'p-7',
    TermsOfPayment: '30',
  },
}).Customer;

const item = CustomerListResponseSchema.parse({
  Customers: [
    {
      '@url': 'https://api.fortnox.se/3/customers/8',
      CustomerNumber: '8',
      Name: 'Acme AB',
      Email: '',
      Phone: '08-12345678',
      OrganisationNumber: '5560360793',
      Address1: null,
      Address2: '',
      ZipCode: '264 32',
      City: 'Ängelholm',
    },
  ],
  MetaInformation: { '@TotalResources': 1, '@TotalPages': 1, '@CurrentPage': 1 },
}).Customers[0]!;

describe('fromFortnoxCustomer', () => {
  it('reads a full record', () => {
    const shape = fromFortnoxCustomer(record);
    expectTypeOf(shape).toEqualTypeOf<SourceCustomerShape>();
    expect(shape).toEqual({
      customerNumber: '7',
      id: 'p-7',
      type: 'private',
      name: 'Anna  Svensson',
      email: 'Anna@Example.SE',
      phone: '0701234567',
      address: { street: 'Storgatan 1', postalCode: '26432', city: 'Ängelholm', countryCode: 'SE' },
      organisationNumber: '121212-1212',
      active: false,
    });
  });

  it('reads a list item, whose type, activity, id and country are unknown', () => {
    const shape = fromFortnoxCustomer(item);
    expectTypeOf(shape).toEqualTypeOf<SourceCustomerListShape>();
    expectTypeOf(shape.type).toEqualTypeOf<undefined>();
    expect(shape).toEqual({
      customerNumber: '8',
      name: 'Acme AB',
      email: null,
      phone: '08-12345678',
      address: { street: null, postalCode: '264 32', city: 'Ängelholm' },
      organisationNumber: '5560360793',
    });
    expect(shape.type).toBeUndefined();
    expect(shape.active).toBeUndefined();
  });

  it('falls back to Fortnox’s defaults when Type and Active are missing', () => {
    const bare = { ...record, Type: null, Active: null };
    expect(fromFortnoxCustomer(bare)).toMatchObject({ type: 'company', active: true });
  });
});

describe('normalizeFortnoxCustomer', () => {
  it('normalises the owned fields of a full record like a source customer’s', () => {
    expect(normalizeFortnoxCustomer(record, { now: new Date('2026-06-15') })).toEqual({
      Name: 'Anna Svensson',
      Email: 'Anna@example.se',
      Phone1: '070-123 45 67',
      Type: 'PRIVATE',
      Address1: 'Storgatan 1',
      ZipCode: '264 32',
      City: 'Ängelholm',
      CountryCode: 'SE',
      OrganisationNumber: '20121212-1212',
      Active: false,
      ExternalReference: 'p-7',
    });
  });

  it('leaves out what a list item does not know, and keeps unreadable values as stored', () => {
    const messy = { ...item, Phone: 'ring växeln', OrganisationNumber: '556036-0794' };
    expect(normalizeFortnoxCustomer(messy)).toEqual({
      Name: 'Acme AB',
      Email: null,
      Phone1: 'ring växeln',
      Address1: null,
      ZipCode: '264 32',
      City: 'Ängelholm',
      OrganisationNumber: '556036-0794',
    });
  });
});
