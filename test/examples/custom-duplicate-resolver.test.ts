import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCautiousResolver } from '../../examples/custom-duplicate-resolver.js';
import {
  createCustomerIndex,
  createDuplicateResolver,
  createFortnoxClient,
  createMemoryStorage,
  createSyncEngine,
  type DuplicateResolver,
  FortnoxCustomerSchema,
  type SourceCustomer,
} from '../../src/index.js';
import { createEmulatorCore, type EmulatorServer } from '../../src/testing/index.js';

const emulator = createEmulatorCore();
const tenant = emulator.tenant();
let server: EmulatorServer;

const anna: SourceCustomer = {
  id: 'crm-2',
  type: 'private',
  name: 'Anna Andersson',
  phone: '0701234567',
  email: 'anna.andersson@example.se',
  active: true,
};
const company: SourceCustomer = {
  id: 'crm-1',
  type: 'company',
  name: 'Exempelbolaget AB',
  organisationNumber: '556036-0793',
  active: true,
};

beforeAll(async () => {
  tenant.insert({ Name: 'Exempelbolaget AB', OrganisationNumber: '556036-0793', Type: 'COMPANY' });
  tenant.insert({
    Name: 'Anna Andersson',
    Type: 'PRIVATE',
    Phone1: '070-123 45 67',
    Email: 'anna.andersson@example.se',
  });
  server = await emulator.listen({ port: 0 });
});
afterAll(() => server.close());

const index = () =>
  createCustomerIndex(tenant.customers().map((customer) => FortnoxCustomerSchema.parse(customer)));

describe('examples/custom-duplicate-resolver.ts', () => {
  it('asks about a private person the default resolver would link, with the same candidate', () => {
    const byDefault = createDuplicateResolver().resolve(anna, index()).decision;
    expect(byDefault.kind === 'link' || byDefault.kind === 'update-existing').toBe(true);
    const cautious = createCautiousResolver().resolve(anna, index()).decision;
    expect(cautious.kind).toBe('ask');
    if (cautious.kind !== 'ask' || byDefault.kind === 'create' || byDefault.kind === 'ask') return;
    expect(cautious.candidates.map((candidate) => candidate.customerNumber)).toEqual([
      byDefault.customerNumber,
    ]);
  });

  it('leaves companies and creates to the default', () => {
    const cautious = createCautiousResolver();
    expect(cautious.resolve(company, index())).toEqual(
      createDuplicateResolver().resolve(company, index()),
    );
    const stranger: SourceCustomer = {
      ...anna,
      id: 'crm-9',
      name: 'Zacharias Östlund',
      phone: '0739998877',
      email: 'z@example.se',
    };
    expect(cautious.resolve(stranger, index()).decision.kind).toBe('create');
  });

  it('under the engine: the company is linked, the private person waits for a person', async () => {
    const outcomes = async (resolver: DuplicateResolver | undefined) => {
      const storage = createMemoryStorage();
      const client = createFortnoxClient({
        auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
        apiBaseUrl: server.url,
      });
      const engine = createSyncEngine({
        storage,
        clients: () => client,
        ...(resolver === undefined ? {} : { resolver }),
      });
      (await engine.connect(tenant.tenantId, { id: 'a', roles: ['admin'] }))._unsafeUnwrap();
      const statuses = [
        (await engine.customerSaved(tenant.tenantId, company))._unsafeUnwrap().status,
        (await engine.customerSaved(tenant.tenantId, anna))._unsafeUnwrap().status,
      ];
      await engine.stop();
      await storage.close();
      return statuses;
    };
    expect(await outcomes(undefined)).toEqual(['synced', 'synced']);
    expect(await outcomes(createCautiousResolver())).toEqual(['synced', 'needs-decision']);
    expect(tenant.customers()).toHaveLength(2);
  });
});
