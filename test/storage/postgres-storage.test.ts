import { afterAll, describe, expect, it } from 'vitest';
import {
  createPostgresRateLimiter,
  createPostgresStorage,
} from '../../src/storage/postgres/index.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/postgres-migrations.js';
import {
  adminPool,
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from './support/postgres-schemas.js';

if (postgresAvailable()) {
  const url = POSTGRES_URL as string;
  const schemas = new Set<string>();
  const fresh = (name: string): string => {
    const schema = schemaFor(`${name}_${process.pid}_${Date.now().toString(36)}`);
    schemas.add(schema);
    return schema;
  };
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });

  describe('createPostgresStorage: setup', () => {
    it('processes starting at once migrate once: versioned tables and graphile-worker’s schema', async () => {
      const schema = fresh('mig');
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
      await (await createPostgresStorage({ connectionString: url, schema })).close();
      await adminPool().query(`INSERT INTO "${schema}".schema_migrations (version) VALUES (99)`);
      await expect(createPostgresStorage({ connectionString: url, schema })).rejects.toMatchObject({
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
      const storage = await createPostgresStorage({ pool, schema: fresh('closed') });
      await storage.close();
      await expect(storage.links.get('t', 's')).rejects.toMatchObject({ code: 'closed' });
      expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await pool.end();
    });
  });

  describe('createPostgresRateLimiter', () => {
    it('holds a slot from its grant until one window after its release', async () => {
      const limiter = await createPostgresRateLimiter({
        connectionString: url,
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
