import { afterAll, describe, expect, it } from 'vitest';
import {
  createPostgresRateLimiter,
  createPostgresStorage,
  createPostgresTokenStore,
} from '../../src/storage/postgres/index.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/postgres-migrations.js';
import { sampleCustomer } from '../../src/testing/storage-suite/suite-context.js';
import {
  adminPool,
  closeAdmin,
  dropSchemas,
  freshSchemas,
  POSTGRES_URL,
  postgresAvailable,
} from '../support/postgres.js';
import { jobKeys, RUN_SCHEMA, WORKER_SCHEMA } from './support/postgres-schemas.js';

describe('fortnox-sync/postgres on an older Node.js', () => {
  /** Runs `work` with `process.versions.node` reporting `version`. */
  async function onNode<T>(version: string, work: () => Promise<T>): Promise<T> {
    const real = Object.getOwnPropertyDescriptor(process, 'versions') as PropertyDescriptor;
    Object.defineProperty(process, 'versions', {
      ...real,
      value: { ...process.versions, node: version },
    });
    try {
      return await work();
    } finally {
      Object.defineProperty(process, 'versions', real);
    }
  }
  const unsupported = {
    name: 'StorageError',
    kind: 'storage',
    code: 'unsupported-runtime',
    message: expect.stringContaining('22.18'),
  };

  it('refuses Node.js before 22.18 with StorageError unsupported-runtime, before any connection', async () => {
    // An unreachable address: the refusal comes before any attempt to connect.
    const connectionString = 'postgres://postgres@127.0.0.1:1/none';
    const keys = [{ id: 'k', key: Buffer.alloc(32) }];
    for (const version of ['22.12.0', '22.17.1', '20.19.0']) {
      await onNode(version, async () => {
        await expect(createPostgresStorage({ connectionString })).rejects.toMatchObject(
          unsupported,
        );
        await expect(
          createPostgresTokenStore({ connectionString, encryptionKeys: keys }),
        ).rejects.toMatchObject(unsupported);
        await expect(createPostgresRateLimiter({ connectionString })).rejects.toMatchObject(
          unsupported,
        );
      });
    }
    // Supported versions get past the check (and fail at the unreachable database instead).
    for (const version of ['22.18.0', '23.0.0', '24.21.0']) {
      await onNode(version, async () => {
        await expect(createPostgresStorage({ connectionString })).rejects.toMatchObject({
          code: 'database',
        });
      });
    }
  });
});

describe('fortnox-sync/postgres connection options', () => {
  it('needs exactly one of a pg.Pool and a non-empty connection string, and never repeats the string', async () => {
    const secret = 'postgres://user:hunter2@db.example.com/app';
    const pool = { query: async () => ({ rows: [] }), connect: async () => ({}) };
    const keys = [{ id: 'k', key: Buffer.alloc(32) }];
    for (const connection of [
      undefined,
      {},
      { connectionString: '' },
      { connectionString: undefined },
      { connectionString: 42 },
      { pool: {} },
      { pool: null },
      { pool, connectionString: secret },
    ]) {
      const what = JSON.stringify(connection);
      const factories = [
        () => createPostgresStorage(connection as never),
        () =>
          createPostgresTokenStore({ ...(connection as object), encryptionKeys: keys } as never),
        () => createPostgresRateLimiter(connection as never),
      ];
      for (const factory of factories) {
        const error = await factory().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, what).toMatchObject({ kind: 'storage', code: 'invalid-argument' });
        expect((error as Error).message, what).toContain('connectionString');
        expect((error as Error).message, what).not.toContain('hunter2');
      }
    }
  });

  it('refuses a lease or poll interval that is not a positive number of milliseconds', async () => {
    const connectionString = 'postgres://postgres@127.0.0.1:1/none';
    for (const timing of [{ leaseMs: 0 }, { leaseMs: Number.NaN }, { pollIntervalMs: -1 }]) {
      await expect(
        createPostgresStorage({ connectionString, ...timing }),
        JSON.stringify(timing),
      ).rejects.toMatchObject({ kind: 'storage', code: 'invalid-argument' });
    }
  });
});

