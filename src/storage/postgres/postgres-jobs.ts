import { createHash } from 'node:crypto';
import type { EpochMs, WorkItem } from '../sync-storage.js';
import type { Queryable } from './postgres-database.js';

/*
 * The work items' graphile-worker jobs: their task, their keys, and how an item is made due (one job
 * per item, its schedule lock). Shared by the queue, the outbox's enqueue and the crash take-over.
 */

/** The prefix of graphile-worker's task for one work item (payload `{ tenantId, sourceId }`). */
export const WORK_TASK = 'fortnox_sync_work';

/**
 * graphile-worker's task identifier of the work items of the storage in `schema`
 * (`fortnox_sync_work:<schema>`, at most 82 characters of graphile-worker's 128). A runner fetches only
 * the jobs of the tasks it knows, so storages sharing one worker schema never run each other's items.
 */
export function workTask(schema: string): string {
  return `${WORK_TASK}:${schema}`;
}

/** Timing of the Postgres work queue (resolved, all set). */
export type PostgresQueueTiming = {
  /** The schema of the storage's own tables (unquoted): names its task and its job keys. */
  readonly schema: string;
  /** The schema graphile-worker keeps its jobs in (may be shared with other storages and apps). */
  readonly workerSchema: string;
  /** How long an item stays reserved for a process without a heartbeat (crash take-over after this). */
  readonly leaseMs: number;
  /** How often graphile-worker looks for jobs that became due (new jobs arrive by LISTEN/NOTIFY). */
  readonly pollIntervalMs: number;
};

/**
 * The job key of an item of the storage in `schema` (job keys are unique across graphile-worker's
 * schema, which storages may share): readable when short, a hash when it would pass the 512 allowed.
 */
export function jobKey(schema: string, item: WorkItem): string {
  const key = JSON.stringify([schema, item.tenantId, item.sourceId]);
  return key.length <= 500 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Makes `item` due at `runAt` in one statement (`schedule_item`) on `client`, alone or inside the
 * caller's transaction (its locks are then held until the caller commits), keeping an earlier time: one
 * graphile-worker job per item (`job_key`, mode `replace`), whose `run_at` becomes the earlier of the
 * pending job's and `runAt`. A per-item advisory lock makes the read-then-replace atomic. When the
 * item's job is running (locked), graphile-worker adds a new job and the running one keeps going; the
 * lease (see `startPostgresWorker`) makes the new one wait for the running one.
 */
export async function scheduleInTransaction(
  client: Queryable,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
  item: WorkItem,
  runAt: number,
): Promise<void> {
  const key = jobKey(timing.schema, item);
  await client.query(`SELECT "${timing.schema}".schedule_item($1, $2, $3, $4, $5, $6, $7)`, [
    timing.workerSchema,
    workTask(timing.schema),
    item.tenantId,
    item.sourceId,
    key,
    scheduleLock(timing, key),
    Math.trunc(runAt),
  ]);
}

/**
 * Whether `item` already has a job that waits (not picked up, not given up) and is due by `runAt`:
 * then scheduling it again changes nothing, and the engine's `schedule` right after an enqueue (which
 * added that job) costs one cheap read instead of a transaction with `add_job`. Only for a caller whose
 * own writes are committed: whoever picks that job up later starts after this call and sees them.
 * (Inside an uncommitted transaction the job could be picked up before the commit; there the job is
 * always added, see {@link scheduleInTransaction}.)
 */
export async function duePending(
  client: Queryable,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
  item: WorkItem,
  runAt: number,
): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM "${timing.workerSchema}".jobs
     WHERE key = $1 AND task_identifier = $2 AND locked_at IS NULL AND attempts < max_attempts
       AND run_at <= to_timestamp($3::float8 / 1000)`,
    [jobKey(timing.schema, item), workTask(timing.schema), Math.trunc(runAt)],
  );
  return rows.length > 0;
}

/** The advisory lock key under which an item's job is read and replaced (see scheduleInTransaction). */
export function scheduleLock(
  timing: Pick<PostgresQueueTiming, 'workerSchema'>,
  key: string,
): string {
  return `fortnox-sync:schedule:${timing.workerSchema}:${key}`;
}

/** How many items one statement of {@link scheduleMissing} takes. */
const MISSING_CHUNK = 500;

/**
 * `schedule` for each item, skipping one being handled: a live lease, or a job graphile-worker has
 * locked (fetched into a process's local queue, about to run); and, as `schedule` does, one whose
 * waiting job is due by its time. One statement per 500 items, their schedule locks taken in sorted
 * order (as the take-over takes them: the function scan keeps the arrays' order). For the engine's start in every process (see
 * `WorkQueue.scheduleMissing`).
 */
export async function scheduleMissing(
  client: Queryable,
  timing: Pick<PostgresQueueTiming, 'schema' | 'workerSchema'>,
  items: readonly (WorkItem & { readonly runAt: EpochMs })[],
): Promise<void> {
  const rows = items
    .map((item) => {
      const key = jobKey(timing.schema, item);
      return { ...item, key, lock: scheduleLock(timing, key) };
    })
    .sort((a, b) => (a.lock < b.lock ? -1 : a.lock > b.lock ? 1 : 0));
  const s = `"${timing.schema}"`;
  const w = `"${timing.workerSchema}"`;
  for (let start = 0; start < rows.length; start += MISSING_CHUNK) {
    const chunk = rows.slice(start, start + MISSING_CHUNK);
    await client.query(
      `SELECT ${s}.schedule_item($1, $2, i.tenant, i.source, i.key, i.lock, i.run_at)
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::float8[])
         AS i(tenant, source, key, lock, run_at)
       WHERE NOT EXISTS (SELECT 1 FROM ${s}.work_leases AS l
           WHERE l.tenant_id = i.tenant AND l.source_id = i.source AND l.lease_until >= now())
         AND NOT EXISTS (SELECT 1 FROM ${w}.jobs AS j
           WHERE j.key = i.key AND j.task_identifier = $2 AND (j.locked_at IS NOT NULL
             OR (j.attempts < j.max_attempts AND j.run_at <= to_timestamp(i.run_at / 1000))))`,
      [
        timing.workerSchema,
        workTask(timing.schema),
        chunk.map((row) => row.tenantId),
        chunk.map((row) => row.sourceId),
        chunk.map((row) => row.key),
        chunk.map((row) => row.lock),
        chunk.map((row) => Math.trunc(row.runAt)),
      ],
    );
  }
}
