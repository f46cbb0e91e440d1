/**
 * examples/decisions-page.ts in a real headless browser (Chromium driven by puppeteer-core): a person
 * sees the pending decisions with their candidates, picks "same customer" for one and "create new" for
 * the other, and the engine links and creates accordingly.
 *
 * Needs a Chromium: CHROMIUM_PATH, or /usr/bin/chromium (Debian: `apt-get install -y chromium`). Without
 * one the test is skipped with a message locally, and fails when CI is set (`.ci/run` installs it).
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DecisionsPage,
  EXAMPLE_CUSTOMERS,
  startDecisionsPage,
} from '../../examples/decisions-page.js';
import {
  createFortnoxClient,
  createMemoryStorage,
  createSyncEngine,
  type SyncEngine,
  type SyncStorage,
} from '../../src/index.js';
import { createEmulatorCore, type EmulatorServer } from '../../src/testing/index.js';

// CHROMIUM_PATH, when set, is the only browser tried.
const CANDIDATES =
  process.env.CHROMIUM_PATH !== undefined
    ? [process.env.CHROMIUM_PATH]
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const chromium = CANDIDATES.find((path) => path !== '' && existsSync(path));
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

if (chromium === undefined && !inCi) {
  console.warn(
    'SKIPPED test/examples/decisions-page.test.ts: no Chromium found (set CHROMIUM_PATH or `apt-get install -y chromium`); with CI set this fails instead.',
  );
}

describe.skipIf(chromium === undefined && !inCi)(
  'examples/decisions-page.ts in a headless browser',
  () => {
    const emulator = createEmulatorCore();
    const tenant = emulator.tenant();
    let fortnox: EmulatorServer;
    let storage: SyncStorage;
    let engine: SyncEngine;
    let decisionsPage: DecisionsPage;
    let browser: Browser;
    const actor = { id: 'clerk-7', roles: ['user'] };

    beforeAll(async () => {
      if (chromium === undefined) {
        throw new Error(
          'CI is set but no Chromium was found: install it (apt-get install -y chromium) or set CHROMIUM_PATH',
        );
      }
      tenant.insert({ Name: 'Exempelbolaget', OrganisationNumber: '556036-0793', Type: 'COMPANY' });
      tenant.insert({
        Name: 'Bageriet i Norrland',
        OrganisationNumber: '556677-8899',
        Type: 'COMPANY',
      });
      fortnox = await emulator.listen({ port: 0 });
      const client = createFortnoxClient({
        auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
        apiBaseUrl: fortnox.url,
      });
      storage = createMemoryStorage();
      engine = createSyncEngine({ storage, clients: () => client, companyMatch: 'ask' });
      (await engine.connect(tenant.tenantId, { id: 'admin', roles: ['admin'] }))._unsafeUnwrap();
      for (const customer of EXAMPLE_CUSTOMERS) {
        const outcome = (await engine.customerSaved(tenant.tenantId, customer))._unsafeUnwrap();
        expect(outcome.status).toBe('needs-decision');
      }
      decisionsPage = await startDecisionsPage({
        engine,
        tenantId: tenant.tenantId,
        client,
        sourceCustomer: (id) => EXAMPLE_CUSTOMERS.find((customer) => customer.id === id),
        actor,
      });
      browser = await puppeteer.launch({
        executablePath: chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-dev-shm-usage'],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await decisionsPage?.close();
      await engine?.stop();
      await storage?.close();
      await fortnox?.close();
    });

    it('a person resolves both decisions: one is the existing customer, one is new', async () => {
      const page = await browser.newPage();
      await page.goto(decisionsPage.url);

      // Both questions are shown, each with our customer and the Fortnox candidate.
      const sections = await page.$$eval('section.decision', (nodes) =>
        nodes.map((node) => ({
          id: node.getAttribute('data-source-id'),
          text: node.textContent ?? '',
        })),
      );
      expect(sections.map((section) => section.id)).toEqual(['crm-101', 'crm-102']);
      expect(sections[0]?.text).toContain('Exempelbolaget AB');
      expect(sections[0]?.text).toContain('Fortnox customer 1');
      expect(sections[0]?.text).toContain('identity: agree');

      // "Same customer": crm-101 is Fortnox customer 1.
      await Promise.all([
        page.waitForNavigation(),
        page.click('section[data-source-id="crm-101"] button[name="use"][value="1"]'),
      ]);
      expect(await page.$eval('#message', (node) => node.textContent)).toBe(
        'crm-101 is now Fortnox customer 1.',
      );
      expect(await page.$$('section[data-source-id="crm-101"]')).toHaveLength(0);

      // "None of these": crm-102 becomes a new customer.
      await Promise.all([
        page.waitForNavigation(),
        page.click('section[data-source-id="crm-102"] button[name="createNew"]'),
      ]);
      expect(await page.$eval('#message', (node) => node.textContent)).toMatch(
        /^crm-102 is now Fortnox customer \d+\.$/,
      );
      expect(await page.$eval('#empty', (node) => node.textContent)).toBe(
        'No decisions are waiting.',
      );

      const first = (await engine.status(tenant.tenantId, 'crm-101'))._unsafeUnwrap();
      expect(first).toMatchObject({ state: 'synced', customerNumber: '1' });
      const second = (await engine.status(tenant.tenantId, 'crm-102'))._unsafeUnwrap();
      expect(second.state).toBe('synced');
      expect(second.customerNumber).not.toBe('2');
      expect((await storage.decisions.get(tenant.tenantId, 'crm-101'))?.resolvedBy).toBe('clerk-7');
      await page.close();
    }, 60_000);

    it('refuses a forged choice (a customer number that is no candidate) with words for a person', async () => {
      await engine.customerSaved(tenant.tenantId, {
        id: 'crm-103',
        type: 'company',
        name: 'Exempelbolaget Filial AB',
        organisationNumber: '556036-0793',
        active: true,
      });
      const response = await fetch(new URL('/resolve', decisionsPage.url), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'sourceId=crm-103&use=999999',
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('role="alert"');
    }, 30_000);
  },
);
