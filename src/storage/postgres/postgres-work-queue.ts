import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type Runner, run, type Task, type WorkerEvents } from 'graphile-worker';
import { StorageError } from '../storage-error.js';
import {
  readWorkDeferral,
  type WorkHandler,
  type WorkItem,
  type WorkQueue,
  type WorkQueueStartOptions,
} from '../sync-storage.js';
import { batchValues, createGroupCommit, refusedByServer } from './group-commit.js';
import type { PostgresDatabase } from './postgres-database.js';
import {
  duePending,
  jobKey,
  type PostgresQueueTiming,
  scheduleInTransaction,
  scheduleLock,
  scheduleMissing,
  workTask,
} from './postgres-jobs.js';
import { SILENT_LOGGER } from './postgres-migrate.js';
import { renewAndTakeOver } from './postgres-takeover.js';

export {
  jobKey,
  type PostgresQueueTiming,
  scheduleInTransaction,
  scheduleLock,
  WORK_TASK,
  workTask,
} from './postgres-jobs.js';

// The exit code graphile-worker sets when it shuts a runner down for a breaking migration.
const GRAPHILE_MIGRATION_EXIT = 57;

/** The most lease releases (that run their item again) one statement writes, and how many at once. */
const RELEASE_BATCH = { max: 256, inFlight: 2 } as const;

function readItem(payload: unknown): WorkItem | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { tenantId, sourceId } = payload as Record<string, unknown>;
  if (typeof tenantId !== 'string' || typeof sourceId !== 'string') return undefined;
  return { tenantId, sourceId };
}

/**
 * One `start()`: a graphile-worker runner (LISTEN/NOTIFY pickup, polling for due jobs) whose task
 * claims the item's lease, runs the handler, and releases the lease. The lease makes "one handler
 * per item" hold across processes even when graphile-worker runs a second job of the same key (added
 * while the first was running): that job finds the lease taken, marks it `rerun` and ends; the holder
 * schedules the item again when it releases, so the item runs again after. A heartbeat renews this
 * process's leases; a process whose heartbeat stopped (killed) is swept by the others: its leases are
 * dropped and its graphile-worker jobs unlocked (`force_unlock_workers`), so they run again.
 */
