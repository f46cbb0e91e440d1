/**
 * A Fastify service that syncs on save, on PostgreSQL: `PUT /customers/:id` writes your own customer
 * row and answers with what Fortnox made of it (the customer number, or why not yet).
 *
 * Nothing is lost between your write and the sync: the row is written in your transaction together
 * with a `sync_pending` mark; after the commit the change goes to the library's Postgres outbox
 * (`engine.customerSaved`), and the mark is cleared. A process that dies between the commit and the
 * outbox leaves the mark, and the next start hands every marked row to the engine again (a re-save
 * is always safe: it never creates a second Fortnox customer). (`fortnox-sync/postgres` has no call
 * yet that writes its outbox inside the host's own transaction; with one, the mark goes away.)
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx examples/fastify-service.ts
 *     starts an emulator and the service, saves a customer twice through HTTP and prints the answers.
 *     Add --serve to keep serving on PORT (default 3000) until Ctrl-C.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createFortnoxClient,
  createSyncEngine,
  type SourceCustomer,
  type SyncEngine,
} from 'fortnox-sync';
import { createPostgresStorage } from 'fortnox-sync/postgres';
import { createEmulatorCore } from 'fortnox-sync/testing';
import pg from 'pg';

/** What the service needs: your database, the engine, the Fortnox company of this installation. */
export type ServiceOptions = {
  readonly pool: pg.Pool;
  readonly engine: SyncEngine;
  readonly tenantId: string;
  /** The schema of your application's own tables. @defaultValue 'app' */
  readonly schema?: string;
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

/** Creates your table (once) and the Fastify app; hands rows a crash left marked to the engine. */
export async function buildService(options: ServiceOptions): Promise<FastifyInstance> {
  const { pool, engine, tenantId } = options;
  const table = `"${options.schema ?? 'app'}".customers`;
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema ?? 'app'}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
    id text PRIMARY KEY, data jsonb NOT NULL, version integer NOT NULL,
    sync_pending boolean NOT NULL DEFAULT true)`);

  /** Hands a committed version to the engine, then clears its mark if no newer write came. */
  async function sync(id: string, customer: SourceCustomer, version: number) {
    const outcome = await engine.customerSaved(tenantId, customer);
    // Queued in the library's durable outbox (or already delivered): the mark has done its job.
    if (outcome.isOk() || outcome.error.kind === 'invalid-input') {
      await pool.query(`UPDATE ${table} SET sync_pending = false WHERE id = $1 AND version = $2`, [
        id,
        version,
      ]);
    }
    return outcome;
  }

  // Rows a previous process committed but did not hand over.
  const { rows: marked } = await pool.query<{ id: string; data: CustomerBody; version: number }>(
    `SELECT id, data, version FROM ${table} WHERE sync_pending ORDER BY id`,
  );
  for (const row of marked) {
    await sync(row.id, { id: row.id, active: true, ...row.data }, row.version);
  }

  const app = Fastify();
  app.put<{ Params: { id: string }; Body: CustomerBody }>(
    '/customers/:id',
    { schema: { body: CUSTOMER_BODY } },
    async (request, reply) => {
      const { id } = request.params;
      const data = { active: true, ...request.body };
      // Your own write and the sync mark: one transaction.
      const client = await pool.connect();
      let version: number;
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ version: number }>(
          `INSERT INTO ${table} (id, data, version, sync_pending) VALUES ($1, $2, 1, true)
           ON CONFLICT (id) DO UPDATE SET data = $2, version = ${table}.version + 1, sync_pending = true
           RETURNING version`,
          [id, JSON.stringify(data)],
        );
        version = rows[0]?.version ?? 1;
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
      const outcome = await sync(id, { id, ...data }, version);
      if (outcome.isErr()) {
        // The row is saved and marked: the next start (or save) hands it over.
        return reply.code(202).send({ id, sync: { status: 'queued-later' } });
      }
      return reply.send({ id, sync: outcome.value });
    },
  );
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
  const storage = await createPostgresStorage({ pool, schema: `fortnox_sync_example_${suffix}` });
  const engine = createSyncEngine({ storage, clients: () => client });
  (await engine.connect(tenantId, { id: 'example', roles: ['admin'] }))._unsafeUnwrap();
  const schema = `app_example_${suffix}`;
  const app = await buildService({ pool, engine, tenantId, schema });
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
    await pool.query(
      `DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "fortnox_sync_example_${suffix}" CASCADE; DROP SCHEMA IF EXISTS "fortnox_sync_example_${suffix}_worker" CASCADE`,
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
  return script !== undefined && realpathSync(fileURLToPath(moduleUrl)) === realpathSync(script);
}
