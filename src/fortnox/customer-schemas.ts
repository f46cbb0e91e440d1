import { z } from 'zod';
import {
  readBoolean,
  readEnum,
  readIdentifier,
  readInteger,
  readNumber,
  readObjectOrNull,
  readText,
} from './read-values.js';

const deliveryTypes = readObjectOrNull({ Invoice: readText, Offer: readText, Order: readText });
const templates = readObjectOrNull({
  CashInvoice: readText,
  Invoice: readText,
  Offer: readText,
  Order: readText,
});

/**
 * A full customer record as Fortnox returns it (`GET /3/customers/{n}`, POST, PUT). Tolerant: unknown
 * keys are kept, empty values may be `""` or `null`, numbers may come as strings.
 */
export const FortnoxCustomerSchema = z.looseObject({
  '@url': readText,
  Active: readBoolean,
  Address1: readText,
  Address2: readText,
  City: readText,
  Comments: readText,
  CostCenter: readText,
  Country: readText,
  CountryCode: readText,
  Currency: readText,
  CustomerNumber: readIdentifier,
  DefaultDeliveryTypes: deliveryTypes,
  DefaultTemplates: templates,
  DeliveryAddress1: readText,
  DeliveryAddress2: readText,
  DeliveryCity: readText,
  DeliveryCountry: readText,
  DeliveryCountryCode: readText,
  DeliveryFax: readText,
  DeliveryName: readText,
  DeliveryPhone1: readText,
  DeliveryPhone2: readText,
  DeliveryZipCode: readText,
  Email: readText,
  EmailInvoice: readText,
  EmailInvoiceBCC: readText,
  EmailInvoiceCC: readText,
  EmailOffer: readText,
  EmailOfferBCC: readText,
  EmailOfferCC: readText,
  EmailOrder: readText,
  EmailOrderBCC: readText,
  EmailOrderCC: readText,
  ExternalReference: readText,
  Fax: readText,
  GLN: readText,
  GLNDelivery: readText,
  InvoiceAdministrationFee: readText,
  InvoiceDiscount: readNumber,
  InvoiceFreight: readText,
  InvoiceRemark: readText,
  Name: readText,
  OrganisationNumber: readText,
  OurReference: readText,
  Phone1: readText,
  Phone2: readText,
  PriceList: readText,
  Project: readText,
  SalesAccount: readText,
  ShowPriceVATIncluded: readBoolean,
  TermsOfDelivery: readText,
  TermsOfPayment: readText,
  Type: readEnum(['PRIVATE', 'COMPANY']),
  VATNumber: readText,
  VATType: readText,
  VisitingAddress: readText,
  VisitingCity: readText,
  VisitingCountry: readText,
  VisitingCountryCode: readText,
  VisitingZipCode: readText,
  WWW: readText,
  WayOfDelivery: readText,
  YourReference: readText,
  ZipCode: readText,
});

/** A full Fortnox customer record, as read. */
export type FortnoxCustomer = z.output<typeof FortnoxCustomerSchema>;

/**
 * One item of `GET /3/customers`: only these 10 fields. No `Type`, no `Active`, no `ExternalReference`;
 * the phone is `Phone` (it holds `Phone1`).
 */
export const FortnoxCustomerListItemSchema = z.looseObject({
  '@url': readText,
  CustomerNumber: readIdentifier,
  Name: readText,
  Email: readText,
  Phone: readText,
  OrganisationNumber: readText,
  Address1: readText,
  Address2: readText,
  ZipCode: readText,
  City: readText,
});

/** A customer as a list item carries it. */
export type FortnoxCustomerListItem = z.output<typeof FortnoxCustomerListItemSchema>;

/** Paging information of a list response. An empty result has `@TotalPages: 0`, `@CurrentPage: 1`. */
export const MetaInformationSchema = z.looseObject({
  '@TotalResources': readInteger,
  '@TotalPages': readInteger,
  '@CurrentPage': readInteger,
});

/** Paging information of a list response. */
export type MetaInformation = z.output<typeof MetaInformationSchema>;

/** The body of `GET /3/customers`. */
export const CustomerListResponseSchema = z.looseObject({
  Customers: z.array(FortnoxCustomerListItemSchema),
  MetaInformation: MetaInformationSchema,
});

/** The body of `GET /3/customers`. */
export type CustomerListResponse = z.output<typeof CustomerListResponseSchema>;

/** The body of `GET`, `POST` and `PUT` on one customer. */
export const CustomerResponseSchema = z.looseObject({ Customer: FortnoxCustomerSchema });

/** The body of `GET`, `POST` and `PUT` on one customer. */
export type CustomerResponse = z.output<typeof CustomerResponseSchema>;