if (postgresAvailable()) {
  const url = POSTGRES_URL as string;
  const { fresh, created: schemas } = freshSchemas();
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });

  describe('createPostgresStorage: setup', () => {
    it('processes starting at once migrate once: versioned tables, and graphile-worker’s schema at <schema>_worker', async () => {
      // The run's schema: its default worker schema is the run's, migrated before the tests started
      // (a fresh one would announce its migration to every runner of the database).
      const schema = RUN_SCHEMA;
      const storages = await Promise.all(
        [1, 2, 3].map(() => createPostgresStorage({ connectionString: url, schema })),
      );
      const { rows } = await adminPool().query<{ version: number }>(
        `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
      );
      expect(rows.map((row) => row.version)).toEqual(
        POSTGRES_MIGRATIONS.map((_, index) => index + 1),
      );
      const worker = await adminPool().query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`,
        [`${schema}_worker`],
      );
      expect(worker.rows[0].n).toBeGreaterThan(0);
      await Promise.all(storages.map((storage) => storage.close()));
    });

    it('refuses a schema migrated by a newer release with StorageError unsupported-schema', async () => {
      const schema = fresh('newer');
      await (
        await createPostgresStorage({ connectionString: url, schema, workerSchema: WORKER_SCHEMA })
      ).close();
      await adminPool().query(`INSERT INTO "${schema}".schema_migrations (version) VALUES (99)`);
      await expect(
        createPostgresStorage({ connectionString: url, schema, workerSchema: WORKER_SCHEMA }),
      ).rejects.toMatchObject({
        name: 'StorageError',
        code: 'unsupported-schema',
      });
    });

    it('an unreachable database is a StorageError database; a bad schema name is invalid-argument', async () => {
      await expect(
        createPostgresStorage({
          connectionString: 'postgres://postgres@127.0.0.1:1/none',
          schema: fresh('away'),
        }),
      ).rejects.toMatchObject({ name: 'StorageError', code: 'database' });
      await expect(
        createPostgresStorage({ connectionString: url, schema: 'Robert"; DROP' }),
      ).rejects.toMatchObject({ name: 'StorageError', code: 'invalid-argument' });
    });

    it('a closed storage refuses calls with StorageError closed; the host’s pool stays open', async () => {
      const pg = await import('pg');
      const pool = new pg.default.Pool({ connectionString: url, max: 3 });
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
      const storage = await createPostgresStorage({
        pool,
        schema: fresh('closed'),
        workerSchema: WORKER_SCHEMA,
      });
      await storage.close();
      await expect(storage.links.get('t', 's')).rejects.toMatchObject({ code: 'closed' });
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await pool.end();
    });

    it('close while calls wait for a connection: each is answered or refused as closed, none is left waiting', async () => {
      const schema = fresh('closing');
      const storage = await createPostgresStorage({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
      });
      const tokens = await createPostgresTokenStore({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
        encryptionKeys: [{ id: 'k1', key: Buffer.alloc(32, 7) }],
      });
      await storage.links.get('t1', 'warm');
      // More than the pool's 10 connections: most wait for one when close comes.
      const calls: Promise<unknown>[] = [
        ...Array.from({ length: 30 }, (_, index) => storage.links.get('t1', `c${index}`)),
        ...Array.from({ length: 10 }, (_, index) =>
          storage.outbox.enqueue(
            't1',
            `s${index}`,
            { operation: 'upsert', customer: sampleCustomer(`s${index}`) },
            1,
          ),
        ),
        ...Array.from({ length: 12 }, (_, index) =>
          tokens.lock(`t${index}`, () => tokens.load(`t${index}`)),
        ),
      ];
      const settled = Promise.allSettled(calls);
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all([storage.close(), tokens.close()]);
      const outcomes = await Promise.race([
        settled,
        new Promise<'left waiting'>((resolve) => setTimeout(() => resolve('left waiting'), 5_000)),
      ]);
      expect(outcomes).not.toBe('left waiting');
      for (const outcome of outcomes as PromiseSettledResult<unknown>[]) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toMatchObject({ kind: 'storage', code: 'closed' });
        }
      }
      // Every save given before close was written.
      const again = await createPostgresStorage({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
      });
      expect(await again.outbox.list('t1')).toHaveLength(10);
      await again.close();
    });
  });

  describe('createPostgresStorage: storages sharing one graphile-worker schema', () => {
    it('two storages with their own schemas and one workerSchema never run each other’s items', async () => {
      const schemas = { a: fresh('share_a'), b: fresh('share_b') };
      const open = (schema: string) =>
        createPostgresStorage({
          connectionString: url,
          schema,
          workerSchema: WORKER_SCHEMA,
          pollIntervalMs: 50,
        });
      const storages = { a: await open(schemas.a), b: await open(schemas.b) };
      // The same tenant and source ids in both (their job keys must not collide), and some of each own.
      const items = {
        a: [...['c1', 'c2', 'c3', 'c4', 'c5'], ...['a1', 'a2', 'a3']],
        b: [...['c1', 'c2', 'c3', 'c4', 'c5'], ...['b1', 'b2', 'b3']],
      };
      for (const side of ['a', 'b'] as const) {
        for (const sourceId of items[side]) {
          await storages[side].outbox.enqueue(
            't1',
            sourceId,
            { operation: 'upsert', customer: sampleCustomer(sourceId) },
            Date.now(),
          );
        }
        expect(await jobKeys(schemas[side])).toHaveLength(items[side].length);
      }
      const handled = { a: [] as string[], b: [] as string[] };
      const start = (side: 'a' | 'b') =>
        storages[side].queue.start(
          async ({ tenantId, sourceId }) => {
            const entry = await storages[side].outbox.get(tenantId, sourceId);
            handled[side].push(entry === undefined ? `not mine: ${sourceId}` : sourceId);
            if (entry !== undefined) {
              await storages[side].outbox.complete(tenantId, sourceId, entry.version, null, 2);
            }
          },
          { concurrency: 4 },
        );
      const allHandled = async (side: 'a' | 'b') => {
        const deadline = Date.now() + 15_000;
        while (handled[side].length < items[side].length) {
          if (Date.now() > deadline) throw new Error(`${side}: handled only ${handled[side]}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };

      // Only a's runners run: all of a's items, none of b's (b's jobs stay where they are).
      const workerA = start('a');
      await allHandled('a');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(handled.a.sort()).toEqual([...items.a].sort());
      expect(await jobKeys(schemas.b)).toHaveLength(items.b.length);
      expect((await storages.b.outbox.countByState('t1')).pending).toBe(items.b.length);

      const workerB = start('b');
      await allHandled('b');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(handled.b.sort()).toEqual([...items.b].sort());
      expect(handled.a).toHaveLength(items.a.length);
      await Promise.all([workerA.stop(), workerB.stop()]);
      expect(await jobKeys(schemas.a)).toEqual([]);
      expect(await jobKeys(schemas.b)).toEqual([]);
      await Promise.all([storages.a.close(), storages.b.close()]);
    }, 30_000);
  });

  describe('createPostgresStorage: stopping the queue', () => {
    it('stop() resolves only once graphile-worker has completed the job of a finished item (the schema may go next)', async () => {
      const schema = fresh('stop');
      const storage = await createPostgresStorage({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
        pollIntervalMs: 50,
      });
      const [key] = await (async () => {
        await storage.queue.schedule({ tenantId: 't1', sourceId: 's1' });
        return jobKeys(schema);
      })();
      // Another connection holds the job's row: graphile-worker's completion (a DELETE) waits for it.
      const holder = await adminPool().connect();
      let handled!: () => void;
      const handledOnce = new Promise<void>((resolve) => {
        handled = resolve;
      });
      const worker = storage.queue.start(
        async () => {
          try {
            await holder.query('BEGIN');
            await holder.query(
              `SELECT 1 FROM "${WORKER_SCHEMA}"._private_jobs WHERE key = $1 FOR UPDATE`,
              [key],
            );
          } finally {
            handled();
          }
        },
        { concurrency: 1 },
      );
      try {
        await handledOnce;
        let stopped = false;
        const stopping = worker.stop().then(() => {
          stopped = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(stopped).toBe(false);
        await holder.query('COMMIT');
        await stopping;
        expect(await jobKeys(schema)).toEqual([]);
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
        await storage.close();
      }
    }, 20_000);
  });

  describe('createPostgresStorage: one Fortnox customer is one source customer', () => {
    const link = (sourceId: string, customerNumber: string) => ({
      tenantId: 't1',
      sourceId,
      customerNumber,
      fingerprint: `fp-${sourceId}`,
      origin: 'created' as const,
      syncedAt: 1_000,
    });

    it('two processes linking one number at once: one link is written, the other is link-conflict', async () => {
      const schema = fresh('race');
      const [a, b] = await Promise.all(
        [1, 2].map(() =>
          createPostgresStorage({ connectionString: url, schema, workerSchema: WORKER_SCHEMA }),
        ),
      );
      if (a === undefined || b === undefined) throw new Error('no storage');
      for (let round = 0; round < 20; round++) {
        const number = String(5000 + round);
        const outcomes = await Promise.allSettled([
          a.links.put(link(`a${round}`, number)),
          b.outbox
            .enqueue(
              't1',
              `b${round}`,
              {
                operation: 'upsert',
                customer: { id: `b${round}`, type: 'company', name: 'B AB', active: true },
              },
              1,
            )
            .then((entry) =>
              b.outbox.complete('t1', `b${round}`, entry.version, link(`b${round}`, number), 2),
            ),
        ]);
        const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(refused).toHaveLength(1);
        expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
          code: 'link-conflict',
        });
        const holders = (await a.links.list('t1')).filter((held) => held.customerNumber === number);
        expect(holders).toHaveLength(1);
        // A refused complete wrote nothing: its outbox entry is still there.
        const entry = await b.outbox.get('t1', `b${round}`);
        expect(entry === undefined).toBe(holders[0]?.sourceId === `b${round}`);
      }
      await Promise.all([a.close(), b.close()]);
    });

    it('a schema whose links already break the rule is refused at migration, not rewritten', async () => {
      const schema = fresh('dupes');
      await (
        await createPostgresStorage({ connectionString: url, schema, workerSchema: WORKER_SCHEMA })
      ).close();
      // As an older release could have left it: no unique index, two links to one number.
      const admin = adminPool();
      await admin.query(`DELETE FROM "${schema}".schema_migrations WHERE version >= 3`);
      await admin.query(`DROP INDEX "${schema}".links_one_source_per_customer`);
      await admin.query(
        `CREATE INDEX links_by_customer_number ON "${schema}".links (tenant_id, customer_number)`,
      );
      await admin.query(
        `INSERT INTO "${schema}".links VALUES ('t1', 'c1', '7', 'fp', 'created', 1),
           ('t1', 'c2', '7', 'fp', 'created', 1)`,
      );
      const refused = await createPostgresStorage({
        connectionString: url,
        schema,
        workerSchema: WORKER_SCHEMA,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ name: 'StorageError', code: 'database' });
      expect(String((refused as Error).cause)).toContain('linked to more than one source customer');
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".links`);
      expect(rows[0].n).toBe(2);
    });
  });

  describe('createPostgresRateLimiter', () => {
    it('holds a slot from its grant until one window after its release', async () => {
      const limiter = await createPostgresRateLimiter({
        connectionString: url,
        workerSchema: WORKER_SCHEMA,
        schema: fresh('rate'),
        limit: 2,
        windowMs: 400,
        pollIntervalMs: 10,
      });
      const first = await limiter.acquire('t');
      await limiter.acquire('t');
      let third = false;
      const waiting = limiter.acquire('t').then((release) => {
        third = true;
        return release;
      });
      await new Promise((resolve) => setTimeout(resolve, 600));
      // Both slots are still in flight: no window has even started.
      expect(third).toBe(false);
      const releasedAt = Date.now();
      await first();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(third).toBe(false);
      await waiting;
      expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(390);
      await limiter.close();
    });

    it('keys are independent, and pause stops a key for its duration', async () => {
      const limiter = await createPostgresRateLimiter({
        connectionString: url,
        workerSchema: WORKER_SCHEMA,
        schema: fresh('pause'),
        limit: 1,
        windowMs: 200,
      });
      await limiter.acquire('a');
      await limiter.acquire('b');
      await limiter.pause('c', 300);
      const started = Date.now();
      await limiter.acquire('c');
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      await limiter.close();
    });

    it('waiting is abortable', async () => {
      const limiter = await createPostgresRateLimiter({
        connectionString: url,
        workerSchema: WORKER_SCHEMA,
        schema: fresh('abort'),
        limit: 1,
        windowMs: 60_000,
      });
      await limiter.acquire('t');
      const controller = new AbortController();
      const waiting = limiter.acquire('t', controller.signal);
      setTimeout(() => controller.abort(new Error('gave up')), 50);
      await expect(waiting).rejects.toThrow('gave up');
      await limiter.close();
    });
  });
} else {
  describe.skip('createPostgresStorage (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
