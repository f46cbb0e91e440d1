import type { EpochMs, WorkDeferral, WorkItem } from '../storage/sync-storage.js';

/**
 * How long a deferred item waits, per turn of the tenant's slots ahead of it, when no freed slot
 * wakes it first: about how long an item holds a slot at Fortnox's pace (25 requests per 5 s, a few
 * requests per item, `tenantConcurrency` items at once). Only a safety net (another process's deferral,
 * a lost wake-up); a freed slot wakes the next deferred item at once.
 */
const DEFER_TURN_MS = 1_000;
/** The longest a deferred item waits for its turn before it is offered again. */
const MAX_DEFER_MS = 300_000;

/** Lets a work item run, or defers it: see {@link createTenantGate}. */
export type TenantGate = {
  /**
   * `release` (call it when the item's work is done) when the item's tenant has fewer than the cap
   * in flight here; otherwise the {@link WorkDeferral} to answer the queue with.
   */
  enter(item: WorkItem): { readonly release: () => void } | WorkDeferral;
  /** Items of a tenant in flight here (for tests). */
  inFlight(tenantId: string): number;
};

/**
 * The engine's per-tenant cap on work in flight in this process, so that one tenant's backlog cannot
 * hold every queue slot while its requests wait in its own rate limiter. An item over the cap is
 * deferred: it gives its slot back at once (the queue runs another tenant's item) and waits its turn.
 * When one of the tenant's items finishes, the first deferred one is woken (`wake`: scheduled due now;
 * the earlier time wins over its deferral); `deferUntil` grows with the queue of deferred items ahead
 * of it, so a backlog is not re-offered over and over while it waits.
 */
export function createTenantGate(options: {
  readonly cap: number;
  readonly now: () => EpochMs;
  /** Makes a deferred item due now (the queue's `schedule`); a failure is left to the safety net. */
  readonly wake: (item: WorkItem) => Promise<void>;
}): TenantGate {
  const { cap, now, wake } = options;
  const running = new Map<string, number>();
  /** Deferred source ids per tenant, in the order they were deferred (woken first in, first out). */
  const deferred = new Map<string, Set<string>>();

  const leave = (tenantId: string): void => {
    const left = (running.get(tenantId) ?? 1) - 1;
    if (left > 0) running.set(tenantId, left);
    else running.delete(tenantId);
    const waiting = deferred.get(tenantId);
    const next = waiting?.values().next();
    if (waiting === undefined || next === undefined || next.done === true) return;
    waiting.delete(next.value);
    if (waiting.size === 0) deferred.delete(tenantId);
    wake({ tenantId, sourceId: next.value }).catch(() => {
      // Storage failed: the item still runs at its deferUntil.
    });
  };

  return {
    enter(item) {
      const { tenantId, sourceId } = item;
      const inFlight = running.get(tenantId) ?? 0;
      let waiting = deferred.get(tenantId);
      if (inFlight < cap) {
        running.set(tenantId, inFlight + 1);
        waiting?.delete(sourceId);
        if (waiting?.size === 0) deferred.delete(tenantId);
        let released = false;
        return {
          release: () => {
            if (released) return;
            released = true;
            leave(tenantId);
          },
        };
      }
      if (waiting === undefined) {
        waiting = new Set();
        deferred.set(tenantId, waiting);
      }
      waiting.delete(sourceId);
      const ahead = waiting.size;
      waiting.add(sourceId);
      const turns = 1 + Math.floor(ahead / cap);
      return { deferUntil: now() + Math.min(MAX_DEFER_MS, turns * DEFER_TURN_MS) };
    },
    inFlight: (tenantId) => running.get(tenantId) ?? 0,
  };
}
