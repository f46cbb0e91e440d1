import type { RequestHandler } from 'msw';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createEmulatorCore,
  type EmulatorServer,
  type FaultRule,
  type FortnoxEmulatorOptions,
  type SeedCustomer,
  seedCustomers,
} from '../../src/testing/index.js';
import { createFortnoxEmulator } from '../../src/testing/msw.js';

describe('public types of fortnox-sync/testing', () => {
  it('exposes msw handlers only on createFortnoxEmulator, not on the msw-free core', () => {
    expectTypeOf(createFortnoxEmulator().handlers).toEqualTypeOf<readonly RequestHandler[]>();
    expectTypeOf(createEmulatorCore()).not.toHaveProperty('handlers');
    expectTypeOf(createEmulatorCore().listen).returns.resolves.toEqualTypeOf<EmulatorServer>();
  });

  it('types options and fault rules strictly', () => {
    expectTypeOf<{ searchCombination: 'xor' }>().not.toExtend<FortnoxEmulatorOptions>();
    expectTypeOf<{ kind: 'meteor-strike' }>().not.toExtend<FaultRule>();
    expectTypeOf<{ kind: 'server-error'; status: 503 }>().toExtend<FaultRule>();
    expectTypeOf(seedCustomers).returns.toEqualTypeOf<SeedCustomer[]>();
  });
});
