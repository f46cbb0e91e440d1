/**
 * One busy tenant must not starve the others. Each tenant's client paces its requests (the rate
 * limiter), and a handler whose request waits there holds its queue slot: without a per-tenant cap, a
 * tenant with a backlog (a bulk import, an initial sync) fills every slot, and every other tenant's
 * save waits until that backlog drains — the engine's throughput collapses to one tenant's budget.
 *
 * Order-based, not timed: the emulator's strict limiter is scaled (10 per second instead of 25 per
 * 5 s), and the assertions are about which requests reached Fortnox before which.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/testing/index.js';
import { type Harness, sampleCustomers, startHarness } from './support/engine-harness.js';

const BUSY = '3000001';
const QUIET = '3000002';
const RATE = { limit: 10, windowMs: 1_000 };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A backlog of `count` creates for `tenantId`, queued the way a bulk import or an initial sync does. */
async function backlog(harness: Harness, tenantId: string, count: number): Promise<void> {
  for (const customer of sampleCustomers(count, 7, `bulk-${tenantId}`)) {
    await harness.storage.outbox.enqueue(
      tenantId,
      customer.id,
      { operation: 'upsert', customer, skipMatching: true },
      Date.now(),
    );
    await harness.storage.queue.schedule({ tenantId, sourceId: customer.id });
  }
}

const writesOf = (log: readonly RequestLogEntry[], tenantId: string) =>
  log.filter((entry) => entry.tenantId === tenantId && entry.method === 'POST').length;

describe('fairness between tenants', () => {
  it('a tenant with 500 pending items does not hold back another tenant’s save', {
    timeout: 40_000,
  }, async () => {
    h = await startHarness({
      tenants: [BUSY, QUIET],
      rateLimit: { ...RATE, retryAfter: true },
      engine: { autoStart: false, saveTimeoutMs: 15_000 },
    });
    await backlog(h, BUSY, 500);
    h.engine.start();
    // The busy tenant is at work (its requests are being paced) before the quiet one saves.
    await waitForRequests(h, BUSY, 3);
    const [customer] = sampleCustomers(1, 3, 'quiet');
    const outcome = (await h.engine.customerSaved(QUIET, customer!))._unsafeUnwrap();
    expect(outcome).toMatchObject({ status: 'synced' });

    const log = h.requests();
    const quietFirst = log.findIndex((entry) => entry.tenantId === QUIET);
    // Long before the backlog drains: a few of its windows at most, not its 500 creates.
    expect(writesOf(log.slice(0, quietFirst), BUSY)).toBeLessThan(50);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
  });

  it('two tenants with backlogs both use their own budget at once', {
    timeout: 40_000,
  }, async () => {
    h = await startHarness({
      tenants: [BUSY, QUIET],
      rateLimit: { ...RATE, retryAfter: true },
      engine: { autoStart: false, saveTimeoutMs: 15_000 },
    });
    await backlog(h, BUSY, 300);
    await backlog(h, QUIET, 30);
    h.engine.start();
    await waitFor(h, (log) => writesOf(log, QUIET) === 30, 'the quiet tenant’s 30 creates');

    const log = h.requests();
    const first = log.findIndex((entry) => entry.tenantId === QUIET);
    const last = log.findLastIndex((entry) => entry.tenantId === QUIET);
    const during = log.slice(first, last + 1);
    // Both budgets at work side by side: while the quiet tenant's 30 went out, the busy one kept
    // sending too (as many as its budget allows, give or take the first window), and its backlog was not done.
    expect(writesOf(during, BUSY)).toBeGreaterThanOrEqual(10);
    expect(writesOf(log, BUSY)).toBeLessThan(150);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
  });
});

async function waitForRequests(harness: Harness, tenantId: string, count: number): Promise<void> {
  await waitFor(
    harness,
    (log) => writesOf(log, tenantId) >= count,
    `${count} writes of ${tenantId}`,
  );
}

async function waitFor(
  harness: Harness,
  check: (log: readonly RequestLogEntry[]) => boolean,
  what: string,
): Promise<void> {
  // Generous: the quiet tenant's work takes about 3 s at 10 per second; unfair, it waits for the backlog.
  const deadline = Date.now() + 20_000;
  while (!check(harness.requests())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
