import type { ResultAsync } from 'neverthrow';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  CustomerPage,
  FortnoxClient,
  FortnoxError,
  FortnoxErrorKind,
  FortnoxUnknownOutcomeError,
} from '../../src/client/index.js';
import type { FortnoxCustomer, FortnoxCustomerListItem } from '../../src/fortnox/index.js';

describe('public types', () => {
  it('returns ResultAsync with the exact error union', () => {
    type Customers = FortnoxClient['customers'];
    expectTypeOf<ReturnType<Customers['get']>>().toEqualTypeOf<
      ResultAsync<FortnoxCustomer, FortnoxError>
    >();
    expectTypeOf<ReturnType<Customers['list']>>().toEqualTypeOf<
      ResultAsync<CustomerPage, FortnoxError>
    >();
    expectTypeOf<ReturnType<Customers['remove']>>().toEqualTypeOf<
      ResultAsync<void, FortnoxError>
    >();
    expectTypeOf<ReturnType<Customers['findByEmail']>>().toEqualTypeOf<
      ResultAsync<FortnoxCustomerListItem[], FortnoxError>
    >();
  });

  it('narrows errors by kind', () => {
    expectTypeOf<
      Extract<FortnoxError, { kind: 'unknown-outcome' }>
    >().toEqualTypeOf<FortnoxUnknownOutcomeError>();
    expectTypeOf<FortnoxErrorKind>().toEqualTypeOf<
      | 'api'
      | 'auth'
      | 'rate-limited'
      | 'network'
      | 'timeout'
      | 'invalid-response'
      | 'validation'
      | 'unknown-outcome'
      | 'aborted'
    >();
  });
});
