import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../../examples/fastify-service.js';
import { createFortnoxClient, createSyncEngine, type SyncEngine } from '../../src/index.js';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import type { SyncStorage } from '../../src/storage/sync-storage.js';
import { createEmulatorCore, type EmulatorServer } from '../../src/testing/index.js';
import {
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../storage/support/postgres-schemas.js';

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
    storage = await createPostgresStorage({ pool, schema: syncSchema });
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

  const marks = async (id: string) =>
    (
      await pool.query<{ sync_pending: boolean; version: number }>(
        `SELECT sync_pending, version FROM "${appSchema}".customers WHERE id = $1`,
        [id],
      )
    ).rows;

  it('a save writes the row, syncs it and clears the mark; a resave keeps the number; a refused body writes nothing', async () => {
    const app = await buildService({ pool, engine, tenantId, schema: appSchema });
    const put = (id: string, payload: object) =>
      app.inject({ method: 'PUT', url: `/customers/${id}`, payload });

    const first = await put('crm-1', { type: 'company', name: 'Verkstaden i Lund AB' });
    expect(first.statusCode).toBe(200);
    const number = first.json().sync.customerNumber as string;
    expect(first.json().sync.status).toBe('synced');
    expect(await marks('crm-1')).toEqual([{ sync_pending: false, version: 1 }]);

    const second = await put('crm-1', {
      type: 'company',
      name: 'Verkstaden i Lund AB',
      email: 'info@verkstaden.se',
    });
    expect(second.json().sync).toEqual({ status: 'synced', customerNumber: number });
    expect(await marks('crm-1')).toEqual([{ sync_pending: false, version: 2 }]);
    expect(
      emulator
        .tenant()
        .customers()
        .find((c) => String(c.CustomerNumber) === number)?.Email,
    ).toBe('info@verkstaden.se');

    const before = emulator.requests().length;
    const refused = await put('crm-2', { type: 'company' });
    expect(refused.statusCode).toBe(400);
    expect(await marks('crm-2')).toEqual([]);
    expect(emulator.requests()).toHaveLength(before);
    await app.close();
  }, 60_000);

  it('a row committed by a process that died before the sync is synced at the next start', async () => {
    // What a crash between COMMIT and the outbox leaves: the row, marked.
    await buildService({ pool, engine, tenantId, schema: appSchema }).then((app) => app.close());
    await pool.query(
      `INSERT INTO "${appSchema}".customers (id, data, version, sync_pending) VALUES ($1, $2, 1, true)`,
      ['crm-9', JSON.stringify({ type: 'company', name: 'Bageriet Norrland AB', active: true })],
    );
    expect(
      emulator
        .tenant()
        .customers()
        .some((c) => c.ExternalReference === 'crm-9'),
    ).toBe(false);

    const restarted = await buildService({ pool, engine, tenantId, schema: appSchema });
    expect(await marks('crm-9')).toEqual([{ sync_pending: false, version: 1 }]);
    expect(
      emulator
        .tenant()
        .customers()
        .filter((c) => c.ExternalReference === 'crm-9'),
    ).toHaveLength(1);
    const status = await restarted.inject({ method: 'GET', url: '/customers/crm-9/sync' });
    expect(status.json().state).toBe('synced');
    await restarted.close();
  }, 60_000);
});
