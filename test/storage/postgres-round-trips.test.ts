import type pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPostgresRateLimiter,
  createPostgresStorage,
} from '../../src/storage/postgres/index.js';
import { workTask } from '../../src/storage/postgres/postgres-jobs.js';
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

describe('fortnox-sync/postgres preparedStatements option', () => {
  it('is true or false: anything else is StorageError invalid-argument, before any connection', async () => {
    const connectionString = 'postgres://postgres@127.0.0.1:1/none';
    for (const preparedStatements of ['yes', 1, 0]) {
      await expect(
        createPostgresStorage({ connectionString, preparedStatements } as never),
      ).rejects.toMatchObject({ kind: 'storage', code: 'invalid-argument' });
      await expect(
        createPostgresRateLimiter({ connectionString, preparedStatements } as never),
      ).rejects.toMatchObject({ kind: 'storage', code: 'invalid-argument' });
    }
  });
});

/** Every statement a `pg` client sends (the adapter's and graphile-worker's go through it). */
type Sent = { text: string; name: string | undefined };

if (postgresAvailable()) {
  const url = POSTGRES_URL as string;
  const { fresh, created: schemas } = freshSchemas();
  let sent: Sent[] = [];
  beforeEach(() => {
    sent = [];
  });
  recordStatements((text, name) => sent.push({ text, name }));
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });
  const change = (id: string) => ({ operation: 'upsert' as const, customer: sampleCustomer(id) });
  const link = (sourceId: string) => ({
    tenantId: 't1',
    sourceId,
    customerNumber: `n-${sourceId}`,
    fingerprint: 'fp',
    origin: 'created' as const,
    syncedAt: 5,
  });

  describe('createPostgresStorage: round trips of a save', () => {
    it('an enqueue (the outbox row and its job) is one statement; schedule of its waiting job one read; update and complete one statement each', async () => {
      const storage = await createPostgresStorage({
        connectionString: url,
        schema: fresh('trips'),
        workerSchema: WORKER_SCHEMA,
      });
      sent = [];
      const entry = await storage.outbox.enqueue('t1', 'c1', change('c1'), 1);
      expect(sent.map((statement) => statement.text)).toEqual([
        expect.stringContaining('enqueue_change_alone('),
      ]);
      sent = [];
      await storage.queue.schedule({ tenantId: 't1', sourceId: 'c1' });
      expect(sent).toHaveLength(1);
      sent = [];
      expect(
        await storage.outbox.update('t1', 'c1', entry.version, { createAttempted: true }, 2),
      ).toBe(true);
      expect(sent).toHaveLength(1);
      sent = [];
      expect(await storage.outbox.complete('t1', 'c1', entry.version, link('c1'), 2)).toBe('done');
      expect(sent.map((statement) => statement.text)).toEqual([
        expect.stringContaining('complete_entry('),
      ]);
      expect(await storage.outbox.get('t1', 'c1')).toBeUndefined();
      expect(await storage.links.get('t1', 'c1')).toMatchObject({ customerNumber: 'n-c1' });
      await storage.close();
    });

    it('complete answers superseded for an older version (newer entry pending, link written), and link-conflict writes nothing', async () => {
      const storage = await createPostgresStorage({
        connectionString: url,
        schema: fresh('trips_superseded'),
        workerSchema: WORKER_SCHEMA,
      });
      const old = await storage.outbox.enqueue('t1', 'c1', change('c1'), 1);
      await storage.outbox.enqueue('t1', 'c1', change('c1'), 2);
      expect(await storage.outbox.complete('t1', 'c1', old.version, link('c1'), 3)).toBe(
        'superseded',
      );
      expect(await storage.outbox.get('t1', 'c1')).toMatchObject({ state: 'pending' });
      const other = await storage.outbox.enqueue('t1', 'c2', change('c2'), 4);
      await expect(
        storage.outbox.complete(
          't1',
          'c2',
          other.version,
          { ...link('c2'), customerNumber: 'n-c1' },
          5,
        ),
      ).rejects.toMatchObject({ name: 'StorageError', code: 'link-conflict' });
      expect(await storage.outbox.get('t1', 'c2')).toMatchObject({ version: other.version });
      expect(await storage.links.get('t1', 'c2')).toBeUndefined();
      await storage.close();
    });
  });

  describe('createPostgresStorage: a deferral', () => {
    it('gives the lease back and schedules the item in one statement, and the item runs again at its time', async () => {
      const storage = await createPostgresStorage({
        connectionString: url,
        schema: fresh('trips_defer'),
        workerSchema: WORKER_SCHEMA,
        pollIntervalMs: 50,
      });
      const runs: number[] = [];
      let deferUntil = 0;
      const done = new Promise<void>((resolve) => {
        const worker = storage.queue.start(
          async () => {
            runs.push(Date.now());
            if (runs.length === 1) {
              deferUntil = Date.now() + 300;
              return { deferUntil };
            }
            void worker.stop().then(resolve);
            return undefined;
          },
          { concurrency: 2 },
        );
      });
      await storage.outbox.enqueue('t1', 'c1', change('c1'), 1);
      await done;
      expect(runs).toHaveLength(2);
      expect(runs[1]).toBeGreaterThanOrEqual(deferUntil);
      // The calls, not the migration that created the function.
      const releases = sent.filter(
        (statement) =>
          statement.text.startsWith('SELECT') && statement.text.includes('.release_lease('),
      );
      expect(releases).toHaveLength(1);
      await storage.close();
    });

    it('deferrals that come together give their leases back in a few statements, and each item runs again at its time, once', async () => {
      const storage = await createPostgresStorage({
        connectionString: url,
        schema: fresh('trips_defer_many'),
        workerSchema: WORKER_SCHEMA,
        pollIntervalMs: 50,
      });
      const ids = Array.from({ length: 24 }, (_, index) => `c${index}`);
      const runs = new Map<string, number[]>();
      const deferUntil = new Map<string, number>();
      let arrived = 0;
      let release: () => void = () => undefined;
      const together = new Promise<void>((resolve) => {
        release = resolve;
      });
      const worker = storage.queue.start(
        async ({ sourceId }) => {
          const times = runs.get(sourceId) ?? [];
          times.push(Date.now());
          runs.set(sourceId, times);
          if (times.length > 1) return undefined;
          // Every first run ends at the same moment: their releases come together.
          arrived += 1;
          if (arrived === ids.length) release();
          await together;
          const at = Date.now() + 300;
          deferUntil.set(sourceId, at);
          return { deferUntil: at };
        },
        { concurrency: ids.length + 2 },
      );
      for (const id of ids) await storage.queue.schedule({ tenantId: 't1', sourceId: id });
      const deadline = Date.now() + 15_000;
      while (ids.some((id) => (runs.get(id)?.length ?? 0) < 2) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      await worker.stop();
      for (const id of ids) {
        expect(runs.get(id)).toHaveLength(2);
        expect(runs.get(id)?.[1]).toBeGreaterThanOrEqual(deferUntil.get(id) as number);
      }
      const calls = (name: string) =>
        sent.filter(
          (statement) => statement.text.startsWith('SELECT') && statement.text.includes(name),
        ).length;
      // The first releases go alone; the rest wait for one and go together.
      expect(calls('.release_leases(')).toBeGreaterThanOrEqual(1);
      expect(calls('.release_lease(') + calls('.release_leases(')).toBeLessThan(ids.length / 2);
      await storage.close();
    });
  });

  describe('createPostgresStorage: a save while its item is handled', () => {
    /**
     * Runs item t1/c1 with one handler: its first run saves it again (inside `during`, given the save, a
     * count of the storage's jobs, the running one included, and the schema) and ends; the second completes it. Answers the versions each run saw,
     * the save's statements, and what `during` measured.
     */
    async function saveWhileHandled(
      name: string,
      during: (
        save: () => Promise<void>,
        jobs: (on?: Pick<pg.Pool, 'query'>) => Promise<number>,
        schema: string,
      ) => Promise<number>,
    ) {
      const schema = fresh(name);
      const storage = await createPostgresStorage({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
        pollIntervalMs: 50,
      });
      // Every job of this storage, running, fetched ahead (graphile-worker's local queue locks a job it
      // has fetched before a handler is free) or waiting: counting only unlocked ones raced the fetch.
      const jobs = async (on: Pick<pg.Pool, 'query'> = adminPool()): Promise<number> => {
        const { rows } = await on.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${WORKER_SCHEMA}".jobs WHERE task_identifier = $1`,
          [workTask(schema)],
        );
        return rows[0]?.n ?? -1;
      };
      const versions: number[] = [];
      let measured = -1;
      let saved: Sent[] = [];
      const done = new Promise<void>((resolve) => {
        const worker = storage.queue.start(
          async ({ tenantId, sourceId }) => {
            const entry = await storage.outbox.get(tenantId, sourceId);
            if (entry === undefined) return;
            versions.push(entry.version);
            if (versions.length === 1) {
              measured = await during(
                async () => {
                  sent = [];
                  await storage.outbox.enqueue('t1', 'c1', change('c1'), 2);
                  saved = sent;
                },
                jobs,
                schema,
              );
              return;
            }
            await storage.outbox.complete(tenantId, sourceId, entry.version, link(sourceId), 9);
            setTimeout(() => void worker.stop().then(resolve), 300);
          },
          // One handler: a job the save adds can be fetched ahead, but stays until the first run ends.
          { concurrency: 1 },
        );
      });
      await storage.outbox.enqueue('t1', 'c1', change('c1'), 1);
      await done;
      const after = await jobs();
      await storage.close();
      // (graphile-worker's own statements go on meanwhile: only the save's are looked at)
      const saveStatements = saved
        .map((statement) => statement.text)
        .filter((text) => text.includes('enqueue_change') || text.includes('add_job'));
      return { versions, measured, saveStatements, after };
    }

    it('marks the lease to run again instead of adding a job, and the item runs again after, once', async () => {
      const { versions, measured, saveStatements, after } = await saveWhileHandled(
        'trips_rerun',
        async (save, jobs) => {
          await save();
          return jobs();
        },
      );
      expect(saveStatements).toEqual([expect.stringContaining('enqueue_change_alone(')]);
      // The running job is the only one: none was added for the save (graphile-worker would have
      // detached the running job from the key and added a second).
      expect(measured).toBe(1);
      // It ran again, with the newer change, and not a third time.
      expect(versions).toHaveLength(2);
      expect(versions[1]).toBeGreaterThan(versions[0] as number);
      expect(after).toBe(0);
    });

    it('does not wait for a lease row someone else locks: it adds the job instead, and the item still runs again', async () => {
      const { versions, measured } = await saveWhileHandled(
        'trips_rerun_locked',
        async (save, jobs, schema) => {
          // Someone else (a heartbeat, say) holds the lease row while the save comes.
          const holder = await adminPool().connect();
          try {
            await holder.query('BEGIN');
            await holder.query(
              `SELECT 1 FROM "${schema}".work_leases WHERE source_id = 'c1' FOR UPDATE`,
            );
            await save();
            return await jobs(holder);
          } finally {
            await holder.query('COMMIT');
            holder.release();
          }
        },
      );
      // The save added its own job beside the running one (graphile-worker detached that from the key).
      expect(measured).toBe(2);
      expect(versions).toHaveLength(2);
      expect(versions[1]).toBeGreaterThan(versions[0] as number);
    });
  });

  describe('createPostgresRateLimiter: round trips of a slot', () => {
    const releasedSlots = async (schema: string): Promise<number> => {
      const { rows } = await adminPool().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}".rate_slots WHERE released_at IS NOT NULL`,
      );
      return rows[0]?.n ?? -1;
    };

    it('slots released together are released in one statement, and each release resolves once written', async () => {
      const schema = fresh('rate_batch');
      const limiter = await createPostgresRateLimiter({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
      });
      const releases = await Promise.all([1, 2, 3].map(() => limiter.acquire('t1')));
      sent = [];
      await Promise.all(releases.map((release) => release()));
      const updates = sent.filter((statement) => statement.text.includes('released_at ='));
      expect(updates).toHaveLength(1);
      expect(await releasedSlots(schema)).toBe(3);
      // A second call of a release writes nothing more.
      sent = [];
      await releases[0]?.();
      expect(sent).toEqual([]);
      await limiter.close();
    });

    it('close writes the releases given before it', async () => {
      const schema = fresh('rate_close');
      const limiter = await createPostgresRateLimiter({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
      });
      const release = await limiter.acquire('t1');
      void release();
      await limiter.close();
      expect(await releasedSlots(schema)).toBe(1);
    });
  });

  describe('createPostgresStorage: prepared statements', () => {
    it('on by default: the adapter names its statements (prepared once per connection)', async () => {
      const storage = await createPostgresStorage({
        connectionString: url,
        schema: fresh('prepared'),
        workerSchema: WORKER_SCHEMA,
      });
      sent = [];
      await storage.outbox.enqueue('t1', 'c1', change('c1'), 1);
      await storage.links.get('t1', 'c1');
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((statement) => statement.name?.startsWith('fortnox_sync_'))).toBe(true);
      await storage.close();
    });

    it('off: no statement is named, graphile-worker’s included, and a save is still delivered', async () => {
      const storage = await createPostgresStorage({
        connectionString: url,
        schema: fresh('unprepared'),
        workerSchema: WORKER_SCHEMA,
        preparedStatements: false,
        pollIntervalMs: 50,
      });
      const limiter = await createPostgresRateLimiter({
        connectionString: url,
        schema: fresh('unprepared_rate'),
        workerSchema: WORKER_SCHEMA,
        preparedStatements: false,
      });
      sent = [];
      const delivered = new Promise<void>((resolve) => {
        const worker = storage.queue.start(
          async ({ tenantId, sourceId }) => {
            const entry = await storage.outbox.get(tenantId, sourceId);
            if (entry === undefined) return;
            await (await limiter.acquire(tenantId))();
            await storage.outbox.complete(tenantId, sourceId, entry.version, link(sourceId), 9);
            void worker.stop().then(resolve);
          },
          { concurrency: 2 },
        );
      });
      await storage.outbox.enqueue('t1', 'c1', change('c1'), 1);
      await delivered;
      expect(await storage.links.get('t1', 'c1')).toMatchObject({ customerNumber: 'n-c1' });
      // graphile-worker fetched the job (its get_job query locks jobs by the pool's id).
      expect(sent.some((statement) => statement.text.includes('locked_by'))).toBe(true);
      expect(sent.filter((statement) => statement.name !== undefined)).toEqual([]);
      await Promise.all([storage.close(), limiter.close()]);
    });
  });
} else {
  describe.skip('fortnox-sync/postgres round trips (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
