/**
 * Jobs under failure (issue 9 "Jobs", "Idempotent create", "Tests"): offline and back, lost POST
 * answers, 429 storms, a token revoked mid-run, a restarted process, 1 000 saves across 5 tenants.
 * Rate limits and backoff are scaled down; the tests count, they do not time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceCustomer } from '../../src/mapping/index.js';
import {
  ADMIN,
  countByMethod,
  eventually,
  type Harness,
  sampleCustomers,
  startHarness,
} from './support/engine-harness.js';

const T = '1000001';
let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Every Fortnox customer's ExternalReference, counted: zero duplicates means every count is 1. */
const references = (tenantId: string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const customer of h.emulator.tenant(tenantId).customers()) {
    const reference = String(customer.ExternalReference ?? '');
    counts.set(reference, (counts.get(reference) ?? 0) + 1);
  }
  return counts;
};

const allDelivered = (tenantId: string, count: number) => async () =>
  (await h.storage.links.count(tenantId)) === count &&
  (await h.storage.outbox.list(tenantId)).length === 0;

describe('resilience', () => {
  it('offline for a while, then back: nothing lost, the last change of each customer wins', async () => {
    h = await startHarness({ tenants: [T], engine: { saveTimeoutMs: 500 } });
    const removeOutage = h.emulator.faults.inject({ kind: 'connection-reset', probability: 1 });
    const customers = sampleCustomers(20, 12);
    const outcomes = await Promise.all(customers.map((c) => h.engine.customerSaved(T, c)));
    for (const outcome of outcomes) {
      // `retrying` once an attempt failed; `timeout` if this loaded machine had not tried it yet.
      expect(outcome._unsafeUnwrap().status).toBe('pending');
    }
    // Saved again while offline: v2 of every other customer coalesces with v1.
    const renamed = customers.map((c, i) => (i % 2 === 0 ? { ...c, name: `${c.name} v2` } : c));
    for (const customer of renamed.filter((_, i) => i % 2 === 0)) {
      void h.engine.customerSaved(T, customer);
    }
    await eventually(
      () => h.events.filter((event) => event.type === 'retrying').length >= 60,
      10_000,
      'retries while offline',
    );
    expect(h.emulator.tenant(T).customers()).toHaveLength(0);
    removeOutage();
    await eventually(allDelivered(T, 20), 15_000, 'every customer delivered');
    const names = h.emulator
      .tenant(T)
      .customers()
      .map((c) => c.Name)
      .sort();
    expect(names).toEqual(renamed.map((c) => c.name).sort());
    expect([...references(T).values()].every((count) => count === 1)).toBe(true);
    for (const customer of customers) {
      expect((await h.engine.status(T, customer.id))._unsafeUnwrap().state).toBe('synced');
    }
  });

  it('10 % of POST answers lost: zero duplicates (reconcile by ExternalReference before any new POST)', async () => {
    h = await startHarness({ tenants: [T] });
    h.emulator.faults.inject({ kind: 'lost-response', methods: ['POST'], probability: 0.1 });
    const customers = sampleCustomers(120, 13);
    await Promise.all(customers.map((c) => h.engine.customerSaved(T, c)));
    await eventually(allDelivered(T, 120), 20_000, 'every customer delivered');
    const lost = h.emulator.faults.counts()['lost-response'];
    expect(lost).toBeGreaterThan(3);
    const byReference = references(T);
    expect(byReference.size).toBe(120);
    expect([...byReference.values()].every((count) => count === 1)).toBe(true);
    // Exactly one POST per customer reached Fortnox: the lost ones were found, not sent again.
    const counts = countByMethod(h.requests());
    expect(counts.POST).toBe(120);
    // Each lost answer costs one search and one GET of the candidate; the record already agrees: no PUT.
    const persons = customers.filter((c) => c.type === 'private').length;
    // Searches: a company 1 (organisation number), a person 5 (name, e-mail, personnummer, 2 × phone).
    expect(counts.GET).toBe(120 - persons + 5 * persons + 2 * lost);
    expect(counts.PUT ?? 0).toBe(0);
    const reconciled = h.events.filter(
      (event) => event.type === 'linked' && event.origin === 'reconciled',
    );
    expect(reconciled).toHaveLength(lost);
  });

  it('a 429 storm: every customer is delivered once, retries are reported, nothing is given up', async () => {
    // The client halves its budget at every 429 and regrows it by one per window: a short window
    // keeps the test quick, the behaviour is the same.
    h = await startHarness({
      tenants: [T],
      clientRateLimit: { limit: 20, windowMs: 50, safetyMarginMs: 0 },
    });
    h.emulator.faults.inject({
      kind: 'rate-limit',
      path: '/3/customers',
      probability: 0.4,
      count: 40,
    });
    const customers = sampleCustomers(40, 14);
    await Promise.all(customers.map((c) => h.engine.customerSaved(T, c)));
    await eventually(allDelivered(T, 40), 20_000, 'every customer delivered');
    const storm = h.emulator.faults.counts()['rate-limit'];
    expect(storm).toBeGreaterThan(20);
    const retrying = h.events.filter((event) => event.type === 'retrying');
    // A 429 fails one delivery attempt; a person's searches run together, so one attempt may see two.
    expect(retrying.length).toBeGreaterThan(storm / 3);
    expect(retrying.length).toBeLessThanOrEqual(storm);
    expect(
      retrying.every((event) => event.type === 'retrying' && event.errorKind === 'rate-limited'),
    ).toBe(true);
    expect(h.emulator.tenant(T).customers()).toHaveLength(40);
    expect(h.events.some((event) => event.type === 'failed')).toBe(false);
  });

  it('a token revoked mid-run: needs-reconnect, nothing lost; connect resumes', async () => {
    h = await startHarness({ tenants: [T] });
    const customers = sampleCustomers(40, 15);
    const first = customers.slice(0, 10);
    await Promise.all(first.map((c) => h.engine.customerSaved(T, c)));
    expect(await h.storage.links.count(T)).toBe(10);
    h.emulator.revokeTokens(T);
    const rest = await Promise.all(customers.slice(10).map((c) => h.engine.customerSaved(T, c)));
    expect(rest.every((outcome) => outcome._unsafeUnwrap().status === 'pending')).toBe(true);
    const summary = (await h.engine.summary(T))._unsafeUnwrap();
    expect(summary).toMatchObject({ connection: 'needs-reconnect', linked: 10, pending: 30 });
    const paused = h.events.filter((event) => event.type === 'paused');
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatchObject({ connection: 'needs-reconnect', reason: { kind: 'auth' } });
    h.reissueToken(T);
    (await h.engine.connect(T, ADMIN))._unsafeUnwrap();
    await eventually(allDelivered(T, 40), 15_000, 'every customer delivered');
    expect(h.emulator.tenant(T).customers()).toHaveLength(40);
    expect([...references(T).values()].every((count) => count === 1)).toBe(true);
  });

  it('a stopped process leaves its work in storage; a new engine on the same storage delivers it', async () => {
    h = await startHarness({ tenants: [T], engine: { autoStart: false } });
    const customers = sampleCustomers(15, 16);
    const saved = customers.map((c) => h.engine.customerSaved(T, c));
    await eventually(async () => (await h.storage.outbox.list(T)).length === 15);
    expect(h.requests()).toHaveLength(0);
    const fresh = h.restart({ autoStart: true });
    await eventually(allDelivered(T, 15), 15_000, 'every customer delivered');
    expect(h.emulator.tenant(T).customers()).toHaveLength(15);
    await fresh.stop();
    // The first engine never delivered: stopping it answers its callers `pending`.
    await h.engine.stop();
    for (const outcome of await Promise.all(saved)) {
      expect(outcome._unsafeUnwrap()).toMatchObject({ status: 'pending', reason: 'timeout' });
    }
    for (const customer of customers) {
      expect((await h.engine.status(T, customer.id))._unsafeUnwrap().state).toBe('synced');
    }
  });

  it('1 000 concurrent saves across 5 tenants at a scaled rate limit: all delivered once, zero 429', async () => {
    const tenants = ['2000001', '2000002', '2000003', '2000004', '2000005'];
    h = await startHarness({
      tenants,
      rateLimit: { limit: 200, windowMs: 1_000, retryAfter: true },
      // The client holds each slot until its answer is in, so however late a request reaches the
      // emulator (it shares this event loop), the two windows never disagree: no margin needed.
      clientRateLimit: { limit: 200, windowMs: 1_000 },
      engine: { concurrency: 64, saveTimeoutMs: 30_000 },
    });
    const perTenant = new Map<string, SourceCustomer[]>(
      tenants.map((tenantId, i) => [tenantId, sampleCustomers(200, 100 + i, `t${i}`)]),
    );
    const outcomes = await Promise.all(
      tenants.flatMap((tenantId) =>
        perTenant.get(tenantId)!.map((customer) => h.engine.customerSaved(tenantId, customer)),
      ),
    );
    // A save answers `synced`, or `pending`/`timeout` when this loaded machine took longer than the
    // save timeout; either way every customer must then be delivered, once.
    for (const outcome of outcomes) {
      expect(['synced', 'pending']).toContain(outcome._unsafeUnwrap().status);
    }
    for (const tenantId of tenants) {
      await eventually(allDelivered(tenantId, 200), 120_000, `every customer of ${tenantId}`);
    }
    for (const tenantId of tenants) {
      expect(h.emulator.tenant(tenantId).customers()).toHaveLength(200);
      expect(await h.storage.links.count(tenantId)).toBe(200);
    }
    const requests = h.requests();
    const rejected = requests.filter((entry) => entry.status === 429).length;
    expect(rejected).toBe(0);
    const counts = countByMethod(requests.filter((entry) => entry.status !== 429));
    expect(counts.POST).toBe(1000);
    // Companies: 1 search; persons: name + e-mail + personnummer + 2 phone searches. Nothing else, but
    // for the searches repeated by an attempt that a 429 cut short (a person's run together, up to 4 more).
    const persons = [...perTenant.values()].flat().filter((c) => c.type === 'private').length;
    const minimum = 1000 - persons + 5 * persons;
    expect(counts.GET).toBeGreaterThanOrEqual(minimum);
    expect(counts.GET).toBeLessThanOrEqual(minimum + 4 * rejected);
    expect(counts.PUT ?? 0).toBe(0);
  }, 240_000);
});
