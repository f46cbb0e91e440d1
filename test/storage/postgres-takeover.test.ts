import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { killChildren, spawnScript } from '../support/child-processes.js';
import {
  adminPool,
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../support/postgres.js';
import { jobKeys, WORKER_SCHEMA } from './support/postgres-schemas.js';

const QUEUE_WORKER = fileURLToPath(new URL('./support/postgres-queue-worker.ts', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => killChildren(children));

if (postgresAvailable()) {
  const schema = schemaFor(`takeover_${process.pid}_${Date.now().toString(36)}`);
  afterAll(async () => {
    await dropSchemas([schema]);
    await closeAdmin();
  });

  /** A storage on the run's schema whose leases run out after SHORT_LEASE_MS. */
  const SHORT_LEASE_MS = 600;
  const openShortLeases = () =>
    createPostgresStorage({
      connectionString: POSTGRES_URL as string,
      schema,
      workerSchema: WORKER_SCHEMA,
      leaseMs: SHORT_LEASE_MS,
      pollIntervalMs: 50,
    });
  /** How many rows the run's schema holds in `tableAndWhere` (e.g. `work_workers`). */
  const rowsOf = async (tableAndWhere: string): Promise<number> => {
    const { rows } = await adminPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${schema}".${tableAndWhere}`,
    );
    return rows[0]?.n ?? -1;
  };

  describe('fortnox-sync/postgres: a killed worker', () => {
    it('kill -9 while it handles an item: another process takes the item over after the lease, once', async () => {
      const leaseMs = 1_500;
      const url = POSTGRES_URL as string;
      const storage = await createPostgresStorage({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
        leaseMs,
        pollIntervalMs: 50,
      });
      const { child, lines } = await spawnScript(
        QUEUE_WORKER,
        {
          POSTGRES_QUEUE_WORKER: JSON.stringify({
            url,
            schema,
            workerSchema: WORKER_SCHEMA,
            leaseMs,
          }),
        },
        children,
      );
      await storage.queue.schedule({ tenantId: 't1', sourceId: 'c1' });
      const deadline = Date.now() + 10_000;
      while (!lines.includes('holding c1')) {
        if (Date.now() > deadline) throw new Error('the worker never took the item');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const handled: number[] = [];
      const worker = storage.queue.start(
        async () => {
          handled.push(Date.now());
        },
        { concurrency: 2 },
      );
      // While the other process lives (holds the lease), nobody else runs the item.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(handled).toEqual([]);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      // graphile-worker alone would leave the job locked for 4 hours; the heartbeat sweep frees it.
      while (handled.length === 0 && Date.now() < killedAt + 15_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(handled).toHaveLength(1);
      expect((handled[0] as number) - killedAt).toBeLessThan(leaseMs * 4);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(handled).toHaveLength(1);
      await worker.stop();
      await storage.close();
    }, 40_000);

    it('kill -9 after the item was scheduled again while it ran: the item is still run after the lease, once', async () => {
      const leaseMs = 1_500;
      const url = POSTGRES_URL as string;
      const storage = await createPostgresStorage({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
        leaseMs,
        pollIntervalMs: 50,
      });
      const { child, lines } = await spawnScript(
        QUEUE_WORKER,
        {
          POSTGRES_QUEUE_WORKER: JSON.stringify({
            url,
            schema,
            workerSchema: WORKER_SCHEMA,
            leaseMs,
          }),
        },
        children,
      );
      const item = { tenantId: 't1', sourceId: 'c2' };
      await storage.queue.schedule(item);
      const deadline = Date.now() + 10_000;
      while (!lines.includes('holding c2')) {
        if (Date.now() > deadline) throw new Error('the worker never took the item');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const handled: number[] = [];
      const worker = storage.queue.start(
        async () => {
          handled.push(Date.now());
        },
        { concurrency: 2 },
      );
      // A new change while the other process runs it: graphile-worker sets the running job aside (it
      // never runs again) and adds one, which this process picks up, finds the lease taken, and leaves
      // the rerun to the holder.
      await storage.queue.schedule(item);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(handled).toEqual([]);
      const killedAt = Date.now();
      child.kill('SIGKILL');
      while (handled.length === 0 && Date.now() < killedAt + 15_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(handled).toHaveLength(1);
      expect((handled[0] as number) - killedAt).toBeLessThan(leaseMs * 4);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(handled).toHaveLength(1);
      // The set-aside job is dropped too, not left behind as a failed one.
      expect(await jobKeys(schema)).toEqual([]);
      await worker.stop();
      await storage.close();
    }, 40_000);

    it('a lease whose release failed (the database away for a moment) is not kept alive: the item runs again', async () => {
      const storage = await openShortLeases();
      // The first release of this item fails, as a statement does when the connection drops.
      const original = pg.Client.prototype.query;
      let failures = 0;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const [first] = args;
        const text =
          typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
        if (failures === 0 && text.includes('DELETE FROM') && text.includes('work_leases')) {
          failures += 1;
          const error = new Error('connection lost (test)');
          // pg's pool passes a callback; a direct caller gets a promise.
          const callback = args.find((arg) => typeof arg === 'function') as
            | ((failed: Error) => void)
            | undefined;
          if (callback === undefined) return Promise.reject(error);
          process.nextTick(() => callback(error));
          return undefined;
        }
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      const runs: number[] = [];
      const worker = storage.queue.start(
        async ({ sourceId }) => {
          if (sourceId === 'orphan') runs.push(Date.now());
        },
        { concurrency: 2 },
      );
      try {
        await storage.queue.schedule({ tenantId: 't1', sourceId: 'orphan' });
        const deadline = Date.now() + 15_000;
        while (runs.length < 2 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(failures).toBe(1);
        // Run again once the left lease ran out (graphile-worker's own retry of the failed job may
        // come first and find it free, or the sweep schedules it): not stuck behind a renewed lease.
        expect(runs.length).toBeGreaterThanOrEqual(2);
        expect(await rowsOf(`work_leases WHERE source_id = 'orphan'`)).toBe(0);
      } finally {
        pg.Client.prototype.query = original;
        await worker.stop();
        await storage.close();
      }
    }, 30_000);

    it('a process whose registration was swept (taken over while it stalled) registers again at its next heartbeat', async () => {
      const storage = await openShortLeases();
      const workers = () => rowsOf('work_workers');
      let ran = false;
      const worker = storage.queue.start(
        async () => {
          ran = true;
        },
        { concurrency: 2 },
      );
      try {
        await storage.queue.schedule({ tenantId: 't1', sourceId: 'registered' });
        const deadline = Date.now() + 10_000;
        while ((!ran || (await workers()) === 0) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(await workers()).toBeGreaterThan(0);
        await adminPool().query(`DELETE FROM "${schema}".work_workers`);
        await new Promise((resolve) => setTimeout(resolve, SHORT_LEASE_MS));
        expect(await workers()).toBeGreaterThan(0);
      } finally {
        await worker.stop();
        await storage.close();
      }
    }, 30_000);

    it('a lease row another transaction holds does not hold up the renewal of the others', async () => {
      const storage = await openShortLeases();
      const started = new Set<string>();
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const worker = storage.queue.start(
        async ({ sourceId }) => {
          started.add(sourceId);
          await finished;
        },
        { concurrency: 4 },
      );
      const holder = await adminPool().connect();
      try {
        await storage.queue.schedule({ tenantId: 't1', sourceId: 'locked' });
        await storage.queue.schedule({ tenantId: 't1', sourceId: 'renewed' });
        const deadline = Date.now() + 10_000;
        while (started.size < 2 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(started.size).toBe(2);
        // As a release waiting for a host's schedule lock holds its (deleted) lease row.
        await holder.query('BEGIN');
        await holder.query(
          `SELECT 1 FROM "${schema}".work_leases WHERE source_id = 'locked' FOR UPDATE`,
        );
        await new Promise((resolve) => setTimeout(resolve, 2 * SHORT_LEASE_MS));
        expect(
          await rowsOf("work_leases WHERE source_id = 'renewed' AND lease_until > now()"),
        ).toBe(1);
      } finally {
        await holder.query('COMMIT').catch(() => undefined);
        holder.release();
        finish();
        await worker.stop();
        await storage.close();
      }
    }, 30_000);

    it('a breaking migration announced in the same database (graphile-worker’s database-wide NOTIFY) does not end the queue', async () => {
      const storage = await createPostgresStorage({
        connectionString: POSTGRES_URL as string,
        schema,
        workerSchema: WORKER_SCHEMA,
        leaseMs: 1_500,
        pollIntervalMs: 50,
      });
      const handled: string[] = [];
      const worker = storage.queue.start(
        async (item) => {
          handled.push(item.sourceId);
        },
        { concurrency: 1 },
      );
      const handledSoon = async (sourceId: string): Promise<void> => {
        const deadline = Date.now() + 10_000;
        while (!handled.includes(sourceId)) {
          if (Date.now() > deadline) throw new Error(`${sourceId} was never handled`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      await storage.queue.schedule({ tenantId: 't1', sourceId: 'before' });
      await handledSoon('before');
      const exitCode = process.exitCode;
      // What graphile-worker sends when it migrates any schema of the database to a breaking revision
      // (another app's, or a storage's first start): every runner of the database that hears it
      // shuts down. Sent as is, rather than by migrating a fresh schema, which takes seconds.
      await adminPool().query(`SELECT pg_notify('worker:migrate', $1)`, [
        JSON.stringify({ migrationNumber: 11, breaking: true }),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await storage.queue.schedule({ tenantId: 't1', sourceId: 'after' });
      await handledSoon('after');
      expect(process.exitCode).toBe(exitCode);
      await worker.stop();
      await storage.close();
    }, 30_000);
  });
} else {
  describe.skip('fortnox-sync/postgres: a killed worker (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
