import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planInitialSync, summarizePlan } from '../../examples/plan-initial-sync.js';
import {
  createFortnoxClient,
  FortnoxCustomerSchema,
  fromFortnoxCustomer,
  type SourceCustomer,
} from '../../src/index.js';
import { createEmulatorCore, type EmulatorServer } from '../../src/testing/index.js';

const emulator = createEmulatorCore();
let server: EmulatorServer;

beforeAll(async () => {
  server = await emulator.listen({ port: 0 });
});
afterAll(() => server.close());

describe('examples/plan-initial-sync.ts against the emulator', () => {
  it('inventories every page and plans links for known customers, creates for new ones', async () => {
    const tenant = emulator.tenant();
    const existing = tenant.seedCustomers(1_200, {
      seed: 7,
      exactDuplicateShare: 0,
      nearDuplicateShare: 0,
    });
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
      apiBaseUrl: server.url,
    });

    const known: SourceCustomer[] = existing
      .filter((customer) => customer.Type === 'COMPANY')
      .slice(0, 20)
      .map((customer, position) => {
        const shape = fromFortnoxCustomer(FortnoxCustomerSchema.parse(customer));
        return { ...shape, id: `ultra-known-${position}` };
      });
    const fresh: SourceCustomer[] = [
      {
        id: 'ultra-new-1',
        type: 'company',
        name: 'Helt Ny Firma AB',
        organisationNumber: '556036-0793',
        active: true,
      },
      {
        id: 'ultra-new-2',
        type: 'private',
        name: 'Zacharias Östlund',
        phone: '0739-99 88 77',
        active: true,
      },
    ];
    const broken: SourceCustomer = {
      id: 'ultra-bad',
      type: 'company',
      name: 'Trasig <AB>',
      active: true,
    };

    const plan = await planInitialSync(client, [...known, ...fresh, broken]);

    expect(plan.isOk()).toBe(true);
    const value = plan._unsafeUnwrap();
    expect(value.fortnoxCustomers).toBe(1_200);
    const counts = summarizePlan(value);
    expect(counts.link + counts['update-existing']).toBe(known.length);
    expect(counts.create).toBe(fresh.length);
    expect(counts.invalid).toBe(1);
    expect(value.invalid[0]?.error.issues[0]?.field).toBe('name');
    // Three pages of 500 were read, nothing was written.
    const requests = emulator.requests();
    expect(requests.filter((entry) => entry.method === 'GET')).toHaveLength(3);
    expect(requests.filter((entry) => entry.method !== 'GET')).toHaveLength(0);
  });
});
