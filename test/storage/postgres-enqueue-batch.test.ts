import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { ENQUEUE_BATCH } from '../../src/storage/postgres/postgres-enqueue.js';
import { jobKey, scheduleLock, workTask } from '../../src/storage/postgres/postgres-jobs.js';
import type { OutboxEntry, SyncStorage } from '../../src/storage/sync-storage.js';
import { sampleCustomer } from '../../src/testing/storage-suite/suite-context.js';
import {
  adminPool,
  closeAdmin,
  dropSchemas,
  freshSchemas,
  POSTGRES_URL,
  postgresAvailable,
} from '../support/postgres.js';
import { WORKER_SCHEMA } from './support/postgres-schemas.js';
import { recordStatements } from './support/statement-spy.js';

/*
 * The outbox's own enqueue writes saves that arrive together in one statement (one transaction, one
 * add_jobs, one NOTIFY: Postgres serialises the commits of notifying transactions). Each save must
 * still come back as if alone, and nothing may be lost, doubled or failed for another save's sake.
 */
if (postgresAvailable()) {
  const url = POSTGRES_URL as string;
  const { fresh, created: schemas } = freshSchemas();
  /** The texts of the enqueue statements (a save alone, or a batch) sent since the test began. */
  let enqueues: string[] = [];
  beforeEach(() => {
    enqueues = [];
  });
  recordStatements((text) => {
    // The calls, not the migration that creates the function.
    if (text.startsWith('SELECT') && text.includes('.enqueue_change')) enqueues.push(text);
  });
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });

  const open = (schema: string): Promise<SyncStorage> =>
    createPostgresStorage({ connectionString: url, schema, workerSchema: WORKER_SCHEMA });
  const change = (id: string, name = `Kund ${id}`) => ({
    operation: 'upsert' as const,
    customer: { ...sampleCustomer(id), name },
  });
  /** The storage's jobs by job key (any state). */
  const jobsOf = async (schema: string): Promise<Map<string, number>> => {
    const { rows } = await adminPool().query<{ key: string | null; n: number }>(
      `SELECT key, count(*)::int AS n FROM "${WORKER_SCHEMA}".jobs WHERE task_identifier = $1
       GROUP BY key`,
      [workTask(schema)],
    );
    return new Map(rows.map((row) => [String(row.key), row.n]));
  };

  describe('createPostgresStorage: saves that arrive together', () => {
    it('are written in a few statements, each save answered with its own entry, one job per customer', async () => {
      const schema = fresh('batch_many');
      const storage = await open(schema);
      const ids = Array.from({ length: 60 }, (_, index) => `c${index}`);
      enqueues = [];
      const entries = await Promise.all(
        ids.map((id, index) => storage.outbox.enqueue(`t${index % 3}`, id, change(id), 10 + index)),
      );
      // The first saves go at once, alone (ENQUEUE_BATCH.inFlight of them); the rest wait for one
      // and go together.
      expect(enqueues).toHaveLength(ENQUEUE_BATCH.inFlight + 1);
      expect(enqueues.filter((text) => text.includes('.enqueue_changes_alone('))).toHaveLength(1);
      for (const [index, entry] of entries.entries()) {
        expect(entry).toMatchObject({
          tenantId: `t${index % 3}`,
          sourceId: ids[index],
          state: 'pending',
          enqueuedAt: 10 + index,
          operation: 'upsert',
          customer: { id: ids[index], name: `Kund ${ids[index]}` },
        });
      }
      expect(new Set(entries.map((entry) => entry.version)).size).toBe(ids.length);
      const jobs = await jobsOf(schema);
      expect(jobs.size).toBe(ids.length);
      expect([...jobs.values()].every((n) => n === 1)).toBe(true);
      for (const [index, id] of ids.entries()) {
        expect(await storage.outbox.get(`t${index % 3}`, id)).toEqual(entries[index]);
      }
      await storage.close();
    });

    it("one customer's saves in one batch keep their order: each sees its own version, the last one stays, one job", async () => {
      const schema = fresh('batch_same');
      const storage = await open(schema);
      // Two saves of others first, so that the customer's saves wait and go in one batch.
      const first = Promise.all([
        storage.outbox.enqueue('t1', 'a', change('a'), 1),
        storage.outbox.enqueue('t1', 'b', change('b'), 1),
      ]);
      const names = ['Ett', 'Två', 'Tre', 'Fyra', 'Fem'];
      const saves = names.map((name, index) =>
        storage.outbox.enqueue('t1', 'same', change('same', name), 2 + index),
      );
      const entries: OutboxEntry[] = await Promise.all(saves);
      await first;
      expect(enqueues).toHaveLength(3);
      for (const [index, entry] of entries.entries()) {
        expect(entry.customer).toMatchObject({ name: names[index] });
        if (index > 0) {
          expect(entry.version).toBeGreaterThan((entries[index - 1] as OutboxEntry).version);
        }
      }
      const stored = await storage.outbox.get('t1', 'same');
      expect(stored).toEqual(entries.at(-1));
      expect(stored?.enqueuedAt).toBe(2);
      const jobs = await jobsOf(schema);
      expect([...jobs.keys()].sort()).toEqual([
        expect.stringContaining('"a"'),
        expect.stringContaining('"b"'),
        expect.stringContaining('"same"'),
      ]);
      expect([...jobs.values()]).toEqual([1, 1, 1]);
      await storage.close();
    });

    it('a save Postgres refuses fails alone: the others of its batch are written', async () => {
      const schema = fresh('batch_refused');
      const storage = await open(schema);
      const ids = Array.from({ length: 12 }, (_, index) => `ok${index}`);
      // A NUL character is not storable as Postgres text: the whole statement is refused.
      const outcomes = await Promise.allSettled([
        ...ids.map((id) => storage.outbox.enqueue('t1', id, change(id), 1)),
        storage.outbox.enqueue('t1', 'bad\u0000id', change('bad'), 1),
        ...ids.map((id) => storage.outbox.enqueue('t2', id, change(id), 1)),
      ]);
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
        kind: 'storage',
        code: 'database',
      });
      expect(await storage.outbox.list('t1')).toHaveLength(ids.length);
      expect(await storage.outbox.list('t2')).toHaveLength(ids.length);
      expect((await jobsOf(schema)).size).toBe(2 * ids.length);
      await storage.close();
    });

    it('close writes every save given before it, and refuses those given after', async () => {
      const schema = fresh('batch_close');
      const storage = await open(schema);
      const saves = Array.from({ length: 40 }, (_, index) =>
        storage.outbox.enqueue('t1', `c${index}`, change(`c${index}`), 1),
      );
      const closing = storage.close();
      // A save once close has begun is refused, so that close cannot be kept waiting by new ones.
      await expect(storage.outbox.enqueue('t1', 'late', change('late'), 1)).rejects.toMatchObject({
        kind: 'storage',
        code: 'closed',
      });
      await closing;
      const entries = await Promise.all(saves);
      expect(entries).toHaveLength(40);
      const again = await open(schema);
      expect(await again.outbox.list('t1')).toHaveLength(40);
      expect((await jobsOf(schema)).size).toBe(40);
      await again.close();
    });

    it('two storages saving the same customers in opposite orders at once neither deadlock nor fail, and each customer has one job', async () => {
      const schema = fresh('batch_order');
      const [one, two] = await Promise.all([open(schema), open(schema)]);
      const ids = Array.from({ length: 80 }, (_, index) => `c${index}`);
      let deadlocks = 0;
      const countDeadlocks = (error: unknown) => {
        if ((error as { code?: string }).code === '40P01') deadlocks += 1;
      };
      const spy = pg.Client.prototype.query;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        // The pool passes a callback; a client alone answers a promise.
        const last = args.at(-1);
        if (typeof last === 'function') {
          args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
            if (error) countDeadlocks(error);
            return (last as (...a: unknown[]) => unknown)(error, ...rest);
          };
        }
        const result = (spy as (...a: unknown[]) => unknown).apply(this, args);
        if (result instanceof Promise) result.catch(countDeadlocks);
        return result;
      } as typeof spy;
      for (let round = 0; round < 5; round += 1) {
        await Promise.all([
          ...ids.map((id) => one?.outbox.enqueue('t1', id, change(id, `one ${round}`), round)),
          ...[...ids]
            .reverse()
            .map((id) => two?.outbox.enqueue('t1', id, change(id, `two ${round}`), round)),
        ]);
      }
      expect(deadlocks).toBe(0);
      expect(await one?.outbox.list('t1')).toHaveLength(ids.length);
      const jobs = await jobsOf(schema);
      expect(jobs.size).toBe(ids.length);
      expect([...jobs.values()].every((n) => n === 1)).toBe(true);
      await Promise.all([one?.close(), two?.close()]);
    });
  });

  describe('enqueue_changes_alone beside a host transaction', () => {
    // Connections of their own: the host's, the batch's, the heartbeat's (the admin pool has one).
    const connections = new pg.Pool({ connectionString: url, max: 3 });
    afterAll(() => connections.end());
    /** Calls the batch function for `sources` of tenant t1 on `client`, as the batcher does. */
    const batch = (client: pg.PoolClient, schema: string, sources: string[]) => {
      const keys = sources.map((sourceId) => jobKey(schema, { tenantId: 't1', sourceId }));
      return client.query(
        `SELECT * FROM "${schema}".enqueue_changes_alone($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          sources.map(() => 't1'),
          sources,
          sources.map(() => 'upsert'),
          sources.map((id) => JSON.stringify(sampleCustomer(id))),
          sources.map(() => 1),
          sources.map(() => false),
          sources.map(() => false),
          WORKER_SCHEMA,
          workTask(schema),
          keys,
          keys.map((key) => scheduleLock({ workerSchema: WORKER_SCHEMA }, key)),
          Date.now(),
        ],
      );
    };

    it('waiting for a customer the host holds, a batch holds no lease row: the heartbeat of another customer it carries is not held up', async () => {
      const schema = fresh('batch_lease');
      const storage = await open(schema);
      await storage.outbox.enqueue('t1', 'b', change('b'), 1);
      // Customer a is being handled (a live lease); the host holds customer b's row.
      await adminPool().query(
        `INSERT INTO "${schema}".work_leases (tenant_id, source_id, worker_id, token, lease_until)
         VALUES ('t1', 'a', 'w1', 'tok', now() + interval '1 minute')`,
      );
      const host = await connections.connect();
      const batcher = await connections.connect();
      const heartbeat = await connections.connect();
      try {
        await host.query('BEGIN');
        await host.query(
          `SELECT 1 FROM "${schema}".outbox WHERE tenant_id = 't1' AND source_id = 'b' FOR UPDATE`,
        );
        const written = batch(batcher, schema, ['a', 'b']).catch((error: unknown) => error);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await heartbeat.query("SET lock_timeout = '1s'");
        const renewed = await heartbeat.query(
          `UPDATE "${schema}".work_leases SET lease_until = now() + interval '1 minute'
           WHERE tenant_id = 't1' AND source_id = 'a'`,
        );
        expect(renewed.rowCount).toBe(1);
        await host.query('COMMIT');
        const outcome = await written;
        // Either written (the host let go in time) or given up on its lock_timeout, never half-written.
        if (outcome instanceof Error) expect(outcome).toMatchObject({ code: '55P03' });
      } finally {
        host.release();
        batcher.release();
        heartbeat.release();
      }
      await storage.close();
    });

    it('in a cycle with a host transaction, the batch gives up (lock_timeout), not the host', async () => {
      const schema = fresh('batch_cycle');
      const storage = await open(schema);
      await storage.outbox.enqueue('t1', 'a', change('a'), 1);
      await storage.outbox.enqueue('t1', 'b', change('b'), 1);
      const host = await connections.connect();
      const batcher = await connections.connect();
      try {
        await host.query('BEGIN');
        // The host saves b, then a; the batch holds a and waits for b.
        await host.query(
          `UPDATE "${schema}".outbox SET updated_at = 2 WHERE tenant_id = 't1' AND source_id = 'b'`,
        );
        const written = batch(batcher, schema, ['a', 'b']).catch((error: unknown) => error);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await host.query(
          `UPDATE "${schema}".outbox SET updated_at = 2 WHERE tenant_id = 't1' AND source_id = 'a'`,
        );
        await host.query('COMMIT');
        expect(await written).toMatchObject({ code: '55P03' });
      } finally {
        host.release();
        batcher.release();
      }
      await storage.close();
    });
  });
} else {
  describe.skip('fortnox-sync/postgres batched enqueue (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
