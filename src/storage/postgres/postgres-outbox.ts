import { readOutboxEntry, StoredCustomerSchema, storedErrorText } from '../sqlite/sqlite-rows.js';
import { linkConflict, StorageError } from '../storage-error.js';
import type { OutboxChange, OutboxEntry, OutboxState, OutboxStore } from '../sync-storage.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';
import { jobKey, type PostgresQueueTiming, scheduleLock, workTask } from './postgres-jobs.js';
import { LINKS_ONE_SOURCE_PER_CUSTOMER } from './postgres-migrations.js';
import { guarded, isUniqueViolation } from './postgres-stores.js';

export const OUTBOX_COLUMNS = `tenant_id, source_id, operation, customer, version::float8 AS version, state,
  attempts, not_before::float8 AS not_before, create_attempted::int AS create_attempted,
  create_attempted_at::float8 AS create_attempted_at, last_error,
  skip_matching::int AS skip_matching, enqueued_at::float8 AS enqueued_at,
  updated_at::float8 AS updated_at`;

const STATES: readonly OutboxState[] = ['pending', 'failed', 'needs-decision'];

/**
 * The outbox in the `outbox` table. An enqueue adds (or brings forward) the item's graphile-worker job
 * in the same transaction (a transactional outbox): a crash between enqueue and schedule loses nothing.
 */
export function createPostgresOutboxStore(
  database: PostgresDatabase,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
): OutboxStore {
  const { schema: s } = database;
  return {
    // The job is added in enqueue's own transaction: the engine need not schedule it again.
    enqueueMakesDue: true,
    enqueue: (tenantId, sourceId, change, now) =>
      guarded('outbox', 'enqueue a change', async () => {
        const customer = changeCustomerText(change);
        await database.ready();
        // One statement: its own transaction (the outbox row and the job, or the lease's rerun
        // mark, commit together).
        return enqueueInTransaction(
          database.direct,
          s,
          timing,
          tenantId,
          sourceId,
          change,
          customer,
          now,
          'alone',
        );
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

/** The stored text of a change's customer (validated), or `null` (a delete without one). */
export function changeCustomerText(change: OutboxChange): string | null {
  // A delete carries the customer only to reconcile a create that may have reached Fortnox.
  return change.customer == null ? null : customerText(change.customer);
}

/**
 * Coalesces `change` into the customer's entry and schedules its job, in one statement on `client`:
 * `alone` (its own transaction: the outbox's `enqueue`; an item being handled gets its lease marked
 * `rerun` instead of a second job, see migration 7), or `in-host-transaction` (inside a transaction
 * the caller opened and commits: `enqueueCustomerSaved` in the host's; always a job). `customer` is
 * {@link changeCustomerText} of the change. Returns the stored entry.
 */
export async function enqueueInTransaction(
  client: Queryable,
  s: string,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
  tenantId: string,
  sourceId: string,
  change: OutboxChange,
  customer: string | null,
  now: number,
  how: 'alone' | 'in-host-transaction',
): Promise<OutboxEntry> {
  const explicitSkip = change.operation === 'upsert' && change.skipMatching !== undefined;
  const skip = change.operation === 'upsert' && change.skipMatching === true;
  // One statement (enqueue_change, migration 5; enqueue_change_alone, 7): concurrent enqueues of one
  // customer serialise on its row, and the job is added under the item's schedule lock.
  const item = { tenantId, sourceId };
  const key = jobKey(timing.schema, item);
  const { rows } = await client.query(
    `SELECT ${OUTBOX_COLUMNS} FROM ${s}.${how === 'alone' ? 'enqueue_change_alone' : 'enqueue_change'}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      tenantId,
      sourceId,
      change.operation,
      customer,
      now,
      skip,
      explicitSkip,
      timing.workerSchema,
      workTask(timing.schema),
      key,
      scheduleLock(timing, key),
      Math.trunc(Date.now()),
    ],
  );
  return readOutboxEntry(rows[0]);
}

/** Kept as the host gave it (the engine parks shape errors `failed`); only an object with a string id. */
function customerText(customer: unknown): string {
  if (!StoredCustomerSchema.safeParse(customer).success) {
    throw new StorageError(
      'invalid-argument',
      'outbox.enqueue was given a customer that is not an object with a string id',
      { store: 'outbox' },
    );
  }
  return JSON.stringify(customer);
}
