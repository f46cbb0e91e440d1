import { describe, expectTypeOf, it } from 'vitest';
import type {
  FortnoxCustomer,
  FortnoxCustomerListItem,
  FortnoxCustomerWrite,
} from '../../src/fortnox/index.js';
import {
  fromFortnoxCustomer,
  type MappingError,
  type SourceCustomer,
  type SourceCustomerListShape,
  type SourceCustomerShape,
  toFortnoxCustomer,
} from '../../src/mapping/index.js';

/** The source customer exactly as ARCHITECTURE.md writes it (absent optional keys may be undefined). */
type ArchitectureSourceCustomer = {
  id: string;
  type: 'private' | 'company';
  name: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  address?:
    | {
        street?: string | null | undefined;
        postalCode?: string | null | undefined;
        city?: string | null | undefined;
        countryCode?: string | null | undefined;
      }
    | null
    | undefined;
  organisationNumber?: string | null | undefined;
  active: boolean;
};

describe('public types', () => {
  it('SourceCustomer is the shape of ARCHITECTURE.md', () => {
    expectTypeOf<SourceCustomer>().toEqualTypeOf<ArchitectureSourceCustomer>();
  });

  it('toFortnoxCustomer returns Result<FortnoxCustomerWrite, MappingError>', () => {
    const result = toFortnoxCustomer({} as SourceCustomer);
    expectTypeOf(result.isOk() ? result.value : undefined).toEqualTypeOf<
      FortnoxCustomerWrite | undefined
    >();
    expectTypeOf(result.isErr() ? result.error : undefined).toEqualTypeOf<
      MappingError | undefined
    >();
  });

  it('a list item says it has no Type, Active or ExternalReference; a full record says it has', () => {
    const item = fromFortnoxCustomer({} as FortnoxCustomerListItem);
    expectTypeOf(item.type).toEqualTypeOf<undefined>();
    expectTypeOf(item.active).toEqualTypeOf<undefined>();
    expectTypeOf(item.id).toEqualTypeOf<undefined>();
    expectTypeOf(item.address.countryCode).toEqualTypeOf<undefined>();
    const full = fromFortnoxCustomer({} as FortnoxCustomer);
    expectTypeOf(full.type).toEqualTypeOf<'private' | 'company'>();
    expectTypeOf(full.active).toEqualTypeOf<boolean>();
    expectTypeOf(full.id).toEqualTypeOf<string | null>();
  });

  it('reads a value that may be either, and then Type may be unknown', () => {
    const either = fromFortnoxCustomer({} as FortnoxCustomer | FortnoxCustomerListItem);
    expectTypeOf(either).toEqualTypeOf<SourceCustomerShape | SourceCustomerListShape>();
    expectTypeOf(either.type).toEqualTypeOf<'private' | 'company' | undefined>();
  });
});
