import { readOutboxEntry, StoredCustomerSchema } from '../sqlite/sqlite-rows.js';
import { StorageError } from '../storage-error.js';
import type { OutboxChange, OutboxEntry } from '../sync-storage.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';
import { jobKey, type PostgresQueueTiming, scheduleLock, workTask } from './postgres-jobs.js';

export const OUTBOX_COLUMNS = `tenant_id, source_id, operation, customer, version::float8 AS version, state,
  attempts, not_before::float8 AS not_before, create_attempted::int AS create_attempted,
  create_attempted_at::float8 AS create_attempted_at, last_error,
  skip_matching::int AS skip_matching, enqueued_at::float8 AS enqueued_at,
  updated_at::float8 AS updated_at`;

/** The most saves one batch writes, and how many batches are written at once. */
export const ENQUEUE_BATCH = { max: 256, inFlight: 2 } as const;

/** One save waiting for its batch: the change, its stored customer text, and its caller's promise. */
type Waiting = {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly change: OutboxChange;
  readonly customer: string | null;
  readonly now: number;
  readonly key: string;
  readonly lock: string;
  readonly resolve: (entry: OutboxEntry) => void;
  readonly reject: (error: unknown) => void;
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
 * The outbox's own `enqueue` (not a host's transaction), as group commit: a save is written at once
 * when fewer than {@link ENQUEUE_BATCH}`.inFlight` batches are being written, and otherwise waits
 * for one of them and goes with every save that arrived meanwhile (at most `max`), in one statement
 * (`enqueue_changes_alone`, migration 8) and so one transaction, one `add_jobs` and one `NOTIFY`.
 * Postgres serialises the commits of transactions that notify: a job per save in its own transaction
 * capped saves at a few thousand a second on any number of cores, and batching lifts that cap with
 * the load, at no wait when saves are few.
 *
 * Each save gets its own entry back, as if alone. A batch that fails (a deadlock with a host's
 * transaction, a value Postgres refuses) is written again one save at a time, so one bad save fails
 * alone and the others are written; a database that cannot be reached fails each save.
 */
export function createEnqueueBatcher(
  database: Pick<PostgresDatabase, 'direct' | 'schema' | 'ready'>,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
): EnqueueBatcher {
  const { direct: client, schema: s } = database;
  const waiting: Waiting[] = [];
  let inFlight = 0;
  let idle: (() => void)[] = [];
  let closed = false;

  /**
   * Writes `batch` in one statement and settles each save with its own row. A save alone goes by
   * `enqueue_change_alone` (migration 7, same parameters, one value each): the batch function's
   * loop and array handling cost one save about a sixth more Postgres CPU.
   */
  const write = async (batch: readonly Waiting[]): Promise<void> => {
    const alone = batch.length === 1 ? batch[0] : undefined;
    const values = <T>(pick: (save: Waiting) => T): T | T[] =>
      alone === undefined ? batch.map(pick) : pick(alone);
    const { rows } = await client.query(
      `SELECT ${OUTBOX_COLUMNS} FROM ${s}.${alone === undefined ? 'enqueue_changes_alone' : 'enqueue_change_alone'}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        values((save) => save.tenantId),
        values((save) => save.sourceId),
        values((save) => save.change.operation),
        values((save) => save.customer),
        values((save) => save.now),
        values((save) => skipFlags(save.change).skip),
        values((save) => skipFlags(save.change).explicitSkip),
        timing.workerSchema,
        workTask(timing.schema),
        values((save) => save.key),
        values((save) => save.lock),
        Math.trunc(Date.now()),
      ],
    );
    // One row per save, in the order given, each validated: a damaged row fails its own save.
    for (const [index, save] of batch.entries()) {
      try {
        if (rows[index] === undefined || rows.length !== batch.length) {
          throw new StorageError(
            'corrupt-row',
            `Enqueueing ${batch.length} changes answered ${rows.length} outbox rows`,
            { store: 'outbox' },
          );
        }
        save.resolve(readOutboxEntry(rows[index]));
      } catch (error) {
        save.reject(error);
      }
    }
  };

  const run = async (batch: readonly Waiting[]): Promise<void> => {
    try {
      await database.ready();
      await write(batch);
    } catch (error) {
      if (batch.length === 1 || !refusedByServer(error)) {
        for (const save of batch) save.reject(error);
        return;
      }
      // Nothing of the batch was written (one statement, refused): each save alone, so that only a
      // save that fails by itself fails.
      for (const save of batch) await write([save]).catch((alone: unknown) => save.reject(alone));
    }
  };

  const next = (): void => {
    while (inFlight < ENQUEUE_BATCH.inFlight && waiting.length > 0) {
      // Ordered by schedule lock (as the take-over and scheduleMissing take them), a customer's saves
      // in the order they came: concurrent batches lock rows and items in one order.
      const batch = waiting
        .splice(0, ENQUEUE_BATCH.max)
        .map((save, index) => ({ save, index }))
        .sort((a, b) =>
          a.save.lock < b.save.lock ? -1 : a.save.lock > b.save.lock ? 1 : a.index - b.index,
        )
        .map(({ save }) => save);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        next();
      });
    }
    if (inFlight === 0 && waiting.length === 0) {
      const resolved = idle;
      idle = [];
      for (const resolve of resolved) resolve();
    }
  };

  return {
    enqueue(tenantId, sourceId, change, customer, now) {
      if (closed) {
        return Promise.reject(new StorageError('closed', 'The Postgres storage is closed'));
      }
      const key = jobKey(timing.schema, { tenantId, sourceId });
      return new Promise<OutboxEntry>((resolve, reject) => {
        waiting.push({
          tenantId,
          sourceId,
          change,
          customer,
          now,
          key,
          lock: scheduleLock(timing, key),
          resolve,
          reject,
        });
        next();
      });
    },
    close() {
      closed = true;
      if (inFlight === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}

/**
 * Whether Postgres refused the statement for what it wrote (a value, a constraint, a deadlock or
 * serialisation failure, a lock not had within the batch's lock_timeout, an error raised in a
 * function), as opposed to a connection or server failure,
 * which writing each save alone would only meet again, once per save.
 */
function refusedByServer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^(22|23|40|P0)[0-9A-Z]{3}$/.test(code) || code === '55P03');
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
