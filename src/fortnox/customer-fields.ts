/**
 * The fields of a Fortnox customer and their constraints, as Fortnox's OpenAPI specification states them
 * (`fortnox_Customer` in `openapi-customers.json`). A contract test keeps this table equal to the JSON.
 */

/** The literal string that clears a field on PUT; `null` and `""` mean "not changed". */
export const API_BLANK = 'API_BLANK';

/** One field's constraint. `readOnly` fields are returned by Fortnox but never accepted on write. */
export type FieldConstraint =
  | {
      readonly type: 'string';
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly readOnly?: true;
    }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'boolean' }
  | { readonly type: 'number' }
  | { readonly type: 'object'; readonly fields: Readonly<Record<string, FieldConstraint>> };

const text = (maxLength?: number, minLength?: number): FieldConstraint => ({
  type: 'string',
  ...(maxLength === undefined ? {} : { maxLength }),
  ...(minLength === undefined ? {} : { minLength }),
});
const readOnlyText: FieldConstraint = { type: 'string', readOnly: true };
const deliveryType: FieldConstraint = { type: 'enum', values: ['PRINT', 'EMAIL', 'PRINTSERVICE'] };

/** Every field of `fortnox_Customer`, with the constraints of Fortnox's OpenAPI specification. */
export const CUSTOMER_FIELD_CONSTRAINTS = {
  '@url': readOnlyText,
  Active: { type: 'boolean' },
  Address1: text(1024, 1),
  Address2: text(1024),
  City: text(1024),
  Comments: text(1024),
  CostCenter: text(),
  Country: readOnlyText,
  CountryCode: text(2, 2),
  Currency: text(3, 3),
  CustomerNumber: text(1024),
  DefaultDeliveryTypes: {
    type: 'object',
    fields: { Invoice: deliveryType, Offer: deliveryType, Order: deliveryType },
  },
  DefaultTemplates: {
    type: 'object',
    fields: { CashInvoice: text(), Invoice: text(), Offer: text(), Order: text() },
  },
  DeliveryAddress1: text(1024),
  DeliveryAddress2: text(1024),
  DeliveryCity: text(1024),
  DeliveryCountry: { type: 'string', maxLength: 1024, readOnly: true },
  DeliveryCountryCode: text(2, 2),
  DeliveryFax: text(1024),
  DeliveryName: text(1024),
  DeliveryPhone1: text(1024),
  DeliveryPhone2: text(1024),
  DeliveryZipCode: text(10),
  Email: text(1024),
  EmailInvoice: text(1024),
  EmailInvoiceBCC: text(1024),
  EmailInvoiceCC: text(1024),
  EmailOffer: text(1024),
  EmailOfferBCC: text(1024),
  EmailOfferCC: text(1024),
  EmailOrder: text(1024),
  EmailOrderBCC: text(1024),
  EmailOrderCC: text(1024),
  ExternalReference: text(1024),
  Fax: text(1024),
  GLN: text(13, 13),
  GLNDelivery: text(13, 13),
  InvoiceAdministrationFee: text(),
  InvoiceDiscount: { type: 'number' },
  InvoiceFreight: text(),
  InvoiceRemark: text(1024),
  Name: text(1024, 1),
  OrganisationNumber: text(),
  OurReference: text(50),
  Phone1: text(1024),
  Phone2: text(1024),
  PriceList: text(),
  Project: text(),
  SalesAccount: text(4, 4),
  ShowPriceVATIncluded: { type: 'boolean' },
  TermsOfDelivery: text(),
  TermsOfPayment: text(),
  Type: { type: 'enum', values: ['PRIVATE', 'COMPANY'] },
  VATNumber: text(),
  VATType: { type: 'enum', values: ['SEVAT', 'SEREVERSEDVAT', 'EUREVERSEDVAT', 'EUVAT', 'EXPORT'] },
  VisitingAddress: text(128),
  VisitingCity: text(128),
  VisitingCountry: { type: 'string', maxLength: 128, readOnly: true },
  VisitingCountryCode: text(2, 2),
  VisitingZipCode: text(10),
  WWW: text(128),
  WayOfDelivery: text(),
  YourReference: text(50),
  ZipCode: text(10),
} as const satisfies Record<string, FieldConstraint>;

/** A field name of a Fortnox customer. */
export type CustomerFieldName = keyof typeof CUSTOMER_FIELD_CONSTRAINTS;

/** Fields Fortnox derives itself; a write that contains them is not ours to send. */
export const READ_ONLY_CUSTOMER_FIELDS = [
  '@url',
  'Country',
  'DeliveryCountry',
  'VisitingCountry',
] as const satisfies readonly CustomerFieldName[];

/** The fields fortnox-sync owns and writes; every other field belongs to the bookkeeper. */
export const OWNED_CUSTOMER_FIELDS = [
  'Name',
  'Email',
  'Phone1',
  'Type',
  'Address1',
  'ZipCode',
  'City',
  'CountryCode',
  'OrganisationNumber',
  'Active',
  'ExternalReference',
] as const satisfies readonly CustomerFieldName[];

/** An owned field name. */
export type OwnedCustomerField = (typeof OWNED_CUSTOMER_FIELDS)[number];

/** The largest page (`limit`) Fortnox's list endpoints accept. */
export const MAX_PAGE_LIMIT = 500;

/** The only fields a list item (`GET /3/customers`) carries. Note `Phone`, not `Phone1`. */
export const CUSTOMER_LIST_FIELDS = [
  '@url',
  'CustomerNumber',
  'Name',
  'Email',
  'Phone',
  'OrganisationNumber',
  'Address1',
  'Address2',
  'ZipCode',
  'City',
] as const;

/** Max length of `OrganisationNumber` in the list schema (the full schema gives none). */
export const LIST_ORGANISATION_NUMBER_MAX_LENGTH = 30;

/** Characters a customer number may contain besides letters and digits. */
export const CUSTOMER_NUMBER_PATTERN = /^[A-Za-z0-9+\-/_]{1,1024}$/;
