import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../../examples/fastify-service.js';
import { createFortnoxClient, createSyncEngine, type SyncEngine } from '../../src/index.js';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import { createEmulatorCore, type EmulatorServer } from '../../src/testing/index.js';
import { jobKeys, WORKER_SCHEMA } from '../storage/support/postgres-schemas.js';
import { dropSchemas, POSTGRES_URL, postgresAvailable, schemaFor } from '../support/postgres.js';

const run = postgresAvailable();

describe.skipIf(!run)('examples/fastify-service.ts on PostgreSQL', () => {
  const emulator = createEmulatorCore();
  const tenantId = emulator.tenant().tenantId;
  const appSchema = schemaFor(`fastify_app_${process.pid}`);
  const syncSchema = schemaFor(`fastify_sync_${process.pid}`);
  let fortnox: EmulatorServer;
  let pool: pg.Pool;
  let storage: SyncStorage;
  let engine: SyncEngine;

  beforeAll(async () => {
    fortnox = await emulator.listen({ port: 0 });
    pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
    pool.on('error', () => {});
    pool.on('connect', (connection) => connection.on('error', () => {}));
    storage = await createPostgresStorage({
      pool,
      schema: syncSchema,
      workerSchema: WORKER_SCHEMA,
    });
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
      apiBaseUrl: fortnox.url,
    });
    engine = createSyncEngine({ storage, clients: () => client });
    (await engine.connect(tenantId, { id: 'admin', roles: ['admin'] }))._unsafeUnwrap();
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
    await storage?.close();
    await dropSchemas([appSchema, syncSchema]);
    await pool?.end();
    await fortnox?.close();
  });

  /** The example's service on this file's schemas and the run's worker schema. */
  const service = (options: { waitMs?: number } = {}) =>
    buildService({
      pool,
      engine,
      tenantId,
      schema: appSchema,
      syncSchema,
      workerSchema: WORKER_SCHEMA,
      ...options,
    });
  const rows = async (id: string) =>
    (
      await pool.query<{ version: number }>(
        `SELECT version FROM "${appSchema}".customers WHERE id = $1`,
        [id],
      )
    ).rows;
  const sentFor = (id: string) =>
    emulator
      .tenant()
      .customers()
      .filter((c) => c.ExternalReference === id);

  it('a save writes the row and the sync job in one transaction and answers with the customer number; a resave keeps it; a refused body writes nothing', async () => {
    const app = await service();
    const put = (id: string, payload: object) =>
      app.inject({ method: 'PUT', url: `/customers/${id}`, payload });

    const first = await put('crm-1', {
      type: 'company',
      name: 'Verkstaden i Lund AB',
      organisationNumber: '556036-0793',
    });
    expect(first.statusCode).toBe(200);
    const number = first.json().sync.customerNumber as string;
    expect(first.json()).toEqual({
      id: 'crm-1',
      version: 1,
      sync: { status: 'synced', customerNumber: number },
    });

    const second = await put('crm-1', {
      type: 'company',
      name: 'Verkstaden i Lund AB',
      organisationNumber: '556036-0793',
      email: 'info@verkstaden.se',
    });
    expect(second.json()).toEqual({
      id: 'crm-1',
      version: 2,
      sync: { status: 'synced', customerNumber: number },
    });
    expect(sentFor('crm-1')).toHaveLength(1);
    expect(sentFor('crm-1')[0]?.Email).toBe('info@verkstaden.se');

    const before = emulator.requests().length;
    const refused = await put('crm-2', { type: 'company' });
    expect(refused.statusCode).toBe(400);
    expect(await rows('crm-2')).toEqual([]);
    expect(emulator.requests()).toHaveLength(before);
    await app.close();
  }, 60_000);

  it('a write the database refuses at COMMIT rolls the sync job back with it: nothing queued, nothing sent', async () => {
    const app = await service();
    const before = emulator.requests().length;
    // crm-1 has this organisation number: the deferred unique check fails at COMMIT, after the enqueue.
    const clash = await app.inject({
      method: 'PUT',
      url: '/customers/crm-3',
      payload: { type: 'company', name: 'Kopian AB', organisationNumber: '556036-0793' },
    });
    expect(clash.statusCode).toBe(409);
    expect(await rows('crm-3')).toEqual([]);
    expect(await storage.outbox.get(tenantId, 'crm-3')).toBeUndefined();
    expect((await jobKeys(syncSchema)).filter((key) => key.includes('crm-3'))).toEqual([]);
    // The running worker had every chance to pick something up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(emulator.requests()).toHaveLength(before);
    expect(sentFor('crm-3')).toEqual([]);
    const status = await app.inject({ method: 'GET', url: '/customers/crm-3/sync' });
    expect(status.statusCode).toBe(404);
    await app.close();
  }, 60_000);

  it('a save committed while no worker runs is delivered when one starts; a delete deactivates the customer', async () => {
    const app = await service({ waitMs: 300 });
    await engine.stop();
    // Committed, no worker: the request answers 202 and the job waits in Postgres.
    const queued = await app.inject({
      method: 'PUT',
      url: '/customers/crm-9',
      payload: { type: 'company', name: 'Bageriet Norrland AB' },
    });
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toEqual({ id: 'crm-9', version: 1, sync: { status: 'pending' } });
    expect(sentFor('crm-9')).toEqual([]);

    engine.start();
    const outcome = (
      await engine.waitForOutcome(tenantId, 'crm-9', { timeoutMs: 15_000 })
    )._unsafeUnwrap();
    expect(outcome.status).toBe('synced');
    expect(sentFor('crm-9')).toHaveLength(1);
    const status = await app.inject({ method: 'GET', url: '/customers/crm-9/sync' });
    expect(status.json().state).toBe('synced');

    const slow = await service();
    const deleted = await slow.inject({ method: 'DELETE', url: '/customers/crm-9' });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().sync.status).toBe('deleted');
    expect(await rows('crm-9')).toEqual([]);
    expect(sentFor('crm-9')[0]?.Active).toBe(false);
    expect((await slow.inject({ method: 'DELETE', url: '/customers/crm-9' })).statusCode).toBe(404);
    await slow.close();
    await app.close();
  }, 60_000);
});
