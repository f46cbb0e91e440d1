/**
 * End to end over real HTTP on 127.0.0.1 against the project's Fortnox emulator (src/testing):
 * the whole OAuth flow, paging, writes, exact finders, a lost POST and running at the rate ceiling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAuthorizationUrl,
  createFortnoxClient,
  createMemoryTokenStore,
  exchangeAuthorizationCode,
  type FortnoxClient,
} from '../../src/client/index.js';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TENANT_ID,
  type EmulatorServer,
} from '../../src/testing/index.js';
import { createFortnoxEmulator } from '../../src/testing/msw.js';

const SEEDED = 620;
const emulator = createFortnoxEmulator({
  tenants: { [DEFAULT_TENANT_ID]: { seedCustomers: SEEDED, seed: 7 } },
});
let server: EmulatorServer;
let client: FortnoxClient;
const tokenStore = createMemoryTokenStore();

beforeAll(async () => {
  server = await emulator.listen({ host: '127.0.0.1', port: 0 });
  const redirectUri = 'http://127.0.0.1/callback';
  const authorize = buildAuthorizationUrl({
    clientId: DEFAULT_CLIENT_ID,
    redirectUri,
    scopes: ['customer', 'companyinformation'],
    state: 'state-1',
    authBaseUrl: server.url,
  });
  const consent = await fetch(authorize, { redirect: 'manual' });
  const location = new URL(consent.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe('state-1');
  const tokens = (
    await exchangeAuthorizationCode({
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      code: location.searchParams.get('code') ?? '',
      redirectUri,
      authBaseUrl: server.url,
    })
  )._unsafeUnwrap();
  expect(tokens.tenantId).toBe(DEFAULT_TENANT_ID);
  // Expired on purpose: the first call must refresh through the store.
  await tokenStore.save(DEFAULT_TENANT_ID, { ...tokens, expiresAt: Date.now() - 1 });
  client = createFortnoxClient({
    auth: {
      type: 'refresh-token',
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      tenantId: DEFAULT_TENANT_ID,
      tokenStore,
    },
    apiBaseUrl: server.url,
    authBaseUrl: server.url,
  });
});

afterAll(async () => {
  await server.close();
});

describe('FortnoxClient against the emulator', () => {
  it('refreshes, then pages through every customer at limit=500', async () => {
    const before = (await tokenStore.load(DEFAULT_TENANT_ID))?.refreshToken;
    const all = (await client.customers.listAll())._unsafeUnwrap();
    expect(all).toHaveLength(SEEDED);
    expect(new Set(all.map((c) => c.CustomerNumber)).size).toBe(SEEDED);
    expect((await tokenStore.load(DEFAULT_TENANT_ID))?.refreshToken).not.toBe(before);
  });

  it('creates, reads, updates with API_BLANK, finds exactly and removes', async () => {
    const created = (
      await client.customers.create({
        Name: 'Exakt Test AB',
        OrganisationNumber: '559999-0007',
        Email: 'Exakt@Test.se',
        Phone1: '070-765 43 21',
        City: 'Lund',
      })
    )._unsafeUnwrap();
    const number = created.CustomerNumber;
    expect((await client.customers.get(number))._unsafeUnwrap().Name).toBe('Exakt Test AB');
    const updated = (await client.customers.update(number, { City: 'API_BLANK' }))._unsafeUnwrap();
    expect(updated.City ?? '').toBe('');
    const byOrg = (await client.customers.findByOrganisationNumber('5599990007'))._unsafeUnwrap();
    expect(byOrg.map((c) => c.CustomerNumber)).toEqual([number]);
    const byEmail = (await client.customers.findByEmail('exakt@test.se'))._unsafeUnwrap();
    expect(byEmail.map((c) => c.CustomerNumber)).toEqual([number]);
    const byPhone = (await client.customers.findByPhone('+46 70 765 43 21'))._unsafeUnwrap();
    expect(byPhone.map((c) => c.CustomerNumber)).toEqual([number]);
    expect((await client.customers.remove(number)).isOk()).toBe(true);
    expect((await client.customers.get(number))._unsafeUnwrapErr()).toMatchObject({
      kind: 'api',
      status: 404,
    });
  });

  it('reports a POST whose response was lost as unknown-outcome (the customer exists: reconcile)', async () => {
    emulator.faults.inject({ kind: 'lost-response', methods: ['POST'], count: 1 });
    const error = (
      await client.customers.create({ Name: 'Förlorat Svar AB', OrganisationNumber: '559999-0015' })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: 'unknown-outcome', reason: 'network' });
    const found = (await client.customers.findByOrganisationNumber('559999-0015'))._unsafeUnwrap();
    expect(found).toHaveLength(1);
    emulator.faults.clear();
  });

  it('runs 40 concurrent reads at the rate ceiling without a single 429', async () => {
    const start = emulator.requests().length;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.customers.list({ page: (i % 3) + 1, limit: 10 })),
    );
    expect(results.every((result) => result.isOk())).toBe(true);
    const statuses = emulator
      .requests()
      .slice(start)
      .map((entry) => entry.status);
    expect(statuses).toHaveLength(40);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
  }, 30_000);
});
