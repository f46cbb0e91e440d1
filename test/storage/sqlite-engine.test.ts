/**
 * The engine on the SQLite adapter, where an adapter's own behaviour decides the outcome: a delete
 * that must first find a create whose answer was lost keeps the customer it carries.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import {
  countByMethod,
  type Harness,
  sampleCustomers,
  startHarness,
} from '../sync/support/engine-harness.js';
import { sqlitePath } from './support/sqlite-files.js';

const T = '1000001';
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the engine on fortnox-sync/sqlite', () => {
  it('after a create whose answer was lost, a delete finds the customer (reconcile) and deactivates it', async () => {
    const storage = createSqliteStorage({
      path: sqlitePath(`engine-${process.pid}-${Date.now()}`),
      pollIntervalMs: 20,
    });
    const customer = sampleCustomers(1, 3)[0]!;
    // What a create whose answer was lost an hour ago (by a process since gone) leaves behind: the
    // entry, marked createAttempted, waiting for a retry an hour away (so only the delete below sends
    // anything)...
    const anHourAgo = Date.now() - 3_600_000;
    const saved = await storage.outbox.enqueue(
      T,
      customer.id,
      { operation: 'upsert', customer },
      anHourAgo,
    );
    await storage.outbox.update(
      T,
      customer.id,
      saved.version,
      { createAttempted: true, attempts: 1, notBefore: Date.now() + 3_600_000 },
      anHourAgo,
    );
    // The default createSettleMs: that POST is long settled, so the delete looks it up at once (the
    // delete's own enqueue does not restart the wait, which is measured from the attempt).
    h = await startHarness({ tenants: [T], storage, engine: { saveTimeoutMs: 10_000 } });
    // ... and the customer that create made in Fortnox.
    const made = (
      await h.client().customers.create({
        Name: customer.name,
        OrganisationNumber: customer.organisationNumber ?? '',
        ExternalReference: customer.id,
      })
    )._unsafeUnwrap();
    h.resetRequests();

    const outcome = (await h.engine.customerDeleted(T, customer.id))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'deleted', customerNumber: made.CustomerNumber });
    // One search by organisation number, one GET of the candidate, one PUT Active=false.
    expect(countByMethod(h.requests())).toEqual({ GET: 2, PUT: 1 });
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(h.emulator.tenant(T).customer(made.CustomerNumber)?.Active).toBe(false);
    expect(await storage.outbox.get(T, customer.id)).toBeUndefined();
  });
});
