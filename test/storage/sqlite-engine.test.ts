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
    // A long backoff: the delete comes before the create is retried.
    h = await startHarness({
      tenants: [T],
      storage,
      engine: { backoff: { initialMs: 60_000, maxMs: 60_000 }, saveTimeoutMs: 300 },
    });
    h.emulator.faults.inject({ kind: 'lost-response', methods: ['POST'], count: 1 });
    const customer = sampleCustomers(1, 3)[0]!;
    expect((await h.engine.customerSaved(T, customer))._unsafeUnwrap()).toMatchObject({
      status: 'pending',
      reason: 'retrying',
    });
    const [made] = h.emulator.tenant(T).customers();
    h.resetRequests();
    const outcome = (await h.engine.customerDeleted(T, customer.id))._unsafeUnwrap();
    expect(outcome).toEqual({ status: 'deleted', customerNumber: String(made?.CustomerNumber) });
    // One search by organisation number, one GET of the candidate, one PUT Active=false.
    expect(countByMethod(h.requests())).toEqual({ GET: 2, PUT: 1 });
    expect(h.emulator.tenant(T).customers()).toHaveLength(1);
    expect(h.emulator.tenant(T).customer(String(made?.CustomerNumber))?.Active).toBe(false);
    expect(await storage.outbox.get(T, customer.id)).toBeUndefined();
  });
});
