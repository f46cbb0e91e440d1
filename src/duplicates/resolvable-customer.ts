import type { CustomerKind, FeatureInput } from './customer-features.js';

/**
 * The source customer fields duplicate resolution reads; the mapper's `SourceCustomer` fits it.
 */
export type ResolvableCustomer = {
  /** The source system's id, stored in Fortnox's `ExternalReference`. */
  readonly id: string;
  readonly type: CustomerKind;
  readonly name: string;
  readonly email?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly address?:
    | {
        readonly street?: string | null | undefined;
        readonly postalCode?: string | null | undefined;
        readonly city?: string | null | undefined;
        readonly countryCode?: string | null | undefined;
      }
    | null
    | undefined;
  /** Organisation number for a company, personnummer for a private person. */
  readonly organisationNumber?: string | null | undefined;
};

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
