import { readOutboxEntry, storedErrorText } from '../sqlite/sqlite-rows.js';
import { linkConflict, StorageError } from '../storage-error.js';
import type { OutboxState, OutboxStore } from '../sync-storage.js';
import type { PostgresDatabase } from './postgres-database.js';
import { changeCustomerText, type EnqueueBatcher, OUTBOX_COLUMNS } from './postgres-enqueue.js';
import { LINKS_ONE_SOURCE_PER_CUSTOMER } from './postgres-migrations.js';
import { guarded, isUniqueViolation } from './postgres-stores.js';

const STATES: readonly OutboxState[] = ['pending', 'failed', 'needs-decision'];

/**
 * The outbox in the `outbox` table. An enqueue adds (or brings forward) the item's graphile-worker job
 * in the same transaction (a transactional outbox): a crash between enqueue and schedule loses nothing.
 * Enqueues go through `batcher` (saves that arrive together share one transaction).
 */
export function createPostgresOutboxStore(
  database: PostgresDatabase,
  batcher: EnqueueBatcher,
): OutboxStore {
  const { schema: s } = database;
  return {
    // The job is added in enqueue's own transaction: the engine need not schedule it again.
    enqueueMakesDue: true,
    enqueue: (tenantId, sourceId, change, now) =>
      guarded('outbox', 'enqueue a change', async () => {
        const customer = changeCustomerText(change);
        // Handed to the batcher at once (it waits for the migrations), so that `close` writes it.
        database.assertOpen();
        // Its own transaction, with the saves that came meanwhile (the outbox row and the job, or
        // the lease's rerun mark, commit together).
        return batcher.enqueue(tenantId, sourceId, change, customer, now);
      }),

    get: (tenantId, sourceId) =>
      guarded('outbox', 'read an outbox entry', async () => {
        await database.ready();
        const { rows } = await database.direct.query(
          `SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE tenant_id = $1 AND source_id = $2`,
          [tenantId, sourceId],
        );
        return rows[0] === undefined ? undefined : readOutboxEntry(rows[0]);
      }),

    update: (tenantId, sourceId, version, patch, now) =>
      guarded('outbox', 'update an outbox entry', async () => {
        await database.ready();
        // One statement, locking the row as it writes. The patch applies to the given version only;
        // a POST that may have been sent is never forgotten, whatever the version (a stale patch
        // writes only that, with its moment: the engine waits `createSettleMs` from
        // `create_attempted_at`). Each write of createAttempted: true is a new attempt (its own
        // moment); false clears it. A missing entry, or a stale patch without an attempt, writes
        // nothing: false.
        const { rows } = await database.direct.query<{ applied: boolean }>(
          `UPDATE ${s}.outbox AS o SET
             state = CASE WHEN o.version = $3 THEN coalesce($4::text, o.state) ELSE o.state END,
             attempts = CASE WHEN o.version = $3 THEN coalesce($5::integer, o.attempts)
                        ELSE o.attempts END,
             not_before = CASE WHEN o.version = $3 THEN coalesce($6::bigint, o.not_before)
                          ELSE o.not_before END,
             create_attempted = CASE WHEN $7::boolean IS TRUE THEN true
                                     WHEN o.version = $3 THEN coalesce($7::boolean, o.create_attempted)
                                     ELSE o.create_attempted END,
             create_attempted_at = CASE WHEN $7::boolean IS TRUE THEN $11::bigint
                                        WHEN o.version = $3 AND $7::boolean IS FALSE THEN NULL
                                        ELSE o.create_attempted_at END,
             last_error = CASE WHEN o.version = $3 AND $8::boolean THEN $9::text
                          ELSE o.last_error END,
             skip_matching = CASE WHEN o.version = $3 THEN coalesce($10::boolean, o.skip_matching)
                             ELSE o.skip_matching END,
             updated_at = $11::bigint
           WHERE o.tenant_id = $1 AND o.source_id = $2 AND (o.version = $3 OR $7::boolean IS TRUE)
           RETURNING o.version = $3 AS applied`,
          [
            tenantId,
            sourceId,
            version,
            patch.state ?? null,
            patch.attempts ?? null,
            patch.notBefore ?? null,
            patch.createAttempted ?? null,
            patch.lastError !== undefined,
            patch.lastError === undefined ? null : storedErrorText(patch.lastError),
            patch.skipMatching ?? null,
            now,
          ],
        );
        return rows[0]?.applied === true;
      }),

    complete: (tenantId, sourceId, version, link, now) =>
      guarded('outbox', 'complete an outbox entry', async () => {
        if (link !== null && (link.tenantId !== tenantId || link.sourceId !== sourceId)) {
          throw new StorageError(
            'invalid-argument',
            'outbox.complete was given the link of another customer',
            { store: 'outbox' },
          );
        }
        await database.ready();
        try {
          const { rows } = await database.direct.query<{ outcome: string }>(
            `SELECT ${s}.complete_entry($1, $2, $3, $4, $5, $6, $7, $8, $9) AS outcome`,
            [
              tenantId,
              sourceId,
              version,
              link !== null,
              link?.customerNumber ?? null,
              link?.fingerprint ?? null,
              link?.origin ?? null,
              link?.syncedAt ?? null,
              now,
            ],
          );
          return rows[0]?.outcome === 'superseded' ? ('superseded' as const) : ('done' as const);
        } catch (error) {
          // Another source id of the tenant holds the customer number: nothing was written.
          if (isUniqueViolation(error, LINKS_ONE_SOURCE_PER_CUSTOMER)) throw linkConflict();
          throw error;
        }
      }),

    remove: (tenantId, sourceId) =>
      guarded('outbox', 'remove an outbox entry', async () => {
        const rows = await database.query(
          `DELETE FROM ${s}.outbox WHERE tenant_id = $1 AND source_id = $2 RETURNING 1`,
          [tenantId, sourceId],
        );
        return rows.length > 0;
      }),

    list: (tenantId, filter) =>
      guarded('outbox', 'list outbox entries', async () => {
        const rows =
          filter?.state === undefined
            ? await database.query(
                `SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE tenant_id = $1
                 ORDER BY enqueued_at, version`,
                [tenantId],
              )
            : await database.query(
                `SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE tenant_id = $1 AND state = $2
                 ORDER BY enqueued_at, version`,
                [tenantId, filter.state],
              );
        return rows.map(readOutboxEntry);
      }),

    countByState: (tenantId) =>
      guarded('outbox', 'count outbox entries', async () => {
        const counts: Record<OutboxState, number> = { pending: 0, failed: 0, 'needs-decision': 0 };
        const rows = await database.query<{ state: string; n: number }>(
          `SELECT state, count(*)::int AS n FROM ${s}.outbox WHERE tenant_id = $1 GROUP BY state`,
          [tenantId],
        );
        for (const row of rows) {
          if (!STATES.includes(row.state as OutboxState)) {
            throw new StorageError(
              'corrupt-row',
              `A stored outbox row of tenant ${tenantId} has an unknown state`,
              { store: 'outbox' },
            );
          }
          counts[row.state as OutboxState] = row.n;
        }
        return counts;
      }),
  };
}
