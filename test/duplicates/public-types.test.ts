import { describe, expectTypeOf, it } from 'vitest';
import type {
  DuplicateDecision,
  DuplicateResolver,
  IndexableCustomer,
  LinkReason,
  ResolvableCustomer,
} from '../../src/duplicates/index.js';
import type { FortnoxCustomer, FortnoxCustomerListItem } from '../../src/fortnox/index.js';
import type { SourceCustomer } from '../../src/mapping/index.js';

describe('public types', () => {
  it('accept the shared data model as it is', () => {
    expectTypeOf<SourceCustomer>().toExtend<ResolvableCustomer>();
    expectTypeOf<FortnoxCustomer>().toExtend<IndexableCustomer>();
    expectTypeOf<FortnoxCustomerListItem>().toExtend<IndexableCustomer>();
  });

  it('discriminate decisions by kind', () => {
    type Link = Extract<DuplicateDecision, { kind: 'link' }>;
    expectTypeOf<Link['reason']>().toEqualTypeOf<LinkReason>();
    expectTypeOf<Extract<DuplicateDecision, { kind: 'create' }>>().toEqualTypeOf<{
      readonly kind: 'create';
    }>();
    expectTypeOf<DuplicateResolver['resolve']>().returns.toHaveProperty('warnings');
  });
});
