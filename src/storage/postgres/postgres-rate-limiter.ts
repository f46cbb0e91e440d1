import type { RateLimiter, RateLimitRelease } from '../../client/rate-limiter.js';
import { StorageError } from '../storage-error.js';
import type { PostgresConnection } from './create-postgres-storage.js';
import {
  checkConnection,
  checkPostgresRuntime,
  databaseError,
  openPostgresDatabase,
} from './postgres-database.js';

/** Options of {@link createPostgresRateLimiter}. */
export type PostgresRateLimiterOptions = PostgresConnection & {
  /** The schema of the library's tables (the storage's). @defaultValue 'fortnox_sync' */
  readonly schema?: string;
  /** graphile-worker's schema (migrated with the rest). @defaultValue `${schema}_worker` */
  readonly workerSchema?: string;
  /** Requests per window per key (tenant), across every process. @defaultValue 25 */
  readonly limit?: number;
  /** The window in milliseconds. @defaultValue 5000 */
  readonly windowMs?: number;
  /**
   * How long a slot whose release never came (its process died) is held before it counts as ended.
   * Longer than any request's timeout. @defaultValue 120000
   */
  readonly maxHoldMs?: number;
  /**
   * How often a waiter looks again while every slot of its key is in flight (a release in another
   * process is not announced). @defaultValue 25
   */
  readonly pollIntervalMs?: number;
  /**
   * Whether statements are prepared on the server; off behind a pooler that cannot keep them (see
   * `createPostgresStorage`). @defaultValue true
   */
  readonly preparedStatements?: boolean;
};

/** A {@link RateLimiter} that can be closed (ends its pool when it made it). */
export type PostgresRateLimiter = {
  /** See {@link RateLimiter.acquire}; always resolves with the slot's release. */
  acquire(key: string, signal?: AbortSignal): Promise<RateLimitRelease>;
  /** See {@link RateLimiter.pause}: every process waits for the key. */
  pause(key: string, durationMs: number): Promise<void>;
  close(): Promise<void>;
};

/** How long the first of a batch of slot releases waits for others, and the most in one batch. */
const RELEASE_BATCH_MS = 5;
const RELEASE_BATCH_MAX = 200;

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new StorageError(
      'invalid-argument',
      `createPostgresRateLimiter: ${name} must be a positive number, e.g. { limit: 25, windowMs: 5000 }`,
    );
  }
  return value;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One rate budget per key (a Fortnox tenant) shared by every process and machine: an exact sliding
 * window in the `rate_slots` table. A slot is a row, inserted under a per-key transaction-scoped
 * advisory lock only while fewer than `limit` rows are held; it is held from its grant until one
 * window after its release (the response arrived), which keeps Fortnox's count within `limit` under
 * any latency (the argument is `createSlidingWindowRateLimiter`'s, with all processes' slots in one
 * table). Times are the database's clock, so machines need not agree on theirs. A 429 (`pause`)
 * stops every process for the key for the given time.
 *
 * In a process, the waiters of one key queue in order and only the first asks the database, and the
 * releases that come within a few milliseconds of each other are written in one statement (a release
 * written late holds its slot a little longer: never sooner, only slower). `close` writes the releases
 * given before it.
 *
 * @example
 * const rateLimiter = await createPostgresRateLimiter({ pool });
 * const client = createFortnoxClient({ auth, rateLimiter });
 */
