/**
 * A Fastify service that syncs on save, on PostgreSQL: `PUT /customers/:id` writes your own customer
 * row and answers with what Fortnox made of it (the customer number, or why not yet);
 * `DELETE /customers/:id` deletes the row and deactivates the Fortnox customer.
 *
 * Your write and the sync job are one transaction (a transactional outbox): `enqueueCustomerSaved`
 * writes the library's outbox entry and its job with your transaction's client, so they commit, or
 * roll back, with your row. After the COMMIT a running engine picks the job up at once, and
 * `engine.waitForOutcome` tells what Fortnox made of it. A process that dies after the COMMIT loses
 * nothing: the job is in the database, and any engine (this one restarted, or a worker elsewhere)
 * delivers it. A refused write (here: an organisation number another customer has) queues nothing.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx examples/fastify-service.ts
 *     starts an emulator and the service, saves a customer twice through HTTP and prints the answers.
 *     Add --serve to keep serving on PORT (default 3000) until Ctrl-C. An app that already runs
 *     graphile-worker can give the library its schema: GRAPHILE_WORKER_SCHEMA=graphile_worker (the
 *     library's jobs keep to their own task, `fortnox_sync_work:<schema>`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { createFortnoxClient, createSyncEngine, type SyncEngine } from 'fortnox-sync';
import {
  createPostgresStorage,
  enqueueCustomerDeleted,
  enqueueCustomerSaved,
} from 'fortnox-sync/postgres';
import { createEmulatorCore } from 'fortnox-sync/testing';
import pg from 'pg';

/** What the service needs: your database, the engine, the Fortnox company of this installation. */
export type ServiceOptions = {
  readonly pool: pg.Pool;
  readonly engine: SyncEngine;
  readonly tenantId: string;
  /** The schema of your application's own tables. @defaultValue 'app' */
  readonly schema?: string;
  /** The schema given to `createPostgresStorage`. @defaultValue 'fortnox_sync' */
  readonly syncSchema?: string;
  /** The `workerSchema` given to `createPostgresStorage`. @defaultValue `${syncSchema}_worker` */
  readonly workerSchema?: string;
  /** How long a request waits for Fortnox before answering 202 (the sync goes on). @defaultValue 5000 */
  readonly waitMs?: number;
};

/** The body of `PUT /customers/:id`: your application's customer. */
const CUSTOMER_BODY = {
  type: 'object',
  required: ['type', 'name'],
  additionalProperties: false,
  properties: {
    type: { enum: ['company', 'private'] },
    name: { type: 'string', minLength: 1 },
    organisationNumber: { type: 'string' },
    email: { type: 'string' },
    phone: { type: 'string' },
    active: { type: 'boolean' },
  },
} as const;

type CustomerBody = {
  type: 'company' | 'private';
  name: string;
  organisationNumber?: string;
  email?: string;
  phone?: string;
  active?: boolean;
};

/** Runs `work` inside BEGIN … COMMIT on one client of the pool; ROLLBACK when anything throws. */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Postgres' "unique violation": here, the organisation number belongs to another customer. */
const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === '23505';

