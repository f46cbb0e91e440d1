import { randomUUID } from 'node:crypto';
import {
  readWorkDeferral,
  type WorkHandler,
  type WorkItem,
  type WorkQueue,
  type WorkQueueStartOptions,
} from '../sync-storage.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** Timing of the SQLite work queue (resolved, all set). */
export type SqliteQueueTiming = {
  /** How long a claimed item stays reserved for this process without a heartbeat. */
  readonly leaseMs: number;
  /** How often the queue looks for work other processes made due. */
  readonly pollIntervalMs: number;
  /** First back-off after a handler threw; doubles per attempt (full jitter), capped by `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
};

/**
 * Makes `item` due at `runAt`, keeping an earlier time; while the item is leased (being handled), the
 * time is kept for a run after the current one. One statement, so atomic across processes.
 */
export function scheduleWorkItem(database: SqliteDatabase, item: WorkItem, runAt: number): void {
  database
    .statement(
      `INSERT INTO work_items (tenant_id, source_id, run_at) VALUES ($tenant, $source, $runAt)
       ON CONFLICT (tenant_id, source_id) DO UPDATE SET
         run_at = CASE WHEN lease_token IS NULL THEN min(run_at, $runAt) ELSE run_at END,
         rerun_at = CASE WHEN lease_token IS NULL THEN rerun_at
                         ELSE min(coalesce(rerun_at, $runAt), $runAt) END`,
    )
    .run({ $tenant: item.tenantId, $source: item.sourceId, $runAt: Math.trunc(runAt) });
}

/**
 * `scheduleWorkItem` for each item, in one transaction, except an item with a live lease (being
 * handled here or in another process on the file), which is left as it is: `schedule` would mark it
 * to run again after (see `WorkQueue.scheduleMissing`). An expired lease (its process died) is
 * scheduled as usual: the next claim takes it over.
 */
export function scheduleMissingWorkItems(
  database: SqliteDatabase,
  items: readonly (WorkItem & { readonly runAt: number })[],
): void {
  database.transaction(() => {
    const now = Date.now();
    const statement = database.statement(
      `INSERT INTO work_items (tenant_id, source_id, run_at) VALUES ($tenant, $source, $runAt)
       ON CONFLICT (tenant_id, source_id) DO UPDATE SET run_at = min(run_at, $runAt)
         WHERE lease_token IS NULL OR lease_until < $now`,
    );
    for (const item of items) {
      statement.run({
        $tenant: item.tenantId,
        $source: item.sourceId,
        $runAt: Math.trunc(item.runAt),
        $now: now,
      });
    }
  });
}

type Claimed = WorkItem & { readonly token: string };

/** A worker loop of one `start()`: claims due items with a lease, runs them, settles them. */
function startWorker(
  database: SqliteDatabase,
  timing: SqliteQueueTiming,
  handler: WorkHandler,
  options: WorkQueueStartOptions,
): { wake(): void; stop(): Promise<void> } {
  const concurrency = Math.max(1, Math.trunc(options.concurrency));
  const running = new Map<string, { item: Claimed; done: Promise<void> }>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeQueued = false;

  const heartbeat = setInterval(
    () => {
      if (running.size === 0) return;
      const until = Date.now() + timing.leaseMs;
      for (const { item } of running.values()) {
        database
          .statement(
            'UPDATE work_items SET lease_until = ? WHERE tenant_id = ? AND source_id = ? AND lease_token = ?',
          )
          .run(until, item.tenantId, item.sourceId, item.token);
      }
    },
    Math.max(10, Math.floor(timing.leaseMs / 3)),
  );

  const claim = (limit: number): Claimed[] => {
    const now = Date.now();
    const token = randomUUID();
    const rows = database
      .statement(
        `UPDATE work_items SET lease_token = $token, lease_until = $until
         WHERE rowid IN (
           SELECT rowid FROM work_items
           WHERE run_at <= $now AND (lease_token IS NULL OR lease_until < $now)
           ORDER BY run_at LIMIT $limit)
         RETURNING tenant_id, source_id`,
      )
      .all({ $token: token, $until: now + timing.leaseMs, $now: now, $limit: limit }) as {
      tenant_id: string;
      source_id: string;
    }[];
    return rows.map((row) => ({ tenantId: row.tenant_id, sourceId: row.source_id, token }));
  };

  /** How a run ended: done, failed (back off), or deferred by the handler to a time (no back-off). */
  type Ending = { readonly failed: boolean; readonly deferUntil: number | null };

  const settle = (item: Claimed, { failed, deferUntil }: Ending): void => {
    const key = [item.tenantId, item.sourceId, item.token] as const;
    database.transaction(() => {
      const row = database
        .statement(
          'SELECT rerun_at, attempts FROM work_items WHERE tenant_id = ? AND source_id = ? AND lease_token = ?',
        )
        .get(...key) as { rerun_at: number | null; attempts: number } | undefined;
      if (row === undefined) return; // the lease expired and another process took the item over
      if (!failed && deferUntil === null && row.rerun_at === null) {
        database
          .statement(
            'DELETE FROM work_items WHERE tenant_id = ? AND source_id = ? AND lease_token = ?',
          )
          .run(...key);
        return;
      }
      // A deferral keeps the attempts as they were: it is neither a failure nor a success.
      const attempts = failed ? row.attempts + 1 : deferUntil === null ? 0 : row.attempts;
      const backoff = failed
        ? Date.now() +
          Math.round(
            Math.min(timing.maxBackoffMs, timing.backoffMs * 2 ** (attempts - 1)) *
              (0.5 + Math.random() / 2),
          )
        : (deferUntil ?? Number.POSITIVE_INFINITY);
      const runAt = Math.trunc(Math.min(row.rerun_at ?? Number.POSITIVE_INFINITY, backoff));
      database
        .statement(
          `UPDATE work_items SET run_at = ?, rerun_at = NULL, attempts = ?, lease_token = NULL,
             lease_until = NULL WHERE tenant_id = ? AND source_id = ? AND lease_token = ?`,
        )
        .run(runAt, attempts, ...key);
    });
  };

  const run = (item: Claimed): void => {
    const id = `${item.token}\u0000${item.tenantId}\u0000${item.sourceId}`;
    const done = (async () => {
      let ending: Ending = { failed: false, deferUntil: null };
      try {
        const answer = await handler({ tenantId: item.tenantId, sourceId: item.sourceId });
        ending = { failed: false, deferUntil: readWorkDeferral(answer) };
      } catch {
        ending = { failed: true, deferUntil: null };
      }
      try {
        settle(item, ending);
      } catch {
        // The database refused (closed, busy): the lease expires and the item runs again.
      }
    })().finally(() => {
      running.delete(id);
      wake();
    });
    running.set(id, { item, done });
  };

  const nextDelay = (): number => {
    const row = database
      .statement('SELECT min(run_at) AS next FROM work_items WHERE lease_token IS NULL')
      .get() as { next: number | null };
    if (row.next === null) return timing.pollIntervalMs;
    return Math.max(0, Math.min(timing.pollIntervalMs, row.next - Date.now()));
  };

  const pump = (): void => {
    wakeQueued = false;
    if (stopped) return;
    clearTimeout(timer);
    let delay = timing.pollIntervalMs;
    try {
      const free = concurrency - running.size;
      if (free > 0) {
        const items = claim(free);
        for (const item of items) run(item);
        delay = items.length === free ? timing.pollIntervalMs : nextDelay();
      }
    } catch {
      // Busy or closed: try again at the next poll.
    }
    if (!stopped) timer = setTimeout(pump, delay);
  };

  function wake(): void {
    if (stopped || wakeQueued) return;
    wakeQueued = true;
    setImmediate(pump);
  }

  wake();
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...running.values()].map((entry) => entry.done));
      clearInterval(heartbeat);
    },
  };
}

/** The SQLite work queue: due rows of `work_items`, claimed with a lease, woken in process. */
export function createSqliteWorkQueue(
  database: SqliteDatabase,
  timing: SqliteQueueTiming,
): WorkQueue &
  Required<Pick<WorkQueue, 'scheduleMissing'>> & { wake(): void; stopAll(): Promise<void> } {
  const workers = new Set<ReturnType<typeof startWorker>>();
  return {
    async schedule(item, runAt = Date.now()) {
      scheduleWorkItem(database, item, runAt);
      for (const worker of workers) worker.wake();
    },
    async scheduleMissing(items) {
      scheduleMissingWorkItems(database, items);
      for (const worker of workers) worker.wake();
    },
    start(handler, options) {
      const worker = startWorker(database, timing, handler, options);
      workers.add(worker);
      return {
        async stop() {
          workers.delete(worker);
          await worker.stop();
        },
      };
    },
    wake() {
      for (const worker of workers) worker.wake();
    },
    async stopAll() {
      const stopping = [...workers].map((worker) => worker.stop());
      workers.clear();
      await Promise.all(stopping);
    },
  };
}