export function startPostgresWorker(
  database: PostgresDatabase,
  timing: PostgresQueueTiming,
  handler: WorkHandler,
  options: WorkQueueStartOptions,
): { stop(): Promise<void> } {
  const s = database.schema;
  const leaseSeconds = timing.leaseMs / 1000;
  const workerIds = new Set<string>();
  /** The tokens of the leases this process holds: the heartbeat renews these, and only these. */
  const held = new Set<string>();
  let stopped = false;

  const register = async (workerId: string): Promise<void> => {
    if (workerIds.has(workerId)) return;
    await database.direct.query(
      `INSERT INTO ${s}.work_workers (worker_id, seen_at) VALUES ($1, now())
       ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`,
      [workerId],
    );
    workerIds.add(workerId);
  };

  const claim = async (item: WorkItem, workerId: string, token: string): Promise<boolean> => {
    const { rows } = await database.direct.query<{ token: string }>(
      `INSERT INTO ${s}.work_leases AS leases (tenant_id, source_id, worker_id, token, lease_until)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       ON CONFLICT (tenant_id, source_id) DO UPDATE SET
         worker_id = CASE WHEN leases.lease_until < now() THEN excluded.worker_id ELSE leases.worker_id END,
         token = CASE WHEN leases.lease_until < now() THEN excluded.token ELSE leases.token END,
         rerun = leases.lease_until >= now(),
         lease_until = CASE WHEN leases.lease_until < now() THEN excluded.lease_until
                            ELSE leases.lease_until END
       RETURNING token`,
      [item.tenantId, item.sourceId, workerId, token, leaseSeconds],
    );
    return rows[0]?.token === token;
  };

  // `deferUntil`: the handler deferred the item (fortnox-sync `WorkDeferral`), so it runs again then.
  const release = async (
    item: WorkItem,
    token: string,
    deferUntil: number | null,
  ): Promise<void> => {
    // The common case in one statement (no BEGIN/COMMIT round trips): no deferral, and nobody
    // scheduled the item while it ran. `NOT rerun` is checked again on the row's newest version when a
    // claim updates it at the same moment, so a lease marked `rerun` is never dropped here; it takes
    // the function below.
    if (deferUntil === null) {
      const { rowCount } = await database.direct.query(
        `DELETE FROM ${s}.work_leases
         WHERE tenant_id = $1 AND source_id = $2 AND token = $3 AND NOT rerun`,
        [item.tenantId, item.sourceId, token],
      );
      if ((rowCount ?? 0) > 0) return;
    }
    // Scheduled again while it ran (a save marked the lease, or a job of the same key found it
    // taken): run it again now. Deferred: a new job at `deferUntil` (this running job is locked, so
    // `add_jobs` replaces it by a new one and this one completes when the task returns: no failure, no
    // back-off, and never sooner than `deferUntil`, so no tight loop). Both: the earlier, now; a
    // pending job's earlier time is kept too. A lease no longer held was taken over (this process
    // presumed dead): the taker scheduled the item. Releases that come together share one statement
    // and one NOTIFY (release_leases, migration 9; one alone: release_lease, migration 6).
    const key = jobKey(timing.schema, item);
    await releases.submit(
      { ...item, token, deferUntil: deferUntil === null ? null : Math.trunc(deferUntil), key },
      scheduleLock(timing, key),
    );
  };

  const releases = createGroupCommit<
    WorkItem & { token: string; deferUntil: number | null; key: string },
    void
  >({
    ...RELEASE_BATCH,
    ready: database.ready,
    retryAlone: refusedByServer,
    async write(batch) {
      const { alone, values } = batchValues(batch);
      // One statement; a release alone by the one-lease function (release_lease, migration 6).
      const { rows } = await database.direct.query(
        `SELECT ${alone ? `${s}.release_lease` : `* FROM ${s}.release_leases`}($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          values(({ input }) => input.tenantId),
          values(({ input }) => input.sourceId),
          values(({ input }) => input.token),
          values(({ input }) => input.deferUntil),
          Date.now(),
          timing.workerSchema,
          workTask(timing.schema),
          values(({ input }) => input.key),
          values(({ lock }) => lock),
        ],
      );
      if (rows.length !== batch.length) {
        throw new StorageError(
          'corrupt-row',
          `Releasing ${batch.length} leases answered ${rows.length} rows`,
          { store: 'work_leases' },
        );
      }
      for (const piece of batch) piece.resolve();
    },
  });

  const task: Task = async (payload, helpers) => {
    const item = readItem(payload);
    if (item === undefined) return; // not ours to run: drop it
    const workerId = helpers.job.locked_by ?? 'unknown';
    await register(workerId);
    const token = randomUUID();
    if (!(await claim(item, workerId, token))) return;
    held.add(token);
    try {
      await runClaimed(item, token);
    } finally {
      // Released, or its release failed: no longer renewed, so another heartbeat's sweep drops it when
      // it runs out and schedules the item again.
      held.delete(token);
    }
  };

  const runClaimed = async (item: WorkItem, token: string): Promise<void> => {
    if (stopped) {
      // A runner that was still starting when stop() was called may hand out a job: it is not run
      // after stop; graphile-worker runs it again later (in another process, or after a restart).
      await release(item, token, null);
      throw new Error('The fortnox-sync queue was stopped; the item runs later');
    }
    let failed = false;
    let deferUntil: number | null = null;
    try {
      deferUntil = readWorkDeferral(await handler(item));
    } catch {
      failed = true;
    }
    await release(item, token, deferUntil);
    // graphile-worker retries it with back-off. The message holds nothing of the customer.
    if (failed) throw new Error('The fortnox-sync work handler failed; the item is retried later');
  };

  const heartbeat = (): Promise<void> =>
    renewAndTakeOver(database, timing, [...workerIds], [...held]);

  let beating: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (beating !== undefined || stopped) return;
      beating = heartbeat()
        .catch(() => undefined) // the database is away: leases run out, others take over
        .finally(() => {
          beating = undefined;
        });
    },
    Math.max(20, Math.floor(timing.leaseMs / 3)),
  );
  timer.unref?.();

  // Started in the background; a database that is away at start is tried again until stop. The runner
  // is started again whenever it ends before stop: graphile-worker shuts a runner down when it hears of
  // a breaking migration on its NOTIFY channel, which is database-wide — so another schema being set up
  // in the same database (a second storage, another graphile-worker app) would silently end this one.
  // It also marks the process to exit with 57; that mark is taken back at once, in the same tick as
  // graphile-worker sets it (a real breaking migration of this schema makes the next start fail, and
  // it is tried again until stop).
  // The local queue locks a batch of jobs under the pool's id before any task runs: the id is
  // registered as the pool starts, so a process killed right after that fetch is swept like any
  // other (unregistered, its jobs would wait for graphile-worker's own 4-hour recovery).
  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => {
    void register(workerPool.id).catch(() => undefined); // the task registers it again if this failed
  });
  events.on('pool:listen:notification', ({ message }) => {
    if (message.channel !== 'worker:migrate') return;
    const exitCode = process.exitCode;
    process.nextTick(() => {
      if (process.exitCode === GRAPHILE_MIGRATION_EXIT) process.exitCode = exitCode;
    });
  });
  let current: Runner | undefined;
  const running: Promise<void> = (async () => {
    while (!stopped) {
      try {
        await database.ready();
        if (stopped) return;
        current = await run({
          pgPool: database.pool,
          schema: timing.workerSchema,
          concurrency: Math.max(1, Math.trunc(options.concurrency)),
          pollInterval: timing.pollIntervalMs,
          // graphile-worker's local queue (0.17+) spares a get_job round trip per job under load:
          // the pool fetches and locks up to `size` jobs in one query (SKIP LOCKED) and hands them to
          // its workers. They are locked by the pool's id (registered at `pool:create`, above);
          // unstarted ones go back at stop. Completions are batched with delay 0: the runner's stop
          // awaits batched completions (unbatched ones are sent and forgotten: one could still be in
          // flight when the caller drops the schema after close). The deadlock once seen with batched
          // completions came from the take-over's lock order, fixed in `heartbeat`.
          preset: {
            worker: {
              localQueue: { size: Math.max(1, Math.trunc(options.concurrency)) + 1 },
              completeJobBatchDelay: 0,
              failJobBatchDelay: 0,
            },
          },
          noHandleSignals: true,
          noPreparedStatements: !database.prepared,
          logger: SILENT_LOGGER,
          events,
          taskList: { [workTask(timing.schema)]: task },
        });
        if (stopped) await current.stop().catch(() => undefined);
        await current.promise.catch(() => undefined);
      } catch (error) {
        // The storage was closed: nothing to wait for. Otherwise the database is away, or the schema
        // cannot be used yet: tried again below.
        if (error instanceof StorageError && error.code === 'closed') return;
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        // Graceful: hands out nothing more and waits for the running handlers.
        await current?.stop().catch(() => undefined);
        await running;
        clearInterval(timer);
        await beating;
        const ids = [...workerIds];
        if (ids.length > 0) {
          await database.direct
            .query(`DELETE FROM ${s}.work_workers WHERE worker_id = ANY($1::text[])`, [ids])
            .catch(() => undefined);
        }
      })();
      return stopping;
    },
  };
}

/** The Postgres work queue: graphile-worker jobs keyed per item, with the item lease above. */
export function createPostgresWorkQueue(
  database: PostgresDatabase,
  timing: PostgresQueueTiming,
): WorkQueue & Required<Pick<WorkQueue, 'scheduleMissing'>> & { stopAll(): Promise<void> } {
  const workers = new Set<{ stop(): Promise<void> }>();
  return {
    async schedule(item, runAt = Date.now()) {
      await database.ready();
      if (await duePending(database.direct, timing, item, runAt)) return;
      // One statement (schedule_item): its own transaction.
      await scheduleInTransaction(database.direct, timing, item, runAt);
    },
    async scheduleMissing(items) {
      await database.ready();
      await scheduleMissing(database.direct, timing, items);
    },
    start(handler, options) {
      const worker = startPostgresWorker(database, timing, handler, options);
      workers.add(worker);
      return {
        async stop() {
          workers.delete(worker);
          await worker.stop();
        },
      };
    },
    async stopAll() {
      const stopping = [...workers].map((worker) => worker.stop());
      workers.clear();
      await Promise.all(stopping);
    },
  };
}
