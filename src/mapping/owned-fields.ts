import type { OwnedCustomerField } from '../fortnox/index.js';
import type { SourceCustomerField } from './mapping-error.js';

/** The source field each owned Fortnox field is written from. */
export const OWNED_FIELD_SOURCES: Readonly<Record<OwnedCustomerField, SourceCustomerField>> = {
  Name: 'name',
  Email: 'email',
  Phone1: 'phone',
  Type: 'type',
  Address1: 'address.street',
  ZipCode: 'address.postalCode',
  City: 'address.city',
  CountryCode: 'address.countryCode',
  OrganisationNumber: 'organisationNumber',
  Active: 'active',
  ExternalReference: 'id',
};
