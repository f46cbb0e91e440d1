import type { SourceCustomer } from '../mapping/index.js';
import type { FeatureInput } from './customer-features.js';

/**
 * The fields of a source customer that duplicate resolution reads: every `SourceCustomer` fits.
 * `organisationNumber` holds the organisation number of a company, the personnummer of a person.
 */
export type ResolvableCustomer = Pick<
  SourceCustomer,
  'id' | 'type' | 'name' | 'email' | 'phone' | 'address' | 'organisationNumber'
>;

/** The feature input of a source customer. */
export function featureInputOf(customer: ResolvableCustomer): FeatureInput {
  return {
    kind: customer.type,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    street: customer.address?.street,
    postalCode: customer.address?.postalCode,
    city: customer.address?.city,
    countryCode: customer.address?.countryCode,
    identityNumber: customer.organisationNumber,
  };
}

/** Throws a `TypeError` when a source customer lacks what resolution needs (a programmer error). */
export function assertResolvableCustomer(customer: ResolvableCustomer): void {
  const valid =
    typeof customer === 'object' &&
    customer !== null &&
    typeof customer.id === 'string' &&
    customer.id.trim() !== '' &&
    (customer.type === 'company' || customer.type === 'private') &&
    typeof customer.name === 'string';
  if (!valid) {
    throw new TypeError(
      "fortnox-sync: resolve() needs a source customer with id, type and name, e.g. { id: 'c-1', type: 'company', name: 'Acme AB' }",
    );
  }
}
