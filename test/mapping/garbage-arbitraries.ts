import fc from 'fast-check';
import { phoneLikeArb, textArb } from './arbitraries.js';

/** Values of every JavaScript kind, for "never throws" properties. */
export const garbageArb = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
});

/** Objects shaped like a source customer whose fields may hold anything. */
export const garbageCustomerArb = fc.record(
  {
    id: fc.oneof(garbageArb, fc.string()),
    type: fc.oneof(garbageArb, fc.constantFrom('private', 'company')),
    name: fc.oneof(garbageArb, textArb),
    email: garbageArb,
    phone: fc.oneof(garbageArb, phoneLikeArb),
    address: fc.oneof(
      garbageArb,
      fc.dictionary(fc.constantFrom('street', 'postalCode', 'city', 'countryCode'), garbageArb),
    ),
    organisationNumber: garbageArb,
    active: fc.oneof(garbageArb, fc.boolean()),
  },
  { requiredKeys: [] },
);