/** Creates your table (once) and the Fastify app. */
export async function buildService(options: ServiceOptions): Promise<FastifyInstance> {
  const { pool, engine, tenantId } = options;
  const appSchema = options.schema ?? 'app';
  const syncSchema = options.syncSchema ?? 'fortnox_sync';
  const workerSchema = options.workerSchema ?? `${syncSchema}_worker`;
  const waitMs = options.waitMs ?? 5_000;
  const table = `"${appSchema}".customers`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${appSchema}"`);
  // The organisation number is unique, checked at COMMIT (deferred): a refused commit also takes back
  // the sync job queued before it.
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
    id text PRIMARY KEY, data jsonb NOT NULL, version integer NOT NULL,
    organisation_number text UNIQUE DEFERRABLE INITIALLY DEFERRED)`);

  const app = Fastify();
  app.put<{ Params: { id: string }; Body: CustomerBody }>(
    '/customers/:id',
    { schema: { body: CUSTOMER_BODY } },
    async (request, reply) => {
      const { id } = request.params;
      const data = { active: true, ...request.body };
      let version: number;
      try {
        // Your own write and the sync job: one transaction.
        version = await inTransaction(pool, async (client) => {
          const { rows } = await client.query<{ version: number }>(
            `INSERT INTO ${table} (id, data, version, organisation_number) VALUES ($1, $2, 1, $3)
             ON CONFLICT (id) DO UPDATE SET data = $2, version = ${table}.version + 1,
               organisation_number = $3
             RETURNING version`,
            [id, JSON.stringify(data), data.organisationNumber ?? null],
          );
          await enqueueCustomerSaved(client, {
            schema: syncSchema,
            workerSchema,
            tenantId,
            customer: { id, ...data },
          });
          return rows[0]?.version ?? 1;
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        return reply
          .code(409)
          .send({ error: 'Another customer has this organisation number. Nothing was saved.' });
      }
      // Committed: the engine delivers it now. Wait a little for the answer.
      const outcome = await engine.waitForOutcome(tenantId, id, { timeoutMs: waitMs });
      if (outcome.isErr() || outcome.value.status === 'pending') {
        // Saved and queued durably: it reaches Fortnox when it can (GET …/sync tells).
        return reply.code(202).send({ id, version, sync: { status: 'pending' } });
      }
      return reply.send({ id, version, sync: outcome.value });
    },
  );
  app.delete<{ Params: { id: string } }>('/customers/:id', async (request, reply) => {
    const { id } = request.params;
    const deleted = await inTransaction(pool, async (client) => {
      const { rowCount } = await client.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
      if (rowCount === 0) return false;
      await enqueueCustomerDeleted(client, {
        schema: syncSchema,
        workerSchema,
        tenantId,
        sourceId: id,
      });
      return true;
    });
    if (!deleted) return reply.code(404).send({ error: 'No such customer.' });
    const outcome = await engine.waitForOutcome(tenantId, id, { timeoutMs: waitMs });
    if (outcome.isErr() || outcome.value.status === 'pending') {
      return reply.code(202).send({ id, sync: { status: 'pending' } });
    }
    return reply.send({ id, sync: outcome.value });
  });
  app.get<{ Params: { id: string } }>('/customers/:id/sync', async (request, reply) => {
    const status = await engine.status(tenantId, request.params.id);
    if (status.isErr()) return reply.code(404).send({ error: status.error.userMessage.en });
    return reply.send(status.value);
  });
  return app;
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === '') {
    console.error(
      'Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/test',
    );
    process.exitCode = 1;
    return;
  }
  const emulator = createEmulatorCore();
  const fortnox = await emulator.listen({ port: 0 });
  const tenantId = emulator.tenant().tenantId;
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
    apiBaseUrl: fortnox.url,
  });
  const pool = new pg.Pool({ connectionString: databaseUrl });
  // An idle connection the server dropped must not crash the process.
  pool.on('error', (error) => console.error('database:', error.message));
  pool.on('connect', (connection) => {
    connection.on('error', (error) => console.error('database:', error.message));
  });
  // Separate schemas per run keep this example from touching other data in the database.
  const suffix = `${process.pid}`;
  const syncSchema = `fortnox_sync_example_${suffix}`;
  // Your app's graphile-worker schema, when it has one; else the library's own.
  const workerSchema = process.env.GRAPHILE_WORKER_SCHEMA || `${syncSchema}_worker`;
  const storage = await createPostgresStorage({ pool, schema: syncSchema, workerSchema });
  const engine = createSyncEngine({ storage, clients: () => client });
  (await engine.connect(tenantId, { id: 'example', roles: ['admin'] }))._unsafeUnwrap();
  const schema = `app_example_${suffix}`;
  const app = await buildService({ pool, engine, tenantId, schema, syncSchema, workerSchema });
  try {
    const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
    const save = async (body: CustomerBody) => {
      const response = await fetch(`${address}/customers/crm-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { sync: { status: string; customerNumber?: string } };
    };
    const created = await save({
      type: 'company',
      name: 'Verkstaden i Lund AB',
      organisationNumber: '556036-0793',
    });
    console.log(`saved: ${created.sync.status} as customer ${created.sync.customerNumber}`);
    const updated = await save({
      type: 'company',
      name: 'Verkstaden i Lund AB',
      organisationNumber: '556036-0793',
      email: 'info@verkstaden.se',
    });
    console.log(`updated: ${updated.sync.status} as customer ${updated.sync.customerNumber}`);
    if (process.argv.includes('--serve')) {
      console.log(`serving on ${address} (Ctrl-C stops)`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
  } finally {
    await app.close();
    await engine.stop();
    await storage.close();
    // Stopped and closed first: nothing of the storage's is in flight when its schemas go.
    await pool.query(
      `DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${syncSchema}" CASCADE; DROP SCHEMA IF EXISTS "${syncSchema}_worker" CASCADE`,
    );
    await pool.end();
    await fortnox.close();
  }
}

// Run main only when this file is the entry point (works from any path, spaces included).
if (isEntryPoint(import.meta.url)) await main();

/** Whether this module is the script node was started with (paths with spaces and symlinks included). */
function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = realpathSync(fileURLToPath(moduleUrl));
  // `npx tsx examples/<name>` may leave out the extension, as tsx allows.
  return [script, `${script}.ts`].some((file) => existsSync(file) && realpathSync(file) === self);
}
