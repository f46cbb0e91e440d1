import {
  readCheckpoint,
  readDecision,
  readLink,
  readTenant,
  storedErrorText,
} from '../sqlite/sqlite-rows.js';
import { linkConflict, StorageError } from '../storage-error.js';
import type {
  CheckpointStore,
  CustomerLink,
  DecisionRecord,
  DecisionStore,
  LinkStore,
  TenantStore,
} from '../sync-storage.js';
import { databaseError, type PostgresDatabase, type Queryable } from './postgres-database.js';
import { LINKS_ONE_SOURCE_PER_CUSTOMER } from './postgres-migrations.js';

// The row readers validate rows shaped as the SQLite adapter stores them (epoch ms as numbers, flags as
// 0/1, JSON as text); these column lists give Postgres rows that shape.
export const TENANT_COLUMNS = 'tenant_id, connection, reason, updated_at::float8 AS updated_at';
export const LINK_COLUMNS =
  'tenant_id, source_id, customer_number, fingerprint, origin, synced_at::float8 AS synced_at';
export const DECISION_COLUMNS =
  'tenant_id, source_id, candidates, asked_at::float8 AS asked_at, resolution, resolved_at::float8 AS resolved_at, resolved_by';

/** Runs `work`, turning a database failure into a `StorageError` `database` (a `StorageError` passes). */
export async function guarded<T>(
  store: string,
  action: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw databaseError(action, error, store);
  }
}

/** Tenants in the `tenants` table. */
export function createPostgresTenantStore(database: PostgresDatabase): TenantStore {
  const { schema: s } = database;
  return {
    get: (tenantId) =>
      guarded('tenants', 'read a tenant', async () => {
        const rows = await database.query(
          `SELECT ${TENANT_COLUMNS} FROM ${s}.tenants WHERE tenant_id = $1`,
          [tenantId],
        );
        return rows[0] === undefined ? undefined : readTenant(rows[0]);
      }),
    put: (record) =>
      guarded('tenants', 'write a tenant', async () => {
        await database.query(
          `INSERT INTO ${s}.tenants (tenant_id, connection, reason, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id) DO UPDATE SET connection = excluded.connection,
             reason = excluded.reason, updated_at = excluded.updated_at`,
          [record.tenantId, record.connection, storedErrorText(record.reason), record.updatedAt],
        );
      }),
    list: () =>
      guarded('tenants', 'list the tenants', async () => {
        const rows = await database.query(
          `SELECT ${TENANT_COLUMNS} FROM ${s}.tenants ORDER BY tenant_id`,
        );
        return rows.map(readTenant);
      }),
  };
}

/**
 * Writes a link (inside the caller's transaction when `client` is one). Another source id of the
 * tenant holding the customer number: the unique index refuses the write, and this rejects with
 * `link-conflict` (a caller's transaction is then rolled back whole).
 */
export async function putLink(
  client: Queryable,
  schema: string,
  link: CustomerLink,
): Promise<void> {
  try {
    await writeLink(client, schema, link);
  } catch (error) {
    if (isUniqueViolation(error, LINKS_ONE_SOURCE_PER_CUSTOMER)) throw linkConflict();
    throw error;
  }
}

