import type { IndexableCustomer, ResolvableCustomer } from '../../src/duplicates/index.js';
import { FortnoxCustomerSchema } from '../../src/fortnox/index.js';

/** Luhn-valid organisation numbers (Swedish companies). */
export const ORG = {
  volvo: '556036-0793',
  ericsson: '556016-0680',
  city: '202100-5489',
  other: '556703-7485',
};
/** Luhn-valid personnummer. */
export const PNR = { a: '19811218-9876', b: '19640823-3234', c: '19900101-0017' };

/** A source customer with only the given fields set (id `s-1`, active). */
export function source(
  fields: Partial<ResolvableCustomer> & Pick<ResolvableCustomer, 'type' | 'name'>,
): ResolvableCustomer {
  return { id: 's-1', ...fields };
}

/** A Fortnox list item (10 fields; unknown Type, Active, ExternalReference). */
export function listItem(
  number: string,
  fields: Partial<Omit<IndexableCustomer, 'CustomerNumber'>>,
): IndexableCustomer {
  return {
    CustomerNumber: number,
    Name: '',
    Email: '',
    Phone: '',
    OrganisationNumber: '',
    Address1: '',
    ZipCode: '',
    City: '',
    ...fields,
  };
}

/** A full Fortnox customer record, read through the shared schema as the client would. */
export function fullRecord(number: string, fields: Record<string, unknown>) {
  return FortnoxCustomerSchema.parse({
    CustomerNumber: number,
    Type: 'COMPANY',
    Active: true,
    Email: '',
    Phone1: '',
    OrganisationNumber: '',
    Address1: '',
    ZipCode: '',
    City: '',
    CountryCode: 'SE',
    ExternalReference: '',
    TermsOfPayment: '30',
    ...fields,
  });
}
