import type { SaveOutcome } from './sync-engine-types.js';

type Waiter = {
  readonly version: number;
  readonly deadline: number;
  /** The last `retrying` outcome seen: the answer if the wait ends while retrying. */
  latest: SaveOutcome | null;
  readonly resolve: (outcome: SaveOutcome) => void;
};

/**
 * In-process waiters for the outcome of one customer's change. A waiter waits for the version it was
 * registered for (or a newer one): the outcome of an older version that was superseded is not its answer.
 * A retry due before the wait ends is waited for (a short 429 or network blip still answers `synced`);
 * a wait that ends while retrying answers `pending`/`retrying` with the last error.
 */
export type OutcomeWaiters = {
  /** Waits at most `timeoutMs` for an outcome of `version` or newer; `pending`/`timeout` after that. */
  wait(
    tenantId: string,
    sourceId: string,
    version: number,
    timeoutMs: number,
  ): Promise<SaveOutcome>;
  /** Tells the waiters of versions up to `version` what became of it (`retryAt`: when it is tried again). */
  notify(
    tenantId: string,
    sourceId: string,
    version: number,
    outcome: SaveOutcome,
    retryAt?: number,
  ): void;
  /** Answers every waiter `pending` (the engine stops). */
  releaseAll(outcome: SaveOutcome): void;
};

export const createOutcomeWaiters = (): OutcomeWaiters => {
  const waiters = new Map<string, Set<Waiter>>();
  const keyOf = (tenantId: string, sourceId: string) => `${tenantId}\u0000${sourceId}`;

  return {
    wait(tenantId, sourceId, version, timeoutMs) {
      const key = keyOf(tenantId, sourceId);
      return new Promise<SaveOutcome>((resolve) => {
        let set = waiters.get(key);
        if (set === undefined) {
          set = new Set();
          waiters.set(key, set);
        }
        const waiter: Waiter = {
          version,
          deadline: Date.now() + timeoutMs,
          latest: null,
          resolve: (outcome) => {
            clearTimeout(timer);
            const current = waiters.get(key);
            current?.delete(waiter);
            if (current?.size === 0) waiters.delete(key);
            resolve(outcome);
          },
        };
        const timer = setTimeout(
          () =>
            waiter.resolve(
              waiter.latest ?? { status: 'pending', reason: 'timeout', lastError: null },
            ),
          timeoutMs,
        );
        set.add(waiter);
      });
    },
    notify(tenantId, sourceId, version, outcome, retryAt) {
      const set = waiters.get(keyOf(tenantId, sourceId));
      if (set === undefined) return;
      for (const waiter of [...set]) {
        if (waiter.version > version) continue;
        if (retryAt !== undefined && retryAt < waiter.deadline) waiter.latest = outcome;
        else waiter.resolve(outcome);
      }
    },
    releaseAll(outcome) {
      for (const set of [...waiters.values()]) {
        for (const waiter of [...set]) waiter.resolve(outcome);
      }
    },
  };
};