/** Whether `error` is Postgres refusing a row by the unique index or constraint `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && violated === constraint;
}

async function writeLink(client: Queryable, schema: string, link: CustomerLink): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.links (tenant_id, source_id, customer_number, fingerprint, origin, synced_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, source_id) DO UPDATE SET customer_number = excluded.customer_number,
       fingerprint = excluded.fingerprint, origin = excluded.origin, synced_at = excluded.synced_at`,
    [
      link.tenantId,
      link.sourceId,
      link.customerNumber,
      link.fingerprint,
      link.origin,
      link.syncedAt,
    ],
  );
}

/** Links in the `links` table. */
export function createPostgresLinkStore(database: PostgresDatabase): LinkStore {
  const { schema: s } = database;
  return {
    get: (tenantId, sourceId) =>
      guarded('links', 'read a link', async () => {
        const rows = await database.query(
          `SELECT ${LINK_COLUMNS} FROM ${s}.links WHERE tenant_id = $1 AND source_id = $2`,
          [tenantId, sourceId],
        );
        return rows[0] === undefined ? undefined : readLink(rows[0]);
      }),
    getByCustomerNumber: (tenantId, customerNumber) =>
      guarded('links', 'read a link', async () => {
        const rows = await database.query(
          `SELECT ${LINK_COLUMNS} FROM ${s}.links WHERE tenant_id = $1 AND customer_number = $2
           ORDER BY source_id LIMIT 1`,
          [tenantId, customerNumber],
        );
        return rows[0] === undefined ? undefined : readLink(rows[0]);
      }),
    put: (link) =>
      guarded('links', 'write a link', async () => {
        await database.ready();
        await putLink(database.direct, s, link);
      }),
    delete: (tenantId, sourceId) =>
      guarded('links', 'delete a link', async () => {
        const rows = await database.query(
          `DELETE FROM ${s}.links WHERE tenant_id = $1 AND source_id = $2 RETURNING 1`,
          [tenantId, sourceId],
        );
        return rows.length > 0;
      }),
    list: (tenantId) =>
      guarded('links', 'list links', async () => {
        const rows = await database.query(
          `SELECT ${LINK_COLUMNS} FROM ${s}.links WHERE tenant_id = $1 ORDER BY source_id`,
          [tenantId],
        );
        return rows.map(readLink);
      }),
    count: (tenantId) =>
      guarded('links', 'count links', async () => {
        const rows = await database.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${s}.links WHERE tenant_id = $1`,
          [tenantId],
        );
        return rows[0]?.n ?? 0;
      }),
  };
}

/** Duplicate decisions in the `decisions` table. */
export function createPostgresDecisionStore(database: PostgresDatabase): DecisionStore {
  const { schema: s } = database;
  const select = async (
    client: Queryable,
    tenantId: string,
    sourceId: string,
    forUpdate: boolean,
  ): Promise<DecisionRecord | undefined> => {
    const { rows } = await client.query(
      `SELECT ${DECISION_COLUMNS} FROM ${s}.decisions WHERE tenant_id = $1 AND source_id = $2
       ${forUpdate ? 'FOR UPDATE' : ''}`,
      [tenantId, sourceId],
    );
    return rows[0] === undefined ? undefined : readDecision(rows[0]);
  };
  return {
    get: (tenantId, sourceId) =>
      guarded('decisions', 'read a decision', async () => {
        await database.ready();
        return select(database.direct, tenantId, sourceId, false);
      }),
    ask: (record) =>
      guarded('decisions', 'record a decision', () =>
        database.transaction(async (client) => {
          // Asked again while pending: fresh candidates, as old as the first question; settled: kept.
          await client.query(
            `INSERT INTO ${s}.decisions (tenant_id, source_id, candidates, asked_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant_id, source_id) DO UPDATE SET candidates = excluded.candidates
               WHERE decisions.resolution IS NULL`,
            [record.tenantId, record.sourceId, JSON.stringify(record.candidates), record.askedAt],
          );
          return (await select(client, record.tenantId, record.sourceId, false)) as DecisionRecord;
        }),
      ),
    settle: (tenantId, sourceId, resolution, resolvedBy, now) =>
      guarded('decisions', 'settle a decision', () =>
        database.transaction(async (client) => {
          const existing = await select(client, tenantId, sourceId, true);
          if (existing === undefined || existing.resolution !== null) return existing;
          const stored = 'use' in resolution ? { use: resolution.use } : { createNew: true };
          await client.query(
            `UPDATE ${s}.decisions SET resolution = $1, resolved_at = $2, resolved_by = $3
             WHERE tenant_id = $4 AND source_id = $5`,
            [JSON.stringify(stored), now, resolvedBy, tenantId, sourceId],
          );
          return select(client, tenantId, sourceId, false);
        }),
      ),
    list: (tenantId, filter) =>
      guarded('decisions', 'list decisions', async () => {
        const pending = filter?.pending;
        const condition =
          pending === undefined
            ? ''
            : pending
              ? 'AND resolution IS NULL'
              : 'AND resolution IS NOT NULL';
        const rows = await database.query(
          `SELECT ${DECISION_COLUMNS} FROM ${s}.decisions WHERE tenant_id = $1 ${condition}
           ORDER BY asked_at, source_id`,
          [tenantId],
        );
        return rows.map(readDecision);
      }),
  };
}

/** Checkpoints in the `checkpoints` table, as JSON text. */
export function createPostgresCheckpointStore(database: PostgresDatabase): CheckpointStore {
  const { schema: s } = database;
  return {
    get: (tenantId, key) =>
      guarded('checkpoints', 'read a checkpoint', async () => {
        const rows = await database.query(
          `SELECT value FROM ${s}.checkpoints WHERE tenant_id = $1 AND key = $2`,
          [tenantId, key],
        );
        return rows[0] === undefined ? undefined : readCheckpoint(rows[0], tenantId, key);
      }),
    put: (tenantId, key, value) =>
      guarded('checkpoints', 'write a checkpoint', async () => {
        const text = JSON.stringify(value);
        if (text === undefined) {
          throw new StorageError('invalid-argument', `Checkpoint ${key} is not JSON-serialisable`, {
            store: 'checkpoints',
          });
        }
        await database.query(
          `INSERT INTO ${s}.checkpoints (tenant_id, key, value) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value`,
          [tenantId, key, text],
        );
      }),
    delete: (tenantId, key) =>
      guarded('checkpoints', 'delete a checkpoint', async () => {
        await database.query(`DELETE FROM ${s}.checkpoints WHERE tenant_id = $1 AND key = $2`, [
          tenantId,
          key,
        ]);
      }),
  };
}
