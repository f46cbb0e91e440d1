import { StorageError } from '../storage-error.js';
import type { OutboxEntry, OutboxState, OutboxStore } from '../sync-storage.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { readOutboxEntry, StoredCustomerSchema, storedErrorText } from './sqlite-rows.js';
import { putLink } from './sqlite-stores.js';
import { scheduleWorkItem } from './sqlite-work-queue.js';

/** Options of {@link createSqliteOutboxStore}. */
export type SqliteOutboxOptions = {
  /** Called after an enqueue made an item due, to wake this process's queue at once. */
  readonly onDue: () => void;
};

const STATES: readonly OutboxState[] = ['pending', 'failed', 'needs-decision'];

/** The outbox in the `outbox` table; an enqueue also makes the item due in `work_items`. */
export function createSqliteOutboxStore(
  database: SqliteDatabase,
  options: SqliteOutboxOptions,
): OutboxStore {
  const select = (tenantId: string, sourceId: string): OutboxEntry | undefined => {
    const row = database
      .statement('SELECT * FROM outbox WHERE tenant_id = ? AND source_id = ?')
      .get(tenantId, sourceId);
    return row === undefined ? undefined : readOutboxEntry(row);
  };
  const nextVersion = (): number => {
    // One counter for the whole file, so a re-created entry never reuses an old entry's version.
    const row = database
      .statement('UPDATE outbox_versions SET last = last + 1 WHERE id = 1 RETURNING last')
      .get() as { last: number };
    return Number(row.last);
  };

  return {
    // `work_items` is written in enqueue's own transaction: the engine need not schedule it again.
    enqueueMakesDue: true,

    async enqueue(tenantId, sourceId, change, now) {
      const entry = database.transaction(() => {
        const existing = select(tenantId, sourceId);
        // A delete carries the customer only to reconcile a create that may have reached Fortnox.
        const customer = change.customer == null ? null : customerText(change.customer);
        const skipMatching =
          change.operation === 'upsert' && change.skipMatching !== undefined
            ? change.skipMatching
            : (existing?.skipMatching ?? false);
        database
          .statement(
            `INSERT INTO outbox (tenant_id, source_id, operation, customer, version, state, attempts,
               not_before, create_attempted, last_error, skip_matching, enqueued_at, updated_at)
             VALUES ($tenant, $source, $operation, $customer, $version, 'pending', 0, $now, 0, NULL,
               $skip, $now, $now)
             ON CONFLICT (tenant_id, source_id) DO UPDATE SET operation = excluded.operation,
               customer = excluded.customer, version = excluded.version, state = 'pending',
               attempts = 0, not_before = excluded.not_before, last_error = NULL,
               skip_matching = excluded.skip_matching, updated_at = excluded.updated_at`,
          )
          .run({
            $tenant: tenantId,
            $source: sourceId,
            $operation: change.operation,
            $customer: customer,
            $version: nextVersion(),
            $now: now,
            $skip: skipMatching ? 1 : 0,
          });
        // Same transaction: a crash between enqueue and the engine's schedule loses nothing.
        scheduleWorkItem(database, { tenantId, sourceId }, Date.now());
        return select(tenantId, sourceId) as OutboxEntry;
      });
      options.onDue();
      return entry;
    },

    async get(tenantId, sourceId) {
      return select(tenantId, sourceId);
    },

    async update(tenantId, sourceId, version, patch, now) {
      return database.transaction(() => {
        const existing = select(tenantId, sourceId);
        if (existing === undefined) return false;
        if (existing.version !== version) {
          // A POST that may have been sent is never forgotten; `create_attempted_at` tells when.
          if (patch.createAttempted === true) {
            database
              .statement(
                `UPDATE outbox SET create_attempted = 1, create_attempted_at = $now, updated_at = $now
                 WHERE tenant_id = $tenant AND source_id = $source`,
              )
              .run({ $now: now, $tenant: tenantId, $source: sourceId });
          }
          return false;
        }
        const next = { ...existing, ...definedOnly(patch) };
        // Each write of createAttempted: true is a new attempt (its own moment); false clears it.
        const attemptedAt =
          patch.createAttempted === undefined
            ? existing.createAttemptedAt
            : patch.createAttempted
              ? now
              : null;
        database
          .statement(
            `UPDATE outbox SET state = ?, attempts = ?, not_before = ?, create_attempted = ?,
               create_attempted_at = ?, last_error = ?, skip_matching = ?, updated_at = ?
             WHERE tenant_id = ? AND source_id = ?`,
          )
          .run(
            next.state,
            next.attempts,
            next.notBefore,
            next.createAttempted ? 1 : 0,
            attemptedAt,
            storedErrorText(next.lastError),
            next.skipMatching ? 1 : 0,
            now,
            tenantId,
            sourceId,
          );
        return true;
      });
    },

    async complete(tenantId, sourceId, version, link, now) {
      if (link !== null && (link.tenantId !== tenantId || link.sourceId !== sourceId)) {
        throw new StorageError(
          'invalid-argument',
          'outbox.complete was given the link of another customer',
          { store: 'outbox' },
        );
      }
      return database.transaction(() => {
        if (link !== null) putLink(database, link);
        const removed = database
          .statement('DELETE FROM outbox WHERE tenant_id = ? AND source_id = ? AND version = ?')
          .run(tenantId, sourceId, version);
        if (Number(removed.changes) > 0) return 'done' as const;
        const existing = select(tenantId, sourceId);
        if (existing === undefined) return 'done' as const;
        database
          .statement(
            `UPDATE outbox SET state = 'pending', not_before = $now, updated_at = $now,
               create_attempted = CASE WHEN $linked THEN 0 ELSE create_attempted END,
               create_attempted_at = CASE WHEN $linked THEN NULL ELSE create_attempted_at END,
               skip_matching = CASE WHEN $linked THEN 0 ELSE skip_matching END
             WHERE tenant_id = $tenant AND source_id = $source`,
          )
          .run({ $now: now, $linked: link !== null ? 1 : 0, $tenant: tenantId, $source: sourceId });
        return 'superseded' as const;
      });
    },

    async remove(tenantId, sourceId) {
      const result = database
        .statement('DELETE FROM outbox WHERE tenant_id = ? AND source_id = ?')
        .run(tenantId, sourceId);
      return Number(result.changes) > 0;
    },

    async list(tenantId, filter) {
      const rows =
        filter?.state === undefined
          ? database
              .statement('SELECT * FROM outbox WHERE tenant_id = ? ORDER BY enqueued_at, version')
              .all(tenantId)
          : database
              .statement(
                'SELECT * FROM outbox WHERE tenant_id = ? AND state = ? ORDER BY enqueued_at, version',
              )
              .all(tenantId, filter.state);
      return rows.map(readOutboxEntry);
    },

    async countByState(tenantId) {
      const counts: Record<OutboxState, number> = { pending: 0, failed: 0, 'needs-decision': 0 };
      const rows = database
        .statement('SELECT state, count(*) AS n FROM outbox WHERE tenant_id = ? GROUP BY state')
        .all(tenantId) as { state: string; n: number }[];
      for (const row of rows) {
        if (!STATES.includes(row.state as OutboxState)) {
          throw new StorageError(
            'corrupt-row',
            `A stored outbox row of tenant ${tenantId} has an unknown state`,
            {
              store: 'outbox',
            },
          );
        }
        counts[row.state as OutboxState] = Number(row.n);
      }
      return counts;
    },
  };
}

function customerText(customer: unknown): string {
  if (!StoredCustomerSchema.safeParse(customer).success) {
    throw new StorageError(
      'invalid-argument',
      'outbox.enqueue was given a customer that is not an object with a string id',
      {
        store: 'outbox',
      },
    );
  }
  return JSON.stringify(customer);
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
