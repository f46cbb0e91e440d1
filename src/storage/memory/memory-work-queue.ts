import {
  type EpochMs,
  readWorkDeferral,
  type WorkHandler,
  type WorkItem,
  type WorkQueue,
  type WorkQueueStartOptions,
} from '../sync-storage.js';

/** Delay before a handler that threw gets its item again: first retry, doubled per failure, capped. */
const HANDLER_FAILURE_BACKOFF = { initialMs: 1_000, maxMs: 60_000 } as const;
/** `setTimeout` cannot wait longer than this; a later item is re-armed when the timer fires. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

type Scheduled = { item: WorkItem; runAt: EpochMs; timer: ReturnType<typeof setTimeout> | null };

/** A {@link WorkQueue} in one process, with timers: the memory adapter's queue. */
export type MemoryWorkQueue = WorkQueue & {
  /** Items scheduled or running (for tests and `close`). */
  readonly size: number;
  /** Stops the running handler (if any) and clears every timer. */
  close(): Promise<void>;
};

/**
 * A timer-based work queue. Guarantees of {@link WorkQueue}: one handler per item at a time; an item
 * scheduled while it runs runs again after; the earlier of two times wins; a deferred item runs again
 * at its `deferUntil` (or earlier, if scheduled earlier meanwhile). Scheduled items outlive
 * `stop()`, so a later `start()` (a new engine on the same storage) picks them up.
 */
export const createMemoryWorkQueue = (now: () => EpochMs): MemoryWorkQueue => {
  const scheduled = new Map<string, Scheduled>();
  /** Due items waiting for a free handler slot, in the order they became due. */
  const ready = new Set<string>();
  const running = new Map<string, Promise<void>>();
  /** Items scheduled again while running: when to run them after the current run. */
  const again = new Map<string, EpochMs>();
  const failures = new Map<string, number>();
  let handler: WorkHandler | null = null;
  let concurrency = 1;

  const keyOf = (item: WorkItem): string => `${item.tenantId}\u0000${item.sourceId}`;

  const arm = (key: string): void => {
    const entry = scheduled.get(key);
    if (entry === undefined || handler === null) return;
    if (entry.timer !== null) clearTimeout(entry.timer);
    entry.timer = null;
    const delay = entry.runAt - now();
    if (delay <= 0) {
      ready.add(key);
      pump();
      return;
    }
    entry.timer = setTimeout(
      () => {
        entry.timer = null;
        arm(key);
      },
      Math.min(delay, MAX_TIMER_DELAY_MS),
    );
  };

  const pump = (): void => {
    for (const key of ready) {
      if (handler === null || running.size >= concurrency) return;
      ready.delete(key);
      const entry = scheduled.get(key);
      if (entry === undefined) continue;
      scheduled.delete(key);
      running.set(key, run(key, entry.item, handler));
    }
  };

  const run = async (key: string, item: WorkItem, work: WorkHandler): Promise<void> => {
    let retryAt: EpochMs | null = null;
    try {
      // A deferral runs the item again at its time: not a failure, so no back-off and no count.
      retryAt = readWorkDeferral(await Promise.resolve().then(() => work(item)));
      if (retryAt === null) failures.delete(key);
    } catch {
      // A throwing handler means "try again later": back off per item so one broken item cannot spin.
      const failed = (failures.get(key) ?? 0) + 1;
      failures.set(key, failed);
      const delay = Math.min(
        HANDLER_FAILURE_BACKOFF.initialMs * 2 ** (failed - 1),
        HANDLER_FAILURE_BACKOFF.maxMs,
      );
      retryAt = now() + delay;
    } finally {
      running.delete(key);
    }
    const next = again.get(key);
    again.delete(key);
    const runAt = next === undefined ? retryAt : retryAt === null ? next : Math.min(next, retryAt);
    if (runAt !== null) place(item, runAt);
    pump();
  };

  const place = (item: WorkItem, runAt: EpochMs): void => {
    const key = keyOf(item);
    if (running.has(key)) {
      const pending = again.get(key);
      again.set(key, pending === undefined ? runAt : Math.min(pending, runAt));
      return;
    }
    const existing = scheduled.get(key);
    if (existing !== undefined && existing.runAt <= runAt) return;
    if (existing !== undefined) {
      existing.runAt = runAt;
      ready.delete(key);
    } else {
      scheduled.set(key, {
        item: { tenantId: item.tenantId, sourceId: item.sourceId },
        runAt,
        timer: null,
      });
    }
    arm(key);
  };

  const halt = async (): Promise<void> => {
    handler = null;
    ready.clear();
    for (const entry of scheduled.values()) {
      if (entry.timer !== null) clearTimeout(entry.timer);
      entry.timer = null;
    }
    await Promise.allSettled([...running.values()]);
  };

  return {
    get size() {
      return scheduled.size + running.size;
    },
    schedule(item, runAt) {
      place(item, runAt ?? now());
      return Promise.resolve();
    },
    start(work, options: WorkQueueStartOptions) {
      if (handler !== null) throw new Error('The work queue is already started; stop it first.');
      if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
        throw new RangeError(
          `concurrency must be a positive integer, got ${String(options.concurrency)}`,
        );
      }
      handler = work;
      concurrency = options.concurrency;
      for (const key of scheduled.keys()) arm(key);
      let stopped: Promise<void> | null = null;
      return {
        stop: () => {
          stopped ??= handler === work ? halt() : Promise.resolve();
          return stopped;
        },
      };
    },
    async close() {
      await halt();
      scheduled.clear();
      again.clear();
    },
  };
};
