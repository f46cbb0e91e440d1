import { describe, expect, it } from 'vitest';
import { createManualClock, type Face } from './faces.js';
import { body, errorCode, type Json, useStartedEmulators } from './suite-helpers.js';

/** Listing, paging, sorting, searching and `lastmodified` of `/3/customers`, through one face. */
export function defineCustomerListSuite(face: Face): void {
  const start = useStartedEmulators(face);

  describe(`customer lists through ${face.name}`, () => {
    it('lists the 10 list fields with Phone from Phone1, and Fortnox paging', async () => {
      const { api, emulator } = await start();
      for (const name of ['C', 'A', 'B'])
        emulator.tenant().insert({ Name: name, Phone1: `08-${name}` });
      const page = await body(await api('GET', '/3/customers?limit=2&page=2'));
      expect(page.MetaInformation).toEqual({
        '@TotalResources': 3,
        '@TotalPages': 2,
        '@CurrentPage': 2,
      });
      const items = page.Customers as Json[];
      expect(items).toHaveLength(1);
      expect(Object.keys(items[0] ?? {}).sort()).toEqual(
        [
          '@url',
          'Address1',
          'Address2',
          'City',
          'CustomerNumber',
          'Email',
          'Name',
          'OrganisationNumber',
          'Phone',
          'ZipCode',
        ].sort(),
      );
      expect(items[0]).toMatchObject({ CustomerNumber: '3', Phone: '08-B' });
    });

    it('answers an empty list with @TotalPages 0 and @CurrentPage 1', async () => {
      const { api } = await start();
      expect((await body(await api('GET', '/3/customers'))).MetaInformation).toEqual({
        '@TotalResources': 0,
        '@TotalPages': 0,
        '@CurrentPage': 1,
      });
    });

    it('answers an offset past the last match as Fortnox does: nothing, @TotalResources 0, @CurrentPage 1', async () => {
      const { api, emulator } = await start();
      for (const name of ['A', 'B', 'C']) emulator.tenant().insert({ Name: name });
      const past = await body(await api('GET', '/3/customers?offset=3&page=2'));
      expect(past).toEqual({
        Customers: [],
        MetaInformation: { '@TotalResources': 0, '@TotalPages': 0, '@CurrentPage': 1 },
      });
      // An offset inside the matches skips that many; the counts still cover every match.
      const inside = await body(await api('GET', '/3/customers?offset=1&limit=1'));
      expect((inside.Customers as Json[]).map((item) => item.Name)).toEqual(['B']);
      expect(inside.MetaInformation).toEqual({
        '@TotalResources': 3,
        '@TotalPages': 2,
        '@CurrentPage': 1,
      });
    });

    it('keeps the earlier offset answer as an option (offsetPastEnd: count-matches)', async () => {
      const { api, emulator } = await start({ offsetPastEnd: 'count-matches' });
      for (const name of ['A', 'B', 'C']) emulator.tenant().insert({ Name: name });
      expect(await body(await api('GET', '/3/customers?offset=5&page=2'))).toEqual({
        Customers: [],
        MetaInformation: { '@TotalResources': 3, '@TotalPages': 0, '@CurrentPage': 2 },
      });
    });

    it('combines several search parameters with AND, as recorded (city, then city + zipcode)', async () => {
      const { api, emulator } = await start();
      emulator.tenant().insert({ Name: 'Alfa', City: 'New York', ZipCode: '10001' });
      emulator.tenant().insert({ Name: 'Beta', City: 'New York', ZipCode: '10002' });
      emulator.tenant().insert({ Name: 'Gamma', City: 'Boston', ZipCode: '10001' });
      const names = async (query: string) =>
        ((await body(await api('GET', `/3/customers?${query}`))).Customers as Json[]).map(
          (item) => item.Name,
        );
      expect(await names('city=New%20York')).toEqual(['Alfa', 'Beta']);
      expect(await names('city=New%20York&zipcode=10001')).toEqual(['Alfa']);
    });

    it('refuses limit above 500 and a bad filter (2000587)', async () => {
      const { api } = await start();
      expect((await api('GET', '/3/customers?limit=501')).status).toBe(400);
      expect((await api('GET', '/3/customers?limit=500')).status).toBe(200);
      const filter = await api('GET', '/3/customers?filter=deleted');
      expect(filter.status).toBe(400);
      expect(await errorCode(filter)).toBe(2000587);
    });

    it('sorts customer numbers numerically and by name both ways', async () => {
      const { api, emulator } = await start();
      for (const [number, name] of [
        ['10', 'Örjan'],
        ['9', 'Åsa'],
        ['100', 'Anna'],
      ]) {
        emulator.tenant().insert({ Name: name, CustomerNumber: number });
      }
      const numbers = async (query: string) =>
        ((await body(await api('GET', `/3/customers${query}`))).Customers as Json[]).map(
          (item) => item.CustomerNumber,
        );
      expect(await numbers('')).toEqual(['9', '10', '100']);
      expect(await numbers('?sortby=customernumber&sortorder=descending')).toEqual([
        '100',
        '10',
        '9',
      ]);
      expect(await numbers('?sortby=name')).toEqual(['100', '9', '10']);
    });

    it('filters active/inactive and searches case-insensitive substrings, AND by default', async () => {
      const { api, emulator } = await start();
      const tenant = emulator.tenant();
      tenant.insert({ Name: 'Lunds Bygg AB', City: 'Lund', Phone1: '046-12 34 56' });
      tenant.insert({ Name: 'Malmö Bygg AB', City: 'Malmö', Active: false });
      tenant.insert({ Name: 'Lund Café', City: 'Lund' });
      const names = async (query: string) =>
        ((await body(await api('GET', `/3/customers?${query}`))).Customers as Json[]).map(
          (item) => item.Name,
        );
      expect(await names('filter=inactive')).toEqual(['Malmö Bygg AB']);
      expect(await names('name=BYGG')).toEqual(['Lunds Bygg AB', 'Malmö Bygg AB']);
      expect(await names('name=bygg&city=lund')).toEqual(['Lunds Bygg AB']);
      expect(await names('phone=12 34')).toEqual(['Lunds Bygg AB']);
      expect(await names('customernumber=1')).toEqual(['Lunds Bygg AB']);
    });

    it('searches every one of the 9 search parameters as a case-insensitive substring', async () => {
      const { api, emulator } = await start();
      const target = emulator.tenant().insert({
        Name: 'Östra Hamnens Fisk AB',
        CustomerNumber: 'FISK-77',
        Email: 'Info@HamnFisk.se',
        Phone1: '031-711 22 33',
        OrganisationNumber: '556677-8899',
        ZipCode: '414 51',
        City: 'Göteborg',
        GLN: '7350012345678',
        GLNDelivery: '7350087654321',
      });
      emulator.tenant().insert({ Name: 'Annan Kund', City: 'Luleå', Email: 'x@y.se' });
      const needles: Record<string, string> = {
        customernumber: 'isk-7',
        name: 'HAMNENS fisk',
        email: 'hamnfisk.SE',
        phone: '711 22',
        organisationnumber: '77-88',
        zipcode: '4 51',
        city: 'GÖTE',
        gln: '1234567',
        glndelivery: '876543',
      };
      for (const [parameter, needle] of Object.entries(needles)) {
        const found = (
          (await body(await api('GET', `/3/customers?${parameter}=${encodeURIComponent(needle)}`)))
            .Customers as Json[]
        ).map((item) => item.CustomerNumber);
        expect(found, parameter).toEqual([target.CustomerNumber]);
      }
    });

    it('sorts by name descending', async () => {
      const { api, emulator } = await start();
      for (const name of ['Örjan', 'anna', 'Åsa', 'Bertil'])
        emulator.tenant().insert({ Name: name });
      const names = (
        (await body(await api('GET', '/3/customers?sortby=name&sortorder=descending')))
          .Customers as Json[]
      ).map((item) => item.Name);
      expect(names).toEqual(['Örjan', 'Åsa', 'Bertil', 'anna']);
    });

    it('combines search parameters with OR when configured', async () => {
      const { api, emulator } = await start({ searchCombination: 'any' });
      emulator.tenant().insert({ Name: 'Alfa', City: 'Lund' });
      emulator.tenant().insert({ Name: 'Beta', City: 'Umeå' });
      const result = await body(await api('GET', '/3/customers?name=alfa&city=umeå'));
      expect((result.Customers as Json[]).length).toBe(2);
    });

    it('returns customers modified since a Stockholm-local lastmodified', async () => {
      const clock = createManualClock(Date.UTC(2026, 6, 1, 10, 0, 0)); // 12:00 in Stockholm (CEST)
      const { api, emulator } = await start({ now: clock.now });
      emulator.tenant().insert({ Name: 'Old' });
      clock.advance(30 * 60 * 1000);
      emulator.tenant().insert({ Name: 'New' });
      const since = async (value: string) =>
        (
          (await body(await api('GET', `/3/customers?lastmodified=${encodeURIComponent(value)}`)))
            .Customers as Json[]
        ).map((item) => item.Name);
      expect(await since('2026-07-01 12:15')).toEqual(['New']);
      expect(await since('2026-07-01 12:00:00')).toEqual(['Old', 'New']);
      expect(await since('2026-07-02')).toEqual([]);
      clock.advance(20 * 60 * 1000);
      await api('PUT', '/3/customers/1', { Customer: { City: 'Kiruna' } });
      expect(await since('2026-07-01 12:40')).toEqual(['Old']);
      expect((await api('GET', '/3/customers?lastmodified=yesterday')).status).toBe(400);
    });
  });
}
