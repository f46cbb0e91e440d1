/**
 * Exact finders against the emulator, whose search is Fortnox's case-insensitive substring match:
 * a record stored in another usual written form must be found, a near miss must not.
 */
import { describe, expect, it } from 'vitest';
import { createFortnoxClient, type FortnoxClient } from '../../src/client/index.js';
import { DEFAULT_TENANT_ID } from '../../src/testing/index.js';
import { createFortnoxEmulator } from '../../src/testing/msw.js';
import { useMockServer } from './support/fortnox-api.js';

const server = useMockServer();

async function clientWith(
  customers: ReadonlyArray<Record<string, string>>,
): Promise<{ client: FortnoxClient; numbers: string[] }> {
  const emulator = createFortnoxEmulator({
    rateLimit: false,
    staticTokens: { 'static-token': DEFAULT_TENANT_ID },
  });
  server.use(...emulator.handlers);
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: 'static-token' },
    // The emulator's limit is off: these tests are about matching, not pacing.
    rateLimit: { limit: 10_000 },
  });
  const numbers: string[] = [];
  for (const customer of customers) {
    const created = await client.customers.create({ Name: 'Kund', ...customer });
    numbers.push(created._unsafeUnwrap().CustomerNumber);
  }
  return { client, numbers };
}

const sorted = (items: ReadonlyArray<{ CustomerNumber: string }>) =>
  items.map((item) => item.CustomerNumber).sort();

describe('exact finders over substring search', () => {
  it('find an organisation or personal identity number in every written form, and nothing else', async () => {
    const { client, numbers } = await clientWith([
      { OrganisationNumber: '5560360793' },
      { OrganisationNumber: '556036-0793' },
      { OrganisationNumber: '16556036-0793' },
      { OrganisationNumber: '556036-0794' },
      { OrganisationNumber: '19850101-1237' },
      { OrganisationNumber: '850101-1237' },
    ]);
    const [a, b, c, , p, q] = numbers;
    for (const input of ['556036-0793', '5560360793', '165560360793', ' 556036 0793 ']) {
      const found = (await client.customers.findByOrganisationNumber(input))._unsafeUnwrap();
      expect(sorted(found), input).toEqual([a, b, c].sort());
    }
    for (const input of ['850101-1237', '198501011237']) {
      const found = (await client.customers.findByOrganisationNumber(input))._unsafeUnwrap();
      expect(sorted(found), input).toEqual([p, q].sort());
    }
  });

  it('find an e-mail whatever its case, not a longer address containing it', async () => {
    const { client, numbers } = await clientWith([
      { Email: 'Anna.Svensson@Example.se' },
      { Email: 'anna.svensson@example.se' },
      { Email: 'x.anna.svensson@example.se' },
    ]);
    const found = (await client.customers.findByEmail('ANNA.svensson@example.SE'))._unsafeUnwrap();
    expect(sorted(found)).toEqual(numbers.slice(0, 2).sort());
  });

  it('find a phone number stored national, compact, E.164 or international, from any of them', async () => {
    const { client, numbers } = await clientWith([
      { Phone1: '070-123 45 67' },
      { Phone1: '0701234567' },
      { Phone1: '+46701234567' },
      { Phone1: '+46 70 123 45 67' },
      { Phone1: '070 123 45 67' },
      { Phone1: '070-1234567' },
      { Phone1: '070-123 45 678' },
      { Phone1: '08-123 456 78' },
    ]);
    const same = numbers.slice(0, 6).sort();
    const forms = ['070-123 45 67', '0701234567', '+46701234567', '+46 70 123 45 67'];
    for (const input of [...forms, '070 123 45 67', '070-1234567']) {
      const found = (await client.customers.findByPhone(input))._unsafeUnwrap();
      expect(sorted(found), input).toEqual(same);
    }
    const landline = (await client.customers.findByPhone('+46812345678'))._unsafeUnwrap();
    expect(sorted(landline)).toEqual([numbers[7]]);
  });

  it('find a customer number exactly although the search also returns 10, 21, 100', async () => {
    const { client } = await clientWith(
      ['1', '10', '21', '100'].map((CustomerNumber) => ({ CustomerNumber })),
    );
    const found = (await client.customers.findByCustomerNumber('1'))._unsafeUnwrap();
    expect(sorted(found)).toEqual(['1']);
    expect((await client.customers.findByCustomerNumber('2'))._unsafeUnwrap()).toEqual([]);
  });
});
