import { StorageError } from '../storage-error.js';
import type {
  CheckpointStore,
  CustomerLink,
  DecisionRecord,
  DecisionStore,
  LinkStore,
  TenantStore,
} from '../sync-storage.js';
import type { SqliteDatabase } from './sqlite-database.js';
import {
  readCheckpoint,
  readDecision,
  readLink,
  readTenant,
  storedErrorText,
} from './sqlite-rows.js';

/** Tenants in the `tenants` table. */
export function createSqliteTenantStore(database: SqliteDatabase): TenantStore {
  return {
    async get(tenantId) {
      const row = database.statement('SELECT * FROM tenants WHERE tenant_id = ?').get(tenantId);
      return row === undefined ? undefined : readTenant(row);
    },
    async put(record) {
      database
        .statement(
          `INSERT INTO tenants (tenant_id, connection, reason, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (tenant_id) DO UPDATE SET connection = excluded.connection,
             reason = excluded.reason, updated_at = excluded.updated_at`,
        )
        .run(record.tenantId, record.connection, storedErrorText(record.reason), record.updatedAt);
    },
    async list() {
      return database.statement('SELECT * FROM tenants ORDER BY tenant_id').all().map(readTenant);
    },
  };
}

/** Writes a link (inside the caller's transaction when there is one). */
export function putLink(database: SqliteDatabase, link: CustomerLink): void {
  database
    .statement(
      `INSERT INTO links (tenant_id, source_id, customer_number, fingerprint, origin, synced_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, source_id) DO UPDATE SET customer_number = excluded.customer_number,
         fingerprint = excluded.fingerprint, origin = excluded.origin, synced_at = excluded.synced_at`,
    )
    .run(
      link.tenantId,
      link.sourceId,
      link.customerNumber,
      link.fingerprint,
      link.origin,
      link.syncedAt,
    );
}

/** Links in the `links` table. */
export function createSqliteLinkStore(database: SqliteDatabase): LinkStore {
  return {
    async get(tenantId, sourceId) {
      const row = database
        .statement('SELECT * FROM links WHERE tenant_id = ? AND source_id = ?')
        .get(tenantId, sourceId);
      return row === undefined ? undefined : readLink(row);
    },
    async getByCustomerNumber(tenantId, customerNumber) {
      const row = database
        .statement(
          'SELECT * FROM links WHERE tenant_id = ? AND customer_number = ? ORDER BY source_id LIMIT 1',
        )
        .get(tenantId, customerNumber);
      return row === undefined ? undefined : readLink(row);
    },
    async put(link) {
      putLink(database, link);
    },
    async delete(tenantId, sourceId) {
      const result = database
        .statement('DELETE FROM links WHERE tenant_id = ? AND source_id = ?')
        .run(tenantId, sourceId);
      return Number(result.changes) > 0;
    },
    async list(tenantId) {
      return database
        .statement('SELECT * FROM links WHERE tenant_id = ? ORDER BY source_id')
        .all(tenantId)
        .map(readLink);
    },
    async count(tenantId) {
      const row = database
        .statement('SELECT count(*) AS n FROM links WHERE tenant_id = ?')
        .get(tenantId) as { n: number };
      return Number(row.n);
    },
  };
}

/** Duplicate decisions in the `decisions` table. */
export function createSqliteDecisionStore(database: SqliteDatabase): DecisionStore {
  const select = (tenantId: string, sourceId: string): DecisionRecord | undefined => {
    const row = database
      .statement('SELECT * FROM decisions WHERE tenant_id = ? AND source_id = ?')
      .get(tenantId, sourceId);
    return row === undefined ? undefined : readDecision(row);
  };
  return {
    async get(tenantId, sourceId) {
      return select(tenantId, sourceId);
    },
    async ask(record) {
      return database.transaction(() => {
        const existing = select(record.tenantId, record.sourceId);
        if (existing !== undefined && existing.resolution !== null) return existing;
        // Asked again while pending: fresh candidates, but as old as the first question.
        database
          .statement(
            `INSERT INTO decisions (tenant_id, source_id, candidates, asked_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (tenant_id, source_id) DO UPDATE SET candidates = excluded.candidates,
               resolution = NULL, resolved_at = NULL, resolved_by = NULL`,
          )
          .run(record.tenantId, record.sourceId, JSON.stringify(record.candidates), record.askedAt);
        return select(record.tenantId, record.sourceId) as DecisionRecord;
      });
    },
    async settle(tenantId, sourceId, resolution, resolvedBy, now) {
      return database.transaction(() => {
        const existing = select(tenantId, sourceId);
        if (existing === undefined || existing.resolution !== null) return existing;
        const stored = 'use' in resolution ? { use: resolution.use } : { createNew: true };
        database
          .statement(
            `UPDATE decisions SET resolution = ?, resolved_at = ?, resolved_by = ?
             WHERE tenant_id = ? AND source_id = ?`,
          )
          .run(JSON.stringify(stored), now, resolvedBy, tenantId, sourceId);
        return select(tenantId, sourceId);
      });
    },
    async list(tenantId, filter) {
      const onlyPending = filter?.pending;
      const condition =
        onlyPending === undefined
          ? ''
          : onlyPending
            ? 'AND resolution IS NULL'
            : 'AND resolution IS NOT NULL';
      return database
        .statement(
          `SELECT * FROM decisions WHERE tenant_id = ? ${condition} ORDER BY asked_at, source_id`,
        )
        .all(tenantId)
        .map(readDecision);
    },
  };
}

/** Checkpoints in the `checkpoints` table, as JSON text. */
export function createSqliteCheckpointStore(database: SqliteDatabase): CheckpointStore {
  return {
    async get(tenantId, key) {
      const row = database
        .statement('SELECT value FROM checkpoints WHERE tenant_id = ? AND key = ?')
        .get(tenantId, key);
      return row === undefined ? undefined : readCheckpoint(row, tenantId, key);
    },
    async put(tenantId, key, value) {
      const text = JSON.stringify(value);
      if (text === undefined) {
        throw new StorageError('invalid-argument', `Checkpoint ${key} is not JSON-serialisable`, {
          store: 'checkpoints',
        });
      }
      database
        .statement(
          `INSERT INTO checkpoints (tenant_id, key, value) VALUES (?, ?, ?)
           ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value`,
        )
        .run(tenantId, key, text);
    },
    async delete(tenantId, key) {
      database
        .statement('DELETE FROM checkpoints WHERE tenant_id = ? AND key = ?')
        .run(tenantId, key);
    },
  };
}