export async function createPostgresRateLimiter(
  options: PostgresRateLimiterOptions,
): Promise<PostgresRateLimiter> {
  checkPostgresRuntime();
  checkConnection(options, 'createPostgresRateLimiter');
  const limit = positive('limit', options.limit ?? 25);
  const windowMs = positive('windowMs', options.windowMs ?? 5_000);
  const maxHoldMs = positive('maxHoldMs', options.maxHoldMs ?? 120_000);
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 25);
  const database = await openPostgresDatabase(options, 'createPostgresRateLimiter');
  const s = database.schema;
  // Per key, the tail of this process's queue of waiters.
  const tails = new Map<string, Promise<unknown>>();

  const lockKey = (key: string): string => `fortnox-sync:rate:${database.schemaName}:${key}`;

  /** One attempt (one round trip): a slot id, or how long to wait before the next attempt. */
  const attempt = async (key: string): Promise<{ slot: string } | { waitMs: number }> => {
    const [row] = await database.query<{ slot: string | null; wait_ms: number | null }>(
      `SELECT slot, wait_ms FROM ${s}.rate_acquire($1, $2, $3, $4, $5)`,
      [lockKey(key), key, limit, windowMs, maxHoldMs],
    );
    if (row?.slot != null) return { slot: row.slot };
    // Paused: until the pause ends. Full: until the oldest ended slot leaves the window (a slot still
    // in flight ends later, so nothing frees sooner). Every slot in flight: look again soon.
    return { waitMs: Math.max(1, row?.wait_ms ?? pollIntervalMs) };
  };

  // Releases are written together: those that come within RELEASE_BATCH_MS of the first, in one
  // statement. A slot released a few milliseconds late only counts a little longer (safe: only slower).
  let batch: { readonly ids: string[]; readonly written: Promise<void> } | undefined;
  const writing = new Set<Promise<void>>();
  const writeBatch = (ids: readonly string[]): Promise<void> => {
    const written = database.direct
      .query(
        `UPDATE ${s}.rate_slots SET released_at = clock_timestamp() WHERE id = ANY($1::bigint[])`,
        [ids],
      )
      .then(
        () => undefined,
        // Not released: the slots count until maxHoldMs, which is safe (only slower).
        () => undefined,
      );
    writing.add(written);
    void written.then(() => writing.delete(written));
    return written;
  };
  const release = (slot: string): Promise<void> => {
    if (batch !== undefined && batch.ids.length < RELEASE_BATCH_MAX) {
      batch.ids.push(slot);
      return batch.written;
    }
    const ids = [slot];
    const written = new Promise<void>((resolve) => {
      setTimeout(() => {
        if (batch?.ids === ids) batch = undefined;
        resolve(writeBatch(ids));
      }, RELEASE_BATCH_MS);
    });
    batch = { ids, written };
    return written;
  };

  const releaseOf = (slot: string): RateLimitRelease => {
    let released: Promise<void> | undefined;
    return () => {
      released ??= release(slot);
      return released;
    };
  };

  const acquireSlot = async (key: string, signal: AbortSignal | undefined): Promise<string> => {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      let outcome: { slot: string } | { waitMs: number };
      try {
        outcome = await attempt(key);
      } catch (error) {
        throw databaseError('grant a rate-limit slot', error, 'rate_slots');
      }
      if ('slot' in outcome) return outcome.slot;
      await sleep(outcome.waitMs, signal);
    }
  };

  return {
    acquire(key, signal) {
      database.assertOpen();
      const previous = tails.get(key) ?? Promise.resolve();
      const mine = previous.then(
        () => acquireSlot(key, signal),
        () => acquireSlot(key, signal),
      );
      const settled = mine.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return mine.then(releaseOf);
    },
    async pause(key, durationMs) {
      if (!(durationMs > 0)) return;
      await database
        .query(
          `INSERT INTO ${s}.rate_pauses (key, paused_until)
           VALUES ($1, clock_timestamp() + make_interval(secs => $2))
           ON CONFLICT (key) DO UPDATE SET paused_until = greatest(rate_pauses.paused_until, excluded.paused_until)`,
          [key, durationMs / 1000],
        )
        .catch(() => undefined);
    },
    async close() {
      // Releases given before close are written first.
      await batch?.written;
      await Promise.all(writing);
      await database.close();
    },
  } satisfies RateLimiter & PostgresRateLimiter;
}
