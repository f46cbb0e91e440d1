import { CUSTOMER_LIST_FIELDS } from '../../fortnox/index.js';
import { swedishCountryName } from './country-names.js';

/** A value of a customer field as the emulator stores and returns it. */
export type CustomerValue =
  | string
  | number
  | boolean
  | null
  | { readonly [field: string]: string | null };

/** A full customer record as Fortnox returns it (64 keys, `@url` first). */
export type EmulatorCustomer = { readonly [field: string]: CustomerValue };

/**
 * Fields whose empty value a single record (GET, POST and PUT answers) reports as `null` rather than
 * `""`. Recorded for the address, phone, cost-centre and country fields; a list item reports the same
 * unset fields as `""` (see {@link presentListItem}).
 */
const NULLABLE_FIELDS: ReadonlySet<string> = new Set([
  'Address1',
  'Address2',
  'City',
  'Comments',
  'CostCenter',
  'Country',
  'CountryCode',
  'DeliveryAddress1',
  'DeliveryAddress2',
  'DeliveryCity',
  'DeliveryCountry',
  'DeliveryCountryCode',
  'DeliveryFax',
  'DeliveryName',
  'DeliveryPhone1',
  'DeliveryPhone2',
  'ExternalReference',
  'Fax',
  'GLN',
  'GLNDelivery',
  'InvoiceAdministrationFee',
  'InvoiceDiscount',
  'InvoiceFreight',
  'DeliveryZipCode',
  'Phone1',
  'Phone2',
  'SalesAccount',
  'VisitingAddress',
  'VisitingCity',
  'VisitingCountry',
  'VisitingCountryCode',
  'VisitingZipCode',
  'ZipCode',
]);

/** Derived, read-only country names and the code each comes from. */
const DERIVED_COUNTRIES = [
  ['Country', 'CountryCode'],
  ['DeliveryCountry', 'DeliveryCountryCode'],
  ['VisitingCountry', 'VisitingCountryCode'],
] as const;

const STRING_FIELDS = [
  'Address1',
  'Address2',
  'City',
  'Comments',
  'CostCenter',
  'Country',
  'CountryCode',
  'DeliveryAddress1',
  'DeliveryAddress2',
  'DeliveryCity',
  'DeliveryCountry',
  'DeliveryCountryCode',
  'DeliveryFax',
  'DeliveryName',
  'DeliveryPhone1',
  'DeliveryPhone2',
  'DeliveryZipCode',
  'Email',
  'EmailInvoice',
  'EmailInvoiceBCC',
  'EmailInvoiceCC',
  'EmailOffer',
  'EmailOfferBCC',
  'EmailOfferCC',
  'EmailOrder',
  'EmailOrderBCC',
  'EmailOrderCC',
  'ExternalReference',
  'Fax',
  'GLN',
  'GLNDelivery',
  'InvoiceAdministrationFee',
  'InvoiceFreight',
  'InvoiceRemark',
  'OrganisationNumber',
  'OurReference',
  'Phone1',
  'Phone2',
  'Project',
  'SalesAccount',
  'TermsOfDelivery',
  'TermsOfPayment',
  'VATNumber',
  'VisitingAddress',
  'VisitingCity',
  'VisitingCountry',
  'VisitingCountryCode',
  'VisitingZipCode',
  'WWW',
  'WayOfDelivery',
  'YourReference',
  'ZipCode',
] as const;

/** The empty value of a field: `null` for the fields Fortnox reports as null, else `""`. */
export function emptyValueOf(field: string): null | '' {
  return NULLABLE_FIELDS.has(field) ? null : '';
}

/** A new record with Fortnox's server defaults (Type COMPANY, Active, SEK, SEVAT, price list A…). */
export function createDefaultCustomer(customerNumber: string, name: string): EmulatorCustomer {
  const record: Record<string, CustomerValue> = {};
  for (const field of STRING_FIELDS) record[field] = emptyValueOf(field);
  Object.assign(record, {
    Active: true,
    Currency: 'SEK',
    CustomerNumber: customerNumber,
    DefaultDeliveryTypes: { Invoice: 'PRINT', Offer: 'PRINT', Order: 'PRINT' },
    DefaultTemplates: {
      CashInvoice: 'DEFAULTTEMPLATE',
      Invoice: 'DEFAULTTEMPLATE',
      Offer: 'DEFAULTTEMPLATE',
      Order: 'DEFAULTTEMPLATE',
    },
    InvoiceDiscount: null,
    Name: name,
    PriceList: 'A',
    ShowPriceVATIncluded: false,
    Type: 'COMPANY',
    VATType: 'SEVAT',
  });
  return record;
}

/** Recomputes the read-only country names from their codes. */
export function deriveCountries(record: EmulatorCustomer): EmulatorCustomer {
  const next: Record<string, CustomerValue> = { ...record };
  for (const [nameField, codeField] of DERIVED_COUNTRIES) {
    const code = next[codeField];
    const name = typeof code === 'string' && code !== '' ? swedishCountryName(code) : '';
    next[nameField] = name === '' ? emptyValueOf(nameField) : name;
  }
  return next;
}

/** The resource URL of a customer, as Fortnox puts it in `@url`. */
function customerUrl(origin: string, customerNumber: string): string {
  return `${origin}/3/customers/${encodeURIComponent(customerNumber)}`;
}

/** The record as a response carries it: `@url` first, then the fields in alphabetical order. */
export function presentCustomer(record: EmulatorCustomer, origin: string): EmulatorCustomer {
  const number = String(record.CustomerNumber);
  const presented: Record<string, CustomerValue> = { '@url': customerUrl(origin, number) };
  for (const field of Object.keys(record).sort()) presented[field] = record[field] ?? null;
  return presented;
}

/** The 10 fields of a list item; `Phone` carries `Phone1`. Unset fields are `""` there, never `null`. */
export function presentListItem(record: EmulatorCustomer, origin: string): EmulatorCustomer {
  const item: Record<string, CustomerValue> = {};
  for (const field of CUSTOMER_LIST_FIELDS) {
    if (field === '@url') item[field] = customerUrl(origin, String(record.CustomerNumber));
    else item[field] = record[field === 'Phone' ? 'Phone1' : field] ?? '';
  }
  return item;
}
