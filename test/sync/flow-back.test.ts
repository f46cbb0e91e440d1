import { afterEach, describe, expect, it } from 'vitest';
import type { FortnoxCustomerListItem } from '../../src/fortnox/index.js';
import type { SourceCustomer } from '../../src/mapping/index.js';
import { flowBackPatch } from '../../src/sync/flow-back.js';
import { runInitialSync } from '../../src/sync/initial-sync.js';
import { type Harness, startHarness, TENANT } from './support/initial-sync-harness.js';

const item: FortnoxCustomerListItem = {
  '@url': 'https://api.fortnox.se/3/customers/7',
  CustomerNumber: '7',
  Name: 'Björk Bygg AB',
  Email: 'info@bjorkbygg.se',
  Phone: '031-12 34 56',
  OrganisationNumber: '556036-0793',
  Address1: 'Storgatan 1',
  Address2: null,
  ZipCode: '411 01',
  City: 'Göteborg',
};
const source: SourceCustomer = {
  id: 'kund-7',
  type: 'company',
  name: 'Björk Bygg AB',
  organisationNumber: '5560360793',
  active: true,
};

describe('flowBackPatch', () => {
  it('takes the fields Fortnox has and the source lacks, never replacing what the source has', () => {
    expect(flowBackPatch(source, item)).toEqual({
      email: 'info@bjorkbygg.se',
      phone: '031-12 34 56',
      address: { street: 'Storgatan 1', postalCode: '411 01', city: 'Göteborg' },
    });
    const complete = {
      ...source,
      email: 'ekonomi@bjorkbygg.se',
      phone: '031-65 43 21',
      address: { street: 'Nygatan 2', postalCode: '411 02', city: 'Göteborg', countryCode: 'SE' },
    };
    expect(flowBackPatch(complete, item)).toBeUndefined();
  });

  it('fills single address parts and keeps the others; blank counts as missing', () => {
    const partial = { ...source, email: ' ', address: { street: 'Nygatan 2', city: null } };
    expect(flowBackPatch(partial, item)).toEqual({
      email: 'info@bjorkbygg.se',
      phone: '031-12 34 56',
      address: { street: 'Nygatan 2', city: 'Göteborg', postalCode: '411 01' },
    });
  });
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('flow-back in the initial sync', () => {
  it('a linked source customer without an e-mail gets Fortnox’s, through source.update', async () => {
    harness = await startHarness({ sourceCustomers: 60, fortnoxCustomers: 50, seed: 12 });
    const h = harness;
    const [sourceId] = [...h.sample.truth].find(([, truth]) => truth.case === 'company-same')!;
    const customer = h.host.customers.get(sourceId)!;
    const fortnoxEmail = customer.email;
    h.host.customers.set(sourceId, { ...customer, email: null });

    await runInitialSync(h.startEngine().ctx, TENANT);

    expect(h.host.updates).toEqual([{ sourceId, patch: { email: fortnoxEmail } }]);
    expect(h.host.customers.get(sourceId)?.email).toBe(fortnoxEmail);
  });
});
