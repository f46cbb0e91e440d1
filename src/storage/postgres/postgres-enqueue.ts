import { readOutboxEntry, StoredCustomerSchema } from '../sqlite/sqlite-rows.js';
import { StorageError } from '../storage-error.js';
import type { OutboxChange, OutboxEntry } from '../sync-storage.js';
import { batchValues, createGroupCommit, refusedByServer } from './group-commit.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';
import { jobKey, type PostgresQueueTiming, scheduleLock, workTask } from './postgres-jobs.js';

export const OUTBOX_COLUMNS = `tenant_id, source_id, operation, customer, version::float8 AS version, state,
  attempts, not_before::float8 AS not_before, create_attempted::int AS create_attempted,
  create_attempted_at::float8 AS create_attempted_at, last_error,
  skip_matching::int AS skip_matching, enqueued_at::float8 AS enqueued_at,
  updated_at::float8 AS updated_at`;

/** The most saves one batch writes, and how many batches are written at once. */
export const ENQUEUE_BATCH = { max: 256, inFlight: 2 } as const;

/** A save waiting for its batch: the change and its stored customer text. */
type Save = {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly change: OutboxChange;
  readonly customer: string | null;
  readonly now: number;
  readonly key: string;
};

/** The adapter's own enqueue, batched (see {@link createEnqueueBatcher}). */
export type EnqueueBatcher = {
  /** Coalesces `change` into the customer's entry and makes its item due; the stored entry. */
  enqueue(
    tenantId: string,
    sourceId: string,
    change: OutboxChange,
    customer: string | null,
    now: number,
  ): Promise<OutboxEntry>;
  /**
   * Refuses saves from now on (`StorageError` `closed`) and resolves once every save given before it
   * is written (or has failed).
   */
  close(): Promise<void>;
};

/**
 * The outbox's own `enqueue` (not a host's transaction) as group commit (see `createGroupCommit`):
 * the saves that arrive together are written in one statement (`enqueue_changes_alone`, migration 8)
 * and so one transaction, one `add_jobs` and one `NOTIFY`. Each save gets its own entry back, as if
 * alone; a batch Postgres refuses is written again one save at a time. A save alone goes by
 * `enqueue_change_alone` (migration 7, same parameters, one value each): the batch function's loop and
 * array handling cost one save about a sixth more Postgres CPU.
 */
export function createEnqueueBatcher(
  database: Pick<PostgresDatabase, 'direct' | 'schema' | 'ready'>,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
): EnqueueBatcher {
  const { direct: client, schema: s } = database;
  const group = createGroupCommit<Save, OutboxEntry>({
    ...ENQUEUE_BATCH,
    ready: database.ready,
    retryAlone: refusedByServer,
    async write(batch) {
      const { alone, values } = batchValues(batch);
      const { rows } = await client.query(
        `SELECT ${OUTBOX_COLUMNS} FROM ${s}.${alone ? 'enqueue_change_alone' : 'enqueue_changes_alone'}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          values(({ input }) => input.tenantId),
          values(({ input }) => input.sourceId),
          values(({ input }) => input.change.operation),
          values(({ input }) => input.customer),
          values(({ input }) => input.now),
          values(({ input }) => skipFlags(input.change).skip),
          values(({ input }) => skipFlags(input.change).explicitSkip),
          timing.workerSchema,
          workTask(timing.schema),
          values(({ input }) => input.key),
          values(({ lock }) => lock),
          Math.trunc(Date.now()),
        ],
      );
      // One row per save, in the order given, each validated: a damaged row fails its own save.
      for (const [index, piece] of batch.entries()) {
        try {
          if (rows[index] === undefined || rows.length !== batch.length) {
            throw new StorageError(
              'corrupt-row',
              `Enqueueing ${batch.length} changes answered ${rows.length} outbox rows`,
              { store: 'outbox' },
            );
          }
          piece.resolve(readOutboxEntry(rows[index]));
        } catch (error) {
          piece.reject(error);
        }
      }
    },
  });
  return {
    enqueue(tenantId, sourceId, change, customer, now) {
      const key = jobKey(timing.schema, { tenantId, sourceId });
      return group.submit(
        { tenantId, sourceId, change, customer, now, key },
        scheduleLock(timing, key),
      );
    },
    close: () => group.close(),
  };
}

/** The stored text of a change's customer (validated), or `null` (a delete without one). */
export function changeCustomerText(change: OutboxChange): string | null {
  // A delete carries the customer only to reconcile a create that may have reached Fortnox.
  return change.customer == null ? null : customerText(change.customer);
}

/**
 * Coalesces `change` into the customer's entry and adds its job, in one statement on `client`, inside
 * a transaction the caller opened and commits (`enqueueCustomerSaved`, in the host's): always a job,
 * since marking a live lease would lock its row until the host commits. `customer` is
 * {@link changeCustomerText} of the change. Returns the stored entry.
 */
export async function enqueueChangeInHostTransaction(
  client: Queryable,
  s: string,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
  tenantId: string,
  sourceId: string,
  change: OutboxChange,
  customer: string | null,
  now: number,
): Promise<OutboxEntry> {
  const { skip, explicitSkip } = skipFlags(change);
  // One statement (enqueue_change, migration 5): concurrent enqueues of one customer serialise on its
  // row, and the job is added under the item's schedule lock.
  const key = jobKey(timing.schema, { tenantId, sourceId });
  const { rows } = await client.query(
    `SELECT ${OUTBOX_COLUMNS} FROM ${s}.enqueue_change($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
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

/** Whether an enqueue sets the entry's `skipMatching` (`explicitSkip`), and to what (`skip`). */
function skipFlags(change: OutboxChange): { skip: boolean; explicitSkip: boolean } {
  return {
    skip: change.operation === 'upsert' && change.skipMatching === true,
    explicitSkip: change.operation === 'upsert' && change.skipMatching !== undefined,
  };
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
