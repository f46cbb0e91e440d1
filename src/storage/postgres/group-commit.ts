import { StorageError } from '../storage-error.js';

/**
 * One piece of work waiting for its batch: what to write, the schedule lock it takes (batches are
 * ordered by it), and its caller's promise.
 */
export type Submitted<T, R> = {
  readonly input: T;
  readonly lock: string;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
};

/** Work written in batches (see {@link createGroupCommit}). */
export type GroupCommit<T, R> = {
  /** Writes `input` (with others that come meanwhile) and resolves with its own result. */
  submit(input: T, lock: string): Promise<R>;
  /**
   * Refuses work from now on (`StorageError` `closed`) and resolves once every piece given before it
   * is written (or has failed).
   */
  close(): Promise<void>;
};

/**
 * Group commit for statements that each add graphile-worker jobs (and so `NOTIFY`): Postgres commits
 * transactions that notify one at a time (a database-wide lock held through the commit's WAL flush),
 * so one transaction per piece of work caps the rate at a few thousand a second on any number of
 * cores. A piece is written at once when fewer than `inFlight` batches are being written, and otherwise
 * waits for one of them and goes with every piece that arrived meanwhile (at most `max`): no wait when
 * work is rare, fewer transactions the more there is.
 *
 * A batch is ordered by schedule lock (as the crash take-over and `scheduleMissing` take them),
 * pieces of one lock in the order they came, so concurrent batches lock in one order. `write` writes
 * a batch in one statement and settles each piece. A batch that fails in a way `retryAlone` accepts
 * (Postgres refused it for what it wrote; nothing of it was written) is written again one piece at a
 * time (pieces of different locks at once), so that only a piece that fails by itself fails, and one
 * that waits long for its lock holds up no other; any other failure fails every piece of the batch. `ready` runs before each batch (the migrations).
 */
export function createGroupCommit<T, R>(options: {
  readonly max: number;
  readonly inFlight: number;
  readonly ready: () => Promise<void>;
  readonly write: (batch: readonly Submitted<T, R>[]) => Promise<void>;
  readonly retryAlone: (error: unknown) => boolean;
}): GroupCommit<T, R> {
  const waiting: Submitted<T, R>[] = [];
  let inFlight = 0;
  let idle: (() => void)[] = [];
  let closed = false;

  const run = async (batch: readonly Submitted<T, R>[]): Promise<void> => {
    try {
      await options.ready();
      await options.write(batch);
    } catch (error) {
      if (batch.length === 1 || !options.retryAlone(error)) {
        for (const piece of batch) piece.reject(error);
        return;
      }
      // Pieces of different locks at once (one waiting for a lock a host's transaction holds must not
      // hold up the others), those of one lock in their order.
      const byLock = new Map<string, Submitted<T, R>[]>();
      for (const piece of batch) {
        const line = byLock.get(piece.lock);
        if (line === undefined) byLock.set(piece.lock, [piece]);
        else line.push(piece);
      }
      await Promise.all(
        [...byLock.values()].map(async (line) => {
          for (const piece of line) {
            await options.write([piece]).catch((alone: unknown) => piece.reject(alone));
          }
        }),
      );
    }
  };

  const next = (): void => {
    while (inFlight < options.inFlight && waiting.length > 0) {
      const batch = waiting
        .splice(0, options.max)
        .map((piece, index) => ({ piece, index }))
        .sort((a, b) =>
          a.piece.lock < b.piece.lock ? -1 : a.piece.lock > b.piece.lock ? 1 : a.index - b.index,
        )
        .map(({ piece }) => piece);
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
    submit(input, lock) {
      if (closed) {
        return Promise.reject(new StorageError('closed', 'The Postgres storage is closed'));
      }
      return new Promise<R>((resolve, reject) => {
        waiting.push({ input, lock, resolve, reject });
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
 * A batch's parameters: `values(pick)` is the picked value of each piece, as an array, or the value
 * itself when the batch is one piece alone (`alone`), for the one-piece form of a statement.
 */
export function batchValues<T, R>(
  batch: readonly Submitted<T, R>[],
): {
  readonly alone: boolean;
  values<V>(pick: (piece: Submitted<T, R>) => V): V | V[];
} {
  const [first] = batch;
  const alone = batch.length === 1 && first !== undefined;
  return {
    alone,
    values: (pick) => (alone ? pick(first) : batch.map(pick)),
  };
}

/**
 * Whether Postgres refused a statement for what it wrote (a value, a constraint, a deadlock or
 * serialisation failure, a lock not had within the statement's lock_timeout, an error raised in a
 * function), as opposed to a connection or server failure, which writing each piece alone would only
 * meet again, once per piece.
 */
export function refusedByServer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (/^(22|23|40|P0)[0-9A-Z]{3}$/.test(code) || code === '55P03');
}
