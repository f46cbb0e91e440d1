/**
 * `enqueueCustomerSaved` / `enqueueCustomerDeleted` (fortnox-sync/postgres): the outbox entry and its
 * graphile-worker job written in the host's own transaction, and `engine.waitForOutcome` after it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFortnoxClient, type FortnoxClient } from '../../src/client/index.js';
import {
  createPostgresStorage,
  enqueueCustomerDeleted,
  enqueueCustomerSaved,
} from '../../src/storage/postgres/index.js';
import type { OutboxEntry, SyncStorage } from '../../src/storage/sync-storage.js';
import { createSyncEngine } from '../../src/sync/create-sync-engine.js';
import type { SyncEngine } from '../../src/sync/sync-engine-types.js';
import { createEmulatorCore, type EmulatorServer } from '../../src/testing/index.js';
import {
  closeAdmin,
  dropSchemas,
  freshSchemas,
  POSTGRES_URL,
  postgresAvailable,
} from '../support/postgres.js';
import { jobKeys, WORKER_SCHEMA } from './support/postgres-schemas.js';

const ADMIN = { id: 'admin', roles: ['admin'] } as const;

if (postgresAvailable()) {
  const { fresh, created: schemas } = freshSchemas('htx_');
  const emulator = createEmulatorCore();
  const tenantId = emulator.tenant().tenantId;
  let fortnox: EmulatorServer;
  let client: FortnoxClient;
  let pool: pg.Pool;
  const storages: SyncStorage[] = [];
  const engines: SyncEngine[] = [];

  const open = async (schema: string, autoStart: boolean) => {
    const storage = await createPostgresStorage({
      pool,
      schema,
      workerSchema: WORKER_SCHEMA,
      pollIntervalMs: 200,
    });
    storages.push(storage);
    const engine = createSyncEngine({ storage, clients: () => client, autoStart });
    engines.push(engine);
    (await engine.connect(tenantId, ADMIN))._unsafeUnwrap();
    return { storage, engine };
  };

  /** BEGIN, the host's own write, `work`, then COMMIT (or ROLLBACK when `rollback` or it throws). */
  const inTransaction = async <T>(
    schema: string,
    work: (tx: pg.PoolClient) => Promise<T>,
    rollback = false,
  ): Promise<T> => {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query(`INSERT INTO "${schema}".host_rows (note) VALUES ('host write')`);
      const result = await work(tx);
      await tx.query(rollback ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    } finally {
      tx.release();
    }
  };
  const hostTable = async (schema: string) =>
    pool.query(`CREATE TABLE "${schema}".host_rows (id serial PRIMARY KEY, note text NOT NULL)`);
  const hostRows = async (schema: string) =>
    (await pool.query(`SELECT count(*)::int AS n FROM "${schema}".host_rows`)).rows[0].n as number;
  const sentFor = (sourceId: string) =>
    emulator
      .tenant()
      .customers()
      .filter((c) => c.ExternalReference === sourceId);

  beforeAll(async () => {
    fortnox = await emulator.listen({ port: 0 });
    client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
      apiBaseUrl: fortnox.url,
    });
    pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 6 });
    pool.on('error', () => undefined);
    pool.on('connect', (connection) => connection.on('error', () => undefined));
  });

  afterAll(async () => {
    for (const engine of engines) await engine.stop();
    for (const storage of storages) await storage.close();
    await dropSchemas(schemas);
    await closeAdmin();
    await pool?.end();
    await fortnox?.close();
  });

  describe('enqueueCustomerSaved in the host transaction', () => {
    it('commit: the host row and the job commit together, the worker delivers it, waitForOutcome tells the number', async () => {
      const schema = fresh('commit');
      const { engine } = await open(schema, true);
      await hostTable(schema);
      const customer = {
        id: 'htx-1',
        type: 'company' as const,
        name: 'Verkstaden i Lund AB',
        active: true,
      };
      const entry = await inTransaction(schema, (tx) =>
        enqueueCustomerSaved(tx, { schema, workerSchema: WORKER_SCHEMA, tenantId, customer }),
      );
      expect(entry).toMatchObject({ sourceId: 'htx-1', operation: 'upsert', state: 'pending' });
      // Generous: on a busy machine a storage's first runner may start slowly.
      const outcome = (
        await engine.waitForOutcome(tenantId, 'htx-1', { timeoutMs: 40_000 })
      )._unsafeUnwrap();
      expect(outcome.status).toBe('synced');
      const sent = sentFor('htx-1');
      expect(sent).toHaveLength(1);
      expect(outcome).toEqual({
        status: 'synced',
        customerNumber: String(sent[0]?.CustomerNumber),
      });
      expect(await hostRows(schema)).toBe(1);
    }, 60_000);

    it('rollback: neither the host row nor the entry nor the job stays, and nothing is sent', async () => {
      const schema = fresh('rollback');
      const { storage, engine } = await open(schema, true);
      await hostTable(schema);
      const before = emulator.requests().length;
      const customer = {
        id: 'htx-rb',
        type: 'company' as const,
        name: 'Bageriet Norrland AB',
        active: true,
      };
      // Seen inside the transaction, gone after the rollback.
      const inside = await inTransaction(
        schema,
        async (tx) => {
          await enqueueCustomerSaved(tx, {
            schema,
            workerSchema: WORKER_SCHEMA,
            tenantId,
            customer,
          });
          return (await tx.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`)).rows[0].n;
        },
        true,
      );
      expect(inside).toBe(1);
      expect(await hostRows(schema)).toBe(0);
      expect(await storage.outbox.get(tenantId, 'htx-rb')).toBeUndefined();
      expect(await jobKeys(schema)).toEqual([]);
      // A running worker, given time to pick anything up, sends nothing.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(emulator.requests()).toHaveLength(before);
      expect(sentFor('htx-rb')).toEqual([]);
      const status = await engine.status(tenantId, 'htx-rb');
      expect(status._unsafeUnwrapErr().kind).toBe('not-found');
    }, 30_000);

    it('coalesces as outbox.enqueue does: version, state, attempts, createAttempted, skipMatching, enqueuedAt; one job per customer', async () => {
      const schema = fresh('coalesce');
      const { storage } = await open(schema, false);
      await hostTable(schema);
      const v1 = { id: 'c-a', type: 'company' as const, name: 'Första AB', active: true };
      const v2 = { ...v1, email: 'info@forsta.se' };
      const viaHost = async (customer: typeof v1) =>
        inTransaction(schema, (tx) =>
          enqueueCustomerSaved(tx, { schema, workerSchema: WORKER_SCHEMA, tenantId, customer }),
        );
      const viaStore = async (customer: typeof v1) =>
        storage.outbox.enqueue(
          tenantId,
          'c-b',
          { operation: 'upsert', customer: { ...customer, id: 'c-b' } },
          Date.now(),
        );

      // Same steps on both: save, mark a sent create + a retry + skipMatching, save again.
      const steps = async (
        enqueue: (customer: typeof v1) => Promise<OutboxEntry>,
        sourceId: string,
      ) => {
        const first = await enqueue(v1);
        const attemptedAt = Date.now() - 1_000;
        await storage.outbox.update(
          tenantId,
          sourceId,
          first.version,
          {
            attempts: 3,
            createAttempted: true,
            skipMatching: true,
            notBefore: Date.now() + 60_000,
          },
          attemptedAt,
        );
        const second = await enqueue(v2);
        const stored = await storage.outbox.get(tenantId, sourceId);
        return { first, second, stored, attemptedAt };
      };
      const host = await steps(viaHost, 'c-a');
      const store = await steps(viaStore, 'c-b');

      const shape = (entry: OutboxEntry | undefined) => {
        const {
          sourceId,
          version,
          enqueuedAt,
          updatedAt,
          notBefore,
          createAttemptedAt,
          customer,
          ...rest
        } = entry as OutboxEntry;
        return { ...rest, customer: { ...(customer as object), id: 'x' } };
      };
      expect(shape(host.stored)).toEqual(shape(store.stored));
      // The attempt's moment survives the host's enqueue as it does the store's.
      expect(host.stored?.createAttemptedAt).toBe(host.attemptedAt);
      expect(store.stored?.createAttemptedAt).toBe(store.attemptedAt);
      expect(host.stored).toMatchObject({
        state: 'pending',
        attempts: 0,
        createAttempted: true,
        skipMatching: true,
        lastError: null,
        customer: v2,
      });
      expect(host.second.version).toBeGreaterThan(host.first.version);
      expect(host.second.enqueuedAt).toBe(host.first.enqueuedAt);
      expect(host.stored?.notBefore).toBeLessThanOrEqual(Date.now());
      expect(host.second).toEqual(host.stored);
      // One graphile-worker job per customer, whichever way it was queued.
      expect(await jobKeys(schema)).toEqual([
        JSON.stringify([schema, tenantId, 'c-a']),
        JSON.stringify([schema, tenantId, 'c-b']),
      ]);
    }, 30_000);

    it('enqueueCustomerDeleted coalesces as customerDeleted: keeps the customer only after a create may have been sent', async () => {
      const schema = fresh('delete');
      const { storage } = await open(schema, false);
      await hostTable(schema);
      const customer = { id: 'd-1', type: 'company' as const, name: 'Raderas AB', active: true };
      const saved = await inTransaction(schema, (tx) =>
        enqueueCustomerSaved(tx, { schema, workerSchema: WORKER_SCHEMA, tenantId, customer }),
      );
      const plain = await inTransaction(schema, (tx) =>
        enqueueCustomerDeleted(tx, {
          schema,
          workerSchema: WORKER_SCHEMA,
          tenantId,
          sourceId: 'd-1',
        }),
      );
      expect(plain).toMatchObject({ operation: 'delete', customer: null });
      expect(plain.version).toBeGreaterThan(saved.version);

      const again = await inTransaction(schema, (tx) =>
        enqueueCustomerSaved(tx, { schema, workerSchema: WORKER_SCHEMA, tenantId, customer }),
      );
      await storage.outbox.update(
        tenantId,
        'd-1',
        again.version,
        { createAttempted: true },
        Date.now(),
      );
      const reconciling = await inTransaction(schema, (tx) =>
        enqueueCustomerDeleted(tx, {
          schema,
          workerSchema: WORKER_SCHEMA,
          tenantId,
          sourceId: ' d-1 ',
        }),
      );
      expect(reconciling).toMatchObject({
        sourceId: 'd-1',
        operation: 'delete',
        customer,
        createAttempted: true,
      });
    }, 30_000);

    it('bad input is StorageError invalid-argument and writes nothing; the host transaction stays usable', async () => {
      const schema = fresh('invalid');
      const { storage } = await open(schema, false);
      await hostTable(schema);
      const refusals = await inTransaction(schema, async (tx) => {
        const tries = [
          () =>
            enqueueCustomerSaved(tx, {
              schema,
              workerSchema: WORKER_SCHEMA,
              tenantId: ' ',
              customer: { id: 'x' } as never,
            }),
          () =>
            enqueueCustomerSaved(tx, {
              schema,
              workerSchema: WORKER_SCHEMA,
              tenantId,
              customer: { id: '' } as never,
            }),
          () =>
            enqueueCustomerSaved(tx, {
              schema,
              workerSchema: WORKER_SCHEMA,
              tenantId,
              customer: null as never,
            }),
          () =>
            enqueueCustomerDeleted(tx, {
              schema,
              workerSchema: WORKER_SCHEMA,
              tenantId,
              sourceId: 42 as never,
            }),
          () =>
            enqueueCustomerSaved(tx, {
              schema: 'Robert"; DROP',
              tenantId,
              customer: { id: 'x' } as never,
            }),
          // Never migrated: refused, and the savepoint takes back what was tried.
          () =>
            enqueueCustomerSaved(tx, {
              schema: `${schema}_none`,
              tenantId,
              customer: { id: 'x' } as never,
            }),
        ];
        const errors = [];
        for (const attempt of tries) errors.push(await attempt().catch((error: unknown) => error));
        return errors;
      });
      for (const error of refusals) {
        expect(error).toMatchObject({
          name: 'StorageError',
          kind: 'storage',
          code: 'invalid-argument',
        });
        expect((error as Error).message).not.toContain('Robert');
      }
      // The host's row committed after the refusals; nothing of the library's was written.
      expect(await hostRows(schema)).toBe(1);
      expect(await storage.outbox.list(tenantId)).toEqual([]);
      expect(await jobKeys(schema)).toEqual([]);

      // Outside BEGIN each statement would commit alone: refused before any write.
      const bare = await pool.connect();
      try {
        await expect(
          enqueueCustomerSaved(bare, {
            schema,
            workerSchema: WORKER_SCHEMA,
            tenantId,
            customer: { id: 'x' } as never,
          }),
        ).rejects.toMatchObject({
          code: 'invalid-argument',
          message: expect.stringContaining('BEGIN'),
        });
      } finally {
        bare.release();
      }
      expect(await storage.outbox.list(tenantId)).toEqual([]);
    }, 30_000);
  });

  describe('enqueueing into a schema an older release migrated', () => {
    it('is StorageError invalid-argument that says to open the storage with this release first; the host transaction stays usable', async () => {
      const schema = fresh('older');
      const { storage } = await open(schema, false);
      await storage.close();
      await hostTable(schema);
      // As the release before the one-statement enqueue left it: no functions, no create_attempted_at.
      await pool.query(
        `DROP FUNCTION "${schema}".enqueue_change; DROP FUNCTION "${schema}".release_lease;
         DROP FUNCTION "${schema}".complete_entry; DROP FUNCTION "${schema}".schedule_item;
         ALTER TABLE "${schema}".outbox DROP COLUMN create_attempted_at;
         DELETE FROM "${schema}".schema_migrations WHERE version >= 4`,
      );
      const refusals = await inTransaction(schema, async (tx) => [
        await enqueueCustomerSaved(tx, {
          schema,
          workerSchema: WORKER_SCHEMA,
          tenantId,
          customer: { id: 'x', type: 'company', name: 'AB X', active: true } as never,
        }).catch((error: unknown) => error),
        await enqueueCustomerDeleted(tx, {
          schema,
          workerSchema: WORKER_SCHEMA,
          tenantId,
          sourceId: 'x',
        }).catch((error: unknown) => error),
      ]);
      for (const error of refusals) {
        expect(error).toMatchObject({ name: 'StorageError', code: 'invalid-argument' });
        expect((error as Error).message).toContain('older release');
      }
      expect(await hostRows(schema)).toBe(1);
      // Opening the storage with this release migrates it; then the enqueue works.
      const reopened = await open(schema, false);
      await inTransaction(schema, (tx) =>
        enqueueCustomerSaved(tx, {
          schema,
          workerSchema: WORKER_SCHEMA,
          tenantId,
          customer: { id: 'x', type: 'company', name: 'AB X', active: true } as never,
        }),
      );
      expect(await reopened.storage.outbox.get(tenantId, 'x')).toMatchObject({ state: 'pending' });
    }, 30_000);
  });

  describe('engine.waitForOutcome', () => {
    it('resolves from storage when a worker of another process delivers; answers pending when none does', async () => {
      const schema = fresh('elsewhere');
      // This "process" has no worker; the other's storage and engine stand for another process.
      const here = await open(schema, false);
      await hostTable(schema);
      const customer = { id: 'w-1', type: 'company' as const, name: 'Annanstans AB', active: true };
      await inTransaction(schema, (tx) =>
        enqueueCustomerSaved(tx, { schema, workerSchema: WORKER_SCHEMA, tenantId, customer }),
      );

      const unanswered = (
        await here.engine.waitForOutcome(tenantId, 'w-1', { timeoutMs: 300, pollIntervalMs: 50 })
      )._unsafeUnwrap();
      expect(unanswered).toEqual({ status: 'pending', reason: 'timeout', lastError: null });

      const waiting = here.engine.waitForOutcome(tenantId, 'w-1', {
        timeoutMs: 15_000,
        pollIntervalMs: 50,
      });
      await open(schema, true);
      const outcome = (await waiting)._unsafeUnwrap();
      expect(outcome).toEqual({
        status: 'synced',
        customerNumber: String(sentFor('w-1')[0]?.CustomerNumber),
      });
    }, 30_000);

    it('refuses bad arguments with invalid-input', async () => {
      const schema = fresh('args');
      const { engine } = await open(schema, false);
      for (const call of [
        () => engine.waitForOutcome('', 'x'),
        () => engine.waitForOutcome(tenantId, ' '),
        () => engine.waitForOutcome(tenantId, 'x', { timeoutMs: -1 }),
        () => engine.waitForOutcome(tenantId, 'x', { pollIntervalMs: Number.NaN }),
      ]) {
        expect((await call())._unsafeUnwrapErr().kind).toBe('invalid-input');
      }
    });
  });
}
