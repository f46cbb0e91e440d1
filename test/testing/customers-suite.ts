import { describe, expect, it } from 'vitest';
import { defineCustomerListSuite } from './customer-list-suite.js';
import { createManualClock, type Face } from './faces.js';
import { body, customerOf, errorCode, type Json, useStartedEmulators } from './suite-helpers.js';

/** Behaviour of `/3/customers` that must hold through every face of the emulator. */
export function defineCustomerSuite(face: Face): void {
  const start = useStartedEmulators(face);

  describe(`customers through ${face.name}`, () => {
    it('creates with 201, server defaults and the next number of the series', async () => {
      const { api, baseUrl } = await start();
      const response = await api('POST', '/3/customers', {
        Customer: { Name: 'Ådalens Bygg AB', CountryCode: 'SE' },
      });
      expect(response.status).toBe(201);
      const customer = await customerOf(response);
      expect(Object.keys(customer)).toHaveLength(64);
      expect(customer).toMatchObject({
        '@url': `${baseUrl}/3/customers/1`,
        CustomerNumber: '1',
        Name: 'Ådalens Bygg AB',
        Type: 'COMPANY',
        Active: true,
        Currency: 'SEK',
        Country: 'Sverige',
        CountryCode: 'SE',
        DefaultDeliveryTypes: { Invoice: 'PRINT', Offer: 'PRINT', Order: 'PRINT' },
      });
    });

    it('starts the series at the configured number and skips numbers in use', async () => {
      const { api } = await start({ customerNumberStart: 1001 });
      await api('POST', '/3/customers', { Customer: { Name: 'Vald', CustomerNumber: '1002' } });
      const first = await customerOf(
        await api('POST', '/3/customers', { Customer: { Name: 'A' } }),
      );
      const second = await customerOf(
        await api('POST', '/3/customers', { Customer: { Name: 'B' } }),
      );
      expect([first.CustomerNumber, second.CustomerNumber]).toEqual(['1001', '1003']);
    });

    it('never reuses a number, deleted ones included (2000637)', async () => {
      const { api } = await start();
      await api('POST', '/3/customers', { Customer: { Name: 'A', CustomerNumber: 'K-1/2' } });
      const removed = await api('DELETE', `/3/customers/${encodeURIComponent('K-1/2')}`);
      expect(removed.status).toBe(204);
      expect(await removed.text()).toBe('');
      const again = await api('POST', '/3/customers', {
        Customer: { Name: 'B', CustomerNumber: 'K-1/2' },
      });
      expect(again.status).toBe(400);
      expect(await errorCode(again)).toBe(2000637);
      expect((await api('GET', '/3/customers/K-1%2F2')).status).toBe(404);
    });

    it('refuses a chosen number with characters outside - + / _ (2000106)', async () => {
      const { api } = await start();
      const response = await api('POST', '/3/customers', {
        Customer: { Name: 'A', CustomerNumber: 'K 1' },
      });
      expect(await errorCode(response)).toBe(2000106);
    });

    it('reports an empty or missing Name with 2000637, like Fortnox', async () => {
      const { api, emulator } = await start();
      expect(await errorCode(await api('POST', '/3/customers', { Customer: { Name: '' } }))).toBe(
        2000637,
      );
      expect(
        await errorCode(await api('POST', '/3/customers', { Customer: { City: 'Lund' } })),
      ).toBe(2000637);
      expect(emulator.tenant().customers()).toHaveLength(0);
    });

    it('answers malformed JSON with 2002115, a missing wrapper with 2001392, unknown fields with 2001399', async () => {
      const { api } = await start();
      expect(await errorCode(await api('POST', '/3/customers', '{"Customer":'))).toBe(2002115);
      expect(await errorCode(await api('POST', '/3/customers', { Name: 'A' }))).toBe(2001392);
      expect(await errorCode(await api('POST', '/3/customers', ''))).toBe(2001392);
      expect(
        await errorCode(
          await api('POST', '/3/customers', { Customer: { Name: 'A', Nickname: 'x' } }),
        ),
      ).toBe(2001399);
    });

    it('gets one customer by URL-decoded number and 404s with 2000433 for an unknown one', async () => {
      const { api } = await start();
      await api('POST', '/3/customers', { Customer: { Name: 'A', CustomerNumber: 'AB+1' } });
      expect((await customerOf(await api('GET', '/3/customers/AB%2B1'))).Name).toBe('A');
      const missing = await api('GET', '/3/customers/999');
      expect(missing.status).toBe(404);
      expect(await body(missing)).toEqual({
        ErrorInformation: { error: 1, message: 'Kan inte hitta kunden.', code: 2000433 },
      });
    });

    it('updates partially: null and "" leave a field, API_BLANK clears it', async () => {
      const { api } = await start();
      await api('POST', '/3/customers', {
        Customer: { Name: 'A', City: 'Lund', Email: 'a@b.se', Phone1: '070-123 45 67' },
      });
      const response = await api('PUT', '/3/customers/1', {
        Customer: { City: null, Email: '', Phone1: 'API_BLANK', ZipCode: '222 22' },
      });
      expect(response.status).toBe(200);
      expect(await customerOf(response)).toMatchObject({
        Name: 'A',
        City: 'Lund',
        Email: 'a@b.se',
        Phone1: null,
        ZipCode: '222 22',
      });
    });

    it('gives null for unset address, phone and country fields in a record, "" in a list item', async () => {
      const { api } = await start();
      const unset = [
        'Address1',
        'Address2',
        'City',
        'ZipCode',
        'Phone1',
        'CostCenter',
        'Country',
        'CountryCode',
        'DeliveryAddress1',
        'DeliveryAddress2',
        'DeliveryCity',
        'DeliveryZipCode',
        'DeliveryCountry',
        'DeliveryCountryCode',
      ];
      const nulls = Object.fromEntries(unset.map((field) => [field, null]));
      const created = await customerOf(
        await api('POST', '/3/customers', { Customer: { Name: 'A' } }),
      );
      expect(created).toMatchObject({ ...nulls, Email: '', Name: 'A' });
      expect(await customerOf(await api('GET', '/3/customers/1'))).toMatchObject(nulls);
      const updated = await customerOf(
        await api('PUT', '/3/customers/1', { Customer: { Name: 'B' } }),
      );
      expect(updated).toMatchObject({ ...nulls, Name: 'B' });
      const [item] = (await body(await api('GET', '/3/customers'))).Customers as Json[];
      expect(item).toMatchObject({
        Address1: '',
        Address2: '',
        City: '',
        ZipCode: '',
        Phone: '',
        Email: '',
        OrganisationNumber: '',
      });
      expect(Object.values(item ?? {})).not.toContain(null);
    });

    it('keeps CustomerNumber: the same value is accepted, another is refused', async () => {
      const { api } = await start();
      await api('POST', '/3/customers', { Customer: { Name: 'A' } });
      expect(
        (await api('PUT', '/3/customers/1', { Customer: { CustomerNumber: '1', Name: 'B' } }))
          .status,
      ).toBe(200);
      expect(
        (await api('PUT', '/3/customers/1', { Customer: { CustomerNumber: '2' } })).status,
      ).toBe(400);
      expect((await api('PUT', '/3/customers/7', { Customer: { Name: 'X' } })).status).toBe(404);
    });

    it('ignores read-only fields by default and rejects them when configured', async () => {
      const lenient = await start();
      await lenient.api('POST', '/3/customers', {
        Customer: { Name: 'A', Country: 'Norge', CountryCode: 'SE' },
      });
      expect(lenient.emulator.tenant().customer('1')?.Country).toBe('Sverige');
      const strict = await start({ readOnlyFields: 'reject' });
      const refused = await strict.api('POST', '/3/customers', {
        Customer: { Name: 'A', '@url': 'x' },
      });
      expect(await errorCode(refused)).toBe(2001399);
    });

    it('validates characters (2000359), booleans (2000134), e-mail, country codes and currencies', async () => {
      const { api, emulator } = await start();
      expect(
        await errorCode(await api('POST', '/3/customers', { Customer: { Name: 'A <b>' } })),
      ).toBe(2000359);
      expect(
        await errorCode(
          await api('POST', '/3/customers', { Customer: { Name: 'A', Active: 'yes' } }),
        ),
      ).toBe(2000134);
      expect(
        (await api('POST', '/3/customers', { Customer: { Name: 'A', Email: 'not-an-address' } }))
          .status,
      ).toBe(400);
      expect(
        (await api('POST', '/3/customers', { Customer: { Name: 'A', CountryCode: 'XX' } })).status,
      ).toBe(400);
      expect(
        (await api('POST', '/3/customers', { Customer: { Name: 'A', Currency: 'XYZ' } })).status,
      ).toBe(400);
      expect(emulator.tenant().customers()).toHaveLength(0);
    });

    it('uses the configured inner casing of ErrorInformation', async () => {
      const upper = await start({ errorCasing: 'upper' });
      expect(await body(await upper.api('GET', '/3/customers/1'))).toEqual({
        ErrorInformation: { Error: 1, Message: 'Kan inte hitta kunden.', Code: 2000433 },
      });
      const alternate = await start({ errorCasing: 'alternate' });
      const first = await body(await alternate.api('GET', '/3/customers/1'));
      const second = await body(await alternate.api('GET', '/3/customers/1'));
      expect(Object.keys(first.ErrorInformation as Json)).toEqual(['error', 'message', 'code']);
      expect(Object.keys(second.ErrorInformation as Json)).toEqual(['Error', 'Message', 'Code']);
    });
  });

  describe(`access through ${face.name}`, () => {
    it('answers 401 with 2000311 without a token and {"message":"unauthorized"} with a bad, expired or revoked one', async () => {
      const clock = createManualClock();
      const { baseUrl, api, emulator } = await start({ now: clock.now });
      const missing = await fetch(`${baseUrl}/3/customers`);
      expect(missing.status).toBe(401);
      expect(await errorCode(missing)).toBe(2000311);
      const expectUnauthorized = async (response: Response) => {
        expect(response.status).toBe(401);
        expect(response.headers.get('Content-Type')).toBe('application/json');
        expect(await response.text()).toBe('{"message":"unauthorized"}');
      };
      await expectUnauthorized(await api('GET', '/3/customers', undefined, 'forged'));
      const shortLived = emulator.issueAccessToken(undefined, { lifetimeSeconds: 60 });
      expect((await api('GET', '/3/customers', undefined, shortLived)).status).toBe(200);
      clock.advance(61_000);
      await expectUnauthorized(await api('GET', '/3/customers', undefined, shortLived));
      const revoked = emulator.issueAccessToken();
      emulator.revokeTokens();
      await expectUnauthorized(await api('PUT', '/3/customers/1', { Customer: {} }, revoked));
    });

    it('answers 403 (2000663) when the token lacks the customer scope', async () => {
      const { api, emulator } = await start();
      const token = emulator.issueAccessToken(undefined, { scopes: ['companyinformation'] });
      const response = await api('GET', '/3/customers', undefined, token);
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe(2000663);
    });

    it('keeps tenants apart', async () => {
      const { api, emulator } = await start();
      await api('POST', '/3/customers', { Customer: { Name: 'Default tenant' } });
      const other = emulator.issueAccessToken('2000002');
      const list = await body(await api('GET', '/3/customers', undefined, other));
      expect(list.Customers).toEqual([]);
      expect(emulator.tenantIds().sort()).toEqual(['1000001', '2000002']);
    });
  });

  defineCustomerListSuite(face);
}
