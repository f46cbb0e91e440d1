import type { WorkItem } from '../sync-storage.js';
import type { PostgresDatabase, Queryable } from './postgres-database.js';
import {
  jobKey,
  type PostgresQueueTiming,
  scheduleInTransaction,
  scheduleLock,
  workTask,
} from './postgres-jobs.js';

/**
 * One heartbeat of a process's work queue: renews the leases the process holds
 * (`tokens`, of its graphile-worker pools `ids`), and takes over from processes whose heartbeat
 * stopped (killed, or stalled past `leaseMs`): drops their leases, unlocks their jobs, drops the jobs
 * graphile-worker detached while they ran, and schedules every item they held again, now, so none is
 * left without a job. A lease that ran out while its process still beats was left behind (its release
 * failed, e.g. the database was away): it is dropped and its item scheduled again too. Several
 * processes may sweep at once: each skips the rows another's sweep holds.
 */
export async function renewAndTakeOver(
  database: PostgresDatabase,
  timing: PostgresQueueTiming,
  ids: readonly string[],
  tokens: readonly string[],
): Promise<void> {
  const s = database.schema;
  const w = `"${timing.workerSchema}"`;
  const leaseSeconds = timing.leaseMs / 1000;
  // The renewal commits on its own, before the sweep: the sweep may wait for schedule locks a host's
  // transaction holds, and the renewed lease rows must not stay locked meanwhile (a save marks them).
  // A process taken over while it stalled is registered again (its row was deleted).
  if (ids.length > 0) {
    await database.transaction(async (client) => {
      await client.query(
        `INSERT INTO ${s}.work_workers (worker_id, seen_at) SELECT id, now() FROM unnest($1::text[]) AS id
         ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`,
        [ids],
      );
      // A lease row another transaction holds is skipped, not waited for: its release (which may
      // wait for a host's schedule lock) is under way, or a save marks it for a moment. One missed
      // renewal is harmless (a lease lasts three heartbeats); waiting would stall every other renewal.
      await client.query(
        `UPDATE ${s}.work_leases SET lease_until = now() + make_interval(secs => $2)
         WHERE ctid IN (SELECT ctid FROM ${s}.work_leases
           WHERE worker_id = ANY($1::text[]) AND token = ANY($3::text[]) FOR UPDATE SKIP LOCKED)`,
        [ids, leaseSeconds, tokens],
      );
    });
  }
  await database.transaction(async (client) => {
    // Take over from processes that stopped beating (killed): drop their leases, unlock their jobs.
    // Rows another process's sweep holds are left to it (two sweeps would deadlock on them).
    const { rows } = await client.query<{ worker_id: string }>(
      `DELETE FROM ${s}.work_workers WHERE worker_id IN (SELECT worker_id FROM ${s}.work_workers
         WHERE seen_at < now() - make_interval(secs => $1) FOR UPDATE SKIP LOCKED)
       RETURNING worker_id`,
      [leaseSeconds],
    );
    const dead = rows.map((row) => row.worker_id);
    if (dead.length > 0) {
      const dropped = await client.query<{ tenant_id: string; source_id: string }>(
        `DELETE FROM ${s}.work_leases WHERE worker_id = ANY($1::text[])
         RETURNING tenant_id, source_id`,
        [dead],
      );
      // A job scheduled again while it ran was detached by graphile-worker (key cleared, attempts
      // spent: it never runs again); its follow-up found the lease taken and left the rerun to the
      // holder, which is dead. Those detached jobs are dropped, and every item whose lease is
      // dropped is scheduled again, now, so no item is left without a job.
      // The items' schedule locks before their jobs' rows (force_unlock_workers below), in the
      // order scheduleInTransaction takes them: the other order deadlocks with a concurrent save.
      const items = dropped.rows.map(itemOf);
      await lockSchedules(client, timing, items);
      const detached = await client.query<{ id: string }>(
        `SELECT id FROM ${w}.jobs WHERE locked_by = ANY($1::text[]) AND key IS NULL
           AND attempts >= max_attempts AND task_identifier = $2`,
        [dead, workTask(timing.schema)],
      );
      await client.query(`SELECT ${w}.force_unlock_workers($1::text[])`, [dead]);
      await client.query(`SELECT ${w}.complete_jobs($1::bigint[])`, [
        detached.rows.map((row) => row.id),
      ]);
      await scheduleNow(client, timing, items);
    }
    // Leases left behind by a live process (its release failed, so it no longer renews them): dropped,
    // their items scheduled again, under their schedule locks taken in sorted order as above.
    const { rows: orphans } = await client.query<{ tenant_id: string; source_id: string }>(
      `DELETE FROM ${s}.work_leases WHERE (tenant_id, source_id) IN (SELECT tenant_id, source_id
         FROM ${s}.work_leases WHERE lease_until < now() FOR UPDATE SKIP LOCKED)
       RETURNING tenant_id, source_id`,
    );
    if (orphans.length > 0) {
      const items = orphans.map(itemOf);
      await lockSchedules(client, timing, items);
      await scheduleNow(client, timing, items);
    }
  });
}

const itemOf = (row: { tenant_id: string; source_id: string }): WorkItem => ({
  tenantId: row.tenant_id,
  sourceId: row.source_id,
});

/**
 * Takes the items' schedule locks, sorted: before any job row of theirs is touched, in the order every
 * sweep takes them (another order deadlocks with a concurrent save or sweep).
 */
async function lockSchedules(
  client: Queryable,
  timing: PostgresQueueTiming,
  items: readonly WorkItem[],
): Promise<void> {
  await client.query(
    'SELECT pg_advisory_xact_lock(hashtextextended(lock, 0)) FROM unnest($1::text[]) AS lock',
    [items.map((item) => scheduleLock(timing, jobKey(timing.schema, item))).sort()],
  );
}

/** Schedules each item again, due now, in the sweep's transaction. */
async function scheduleNow(
  client: Queryable,
  timing: PostgresQueueTiming,
  items: readonly WorkItem[],
): Promise<void> {
  const now = Date.now();
  for (const item of items) await scheduleInTransaction(client, timing, item, now);
}
