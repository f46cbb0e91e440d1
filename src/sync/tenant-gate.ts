import type { EpochMs, WorkDeferral, WorkItem } from '../storage/sync-storage.js';

/**
 * How long an item holds one of its tenant's slots until the tenant's pace is measured: at Fortnox's
 * 25 requests per 5 s, `tenantConcurrency` items at once and a few requests an item, about a second.
 */
const DEFER_TURN_MS = 1_000;
/** The shortest and the longest a deferred item waits before it is offered again by itself. */
const MIN_DEFER_MS = 1_000;
const MAX_DEFER_MS = 300_000;
/**
 * A deferred item is woken when it can park or run (see {@link createTenantGate}); by itself it comes
 * back only when this many times the time its turn should take has passed: a safety net (a lost
 * wake-up, this process gone), not the way it normally returns, since an item that returns before it
 * can park or run is deferred again: a job round for nothing.
 */
const SAFETY_FACTOR = 2;
/** How long a slot stays kept for a woken item (it normally arrives within milliseconds). */
const RESERVE_MS = 5_000;
/** How many deferrals pass between two sweeps of every tenant's line (see `sweep`). */
const SWEEP_EVERY = 1_024;
/** Weight of the newest interval between two of a busy tenant's finished items in its pace. */
const PACE_WEIGHT = 0.2;

/** An item let in: call `release` when its work is done. */
export type GateAdmission = { readonly release: () => void };

/** Lets a work item run, parks it, or defers it: see {@link createTenantGate}. */
export type TenantGate = {
  /**
   * Resolves with an admission (call its `release` when the item's work is done) when the item's
   * tenant has fewer than the cap in flight here, at once or after waiting parked for a slot of its
   * tenant; otherwise with the {@link WorkDeferral} to answer the queue with.
   */
  enter(item: WorkItem): Promise<GateAdmission | WorkDeferral>;
  /** Hands every parked item back to the queue (due now) and parks none until {@link open}: the queue stops. */
  close(): void;
  /** Parks items again (the queue starts). */
  open(): void;
  /** Items of a tenant in flight here (for tests). */
  inFlight(tenantId: string): number;
  /** Items parked here, of all tenants (for tests). */
  parked(): number;
  /** Tenants this gate keeps anything of (running, parked, deferred or a pace): for tests. */
  tenantsKept(): number;
};

type ParkedItem = {
  readonly item: WorkItem;
  readonly settle: (answer: GateAdmission | WorkDeferral) => void;
  /** Let in or deferred (then it stays in `stack` until popped). */
  gone: boolean;
};

/**
 * The engine's per-tenant cap on work in flight in this process, so that one tenant's backlog cannot
 * hold every queue slot while its requests wait in its own rate limiter.
 *
 * An item over the cap waits in this process, **parked** in its queue slot, when a slot would still be
 * free for other work (`slots`, the queue's concurrency): when one of its tenant's items finishes, the
 * slot passes straight to the first parked item — no storage round trip, no second pickup. Parked
 * items never keep work out: an item that can run and takes the last free slot makes the newest parked
 * item give its slot back (it is deferred, below), so one slot is always free while any item is parked.
 *
 * An item over the cap that cannot park is **deferred**: it gives its slot back at once (the queue runs
 * another tenant's item) and waits its turn. It is woken (`wake`: scheduled due now; the earlier time
 * wins over its deferral) when it can run or park: when one of its tenant's items finishes and none is
 * parked, or when the slot passed to a parked item left room to park another. A slot is kept for it
 * until it arrives (a few seconds at most), so that work arriving first does not take it and defer it
 * again. `deferUntil` is only a safety net (a lost wake-up, this process gone): twice the time its
 * turn should take at its tenant's pace here, so that it does not come back, find no room and make
 * another job round for nothing.
 */
export function createTenantGate(options: {
  readonly cap: number;
  /** How many items the queue hands the engine at once (its `concurrency`). */
  readonly slots: number;
  readonly now: () => EpochMs;
  /** Makes a deferred item due now (the queue's `schedule`); a failure is left to the safety net. */
  readonly wake: (item: WorkItem) => Promise<void>;
}): TenantGate {
  const { cap, slots, now, wake } = options;
  const running = new Map<string, number>();
  let runningTotal = 0;
  /**
   * Deferred source ids per tenant with their deferral times, in the order they were deferred (woken
   * first in, first out). An item whose time has passed came back by itself, here (and left the line)
   * or in another process: it is dropped, not woken.
   */
  const deferred = new Map<string, Map<string, EpochMs>>();
  /** Parked items per tenant, first in first out. */
  const parkedOf = new Map<string, ParkedItem[]>();
  /**
   * Per tenant with work here: when its last item finished, and the mean interval between its items
   * finishing while others waited (its pace here; 0 until measured).
   */
  const pace = new Map<string, { last: EpochMs; interval: number }>();
  /** Every parked item, oldest first, and some gone ones (the newest gives its slot back first). */
  let stack: ParkedItem[] = [];
  let parkedTotal = 0;
  /**
   * Woken items on their way, with when their kept slot lapses (in that order: the same wait for
   * all): counted as in use, so that the woken item may park when it arrives even if others came first.
   */
  const reserved = new Map<string, EpochMs>();
  let closed = false;

  const reservedCount = (): number => {
    const at = now();
    for (const [key, until] of reserved) {
      if (until > at) break;
      reserved.delete(key);
    }
    return reserved.size;
  };
  const inUse = (): number => runningTotal + parkedTotal + reservedCount();
  const keyOf = ({ tenantId, sourceId }: WorkItem): string => `${tenantId}\u0000${sourceId}`;

  const admit = (tenantId: string): GateAdmission => {
    running.set(tenantId, (running.get(tenantId) ?? 0) + 1);
    runningTotal += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        leave(tenantId);
      },
    };
  };

  const forgetDeferred = ({ tenantId, sourceId }: WorkItem): void => {
    const waiting = deferred.get(tenantId);
    waiting?.delete(sourceId);
    if (waiting?.size === 0) deferred.delete(tenantId);
  };

  /** Takes the first (`shift`) or the newest (`pop`) parked item of a tenant out of the lines. */
  const unpark = (tenantId: string, end: 'shift' | 'pop'): ParkedItem | undefined => {
    const line = parkedOf.get(tenantId);
    const parked = end === 'shift' ? line?.shift() : line?.pop();
    if (line?.length === 0) parkedOf.delete(tenantId);
    if (parked === undefined) return undefined;
    parked.gone = true;
    parkedTotal -= 1;
    // Gone items are dropped from the stack's top as they surface; compact when they pile up below.
    if (stack.length > 64 && stack.length > 2 * parkedTotal) stack = stack.filter((p) => !p.gone);
    return parked;
  };

  /** Drops the tenant's deferred items whose time has passed, from the front of its line. */
  const pruneDeferred = (tenantId: string): Map<string, EpochMs> | undefined => {
    const waiting = deferred.get(tenantId);
    if (waiting === undefined) return undefined;
    const at = now();
    for (const [sourceId, until] of waiting) {
      if (until > at) break;
      waiting.delete(sourceId);
    }
    if (waiting.size > 0) return waiting;
    deferred.delete(tenantId);
    return undefined;
  };

  /**
   * Now and then (every SWEEP_EVERY deferrals), every tenant's line is pruned and the pace of tenants
   * with nothing here any more is forgotten: a tenant whose deferred items all ran in other processes
   * is never touched here again, and would otherwise be kept for the life of the process.
   */
  let deferrals = 0;
  const sweep = (): void => {
    for (const tenantId of deferred.keys()) pruneDeferred(tenantId);
    for (const tenantId of pace.keys()) {
      if (!running.has(tenantId) && !parkedOf.has(tenantId) && !deferred.has(tenantId)) {
        pace.delete(tenantId);
      }
    }
  };

  const defer = (item: WorkItem, at?: EpochMs): WorkDeferral => {
    const { tenantId, sourceId } = item;
    deferrals += 1;
    if (deferrals % SWEEP_EVERY === 0) sweep();
    let waiting = pruneDeferred(tenantId);
    if (waiting === undefined) {
      waiting = new Map();
      deferred.set(tenantId, waiting);
    }
    // Deferred again (it came back by itself), an item goes to the back of the line, once.
    waiting.delete(sourceId);
    const ahead = waiting.size + (parkedOf.get(tenantId)?.length ?? 0);
    let deferUntil: EpochMs;
    if (at !== undefined) deferUntil = at;
    else {
      // Its slot comes after `ahead + 1` of the tenant's items finish (at the pace measured here, or
      // a turn a second until measured): the safety net is twice that.
      const measured = pace.get(tenantId)?.interval ?? 0;
      const interval = measured > 0 ? measured : DEFER_TURN_MS / cap;
      const wait = SAFETY_FACTOR * (ahead + 1) * interval;
      deferUntil = now() + Math.round(Math.min(MAX_DEFER_MS, Math.max(MIN_DEFER_MS, wait)));
    }
    waiting.set(sourceId, deferUntil);
    return { deferUntil };
  };

  /** The newest parked item gives its slot back: deferred, like an item that could not park. */
  const evictNewest = (at?: EpochMs): void => {
    while (stack.length > 0 && stack[stack.length - 1]?.gone === true) stack.pop();
    const newest = stack.pop();
    if (newest === undefined) return;
    // The newest overall is the newest of its tenant: the last of its line.
    unpark(newest.item.tenantId, 'pop');
    newest.settle(defer(newest.item, at));
  };

  /** Gives up the slot kept last for a woken item. */
  const dropNewestReservation = (): void => {
    let newest: string | undefined;
    for (const key of reserved.keys()) newest = key;
    if (newest !== undefined) reserved.delete(newest);
  };

  /** Wakes the tenant's first deferred item, keeping a slot for it when `keep` (there is room). */
  const wakeFirstDeferred = (tenantId: string, keep: boolean): void => {
    const waiting = pruneDeferred(tenantId);
    const next = waiting?.keys().next();
    if (waiting === undefined || next === undefined || next.done === true) return;
    const item = { tenantId, sourceId: next.value };
    forgetDeferred(item);
    const key = keyOf(item);
    reserved.delete(key);
    if (keep) reserved.set(key, now() + RESERVE_MS);
    wake(item).catch(() => {
      // Storage failed: the item still runs at its deferUntil.
    });
  };

  /** Learns the tenant's pace from an item finishing; forgets it when the tenant has nothing here. */
  const measurePace = (tenantId: string, left: number): void => {
    const at = now();
    const waiting = parkedOf.has(tenantId) || deferred.has(tenantId);
    const known = pace.get(tenantId);
    if (known === undefined) {
      if (waiting) pace.set(tenantId, { last: at, interval: 0 });
      return;
    }
    // Only while items wait: an idle tenant's gaps are not its pace.
    if (waiting) {
      const gap = Math.max(0, at - known.last);
      known.interval =
        known.interval === 0 ? gap : (1 - PACE_WEIGHT) * known.interval + PACE_WEIGHT * gap;
    }
    known.last = at;
    if (!waiting && left === 0) pace.delete(tenantId);
  };

  function leave(tenantId: string): void {
    const left = (running.get(tenantId) ?? 1) - 1;
    if (left > 0) running.set(tenantId, left);
    else running.delete(tenantId);
    runningTotal -= 1;
    measurePace(tenantId, left);
    const first = unpark(tenantId, 'shift');
    if (first !== undefined) {
      // The slot passes to the first parked item; a deferred one comes back to park, if it can.
      first.settle(admit(tenantId));
      if (!closed && inUse() + 1 < slots) wakeFirstDeferred(tenantId, true);
      return;
    }
    // Its tenant has a free slot, so the woken item can run; a slot is kept for it (should another
    // of the tenant's items take that first) only if one would still be free for others.
    wakeFirstDeferred(tenantId, !closed && inUse() + 1 < slots);
  }

  return {
    async enter(item) {
      const { tenantId } = item;
      // A woken item: the slot kept for it is its own to park in.
      const woken = reserved.delete(keyOf(item));
      if ((running.get(tenantId) ?? 0) < cap) {
        forgetDeferred(item);
        const admission = admit(tenantId);
        // Keep a slot free for work that can run: the newest parked item gives its own back, or else
        // the slot last kept for a woken item is given up (it is offered a slot like any other).
        if (inUse() >= slots) {
          if (parkedTotal > 0) evictNewest();
          else dropNewestReservation();
        }
        return admission;
      }
      // Park only when a slot stays free for others.
      if (closed || (!woken && inUse() + 1 >= slots)) return defer(item);
      forgetDeferred(item);
      return new Promise<GateAdmission | WorkDeferral>((settle) => {
        const parked: ParkedItem = { item, settle, gone: false };
        stack.push(parked);
        parkedTotal += 1;
        const line = parkedOf.get(tenantId);
        if (line === undefined) parkedOf.set(tenantId, [parked]);
        else line.push(parked);
      });
    },
    close() {
      closed = true;
      const at = now();
      while (parkedTotal > 0) evictNewest(at);
      stack = [];
      reserved.clear();
    },
    open() {
      closed = false;
    },
    inFlight: (tenantId) => running.get(tenantId) ?? 0,
    parked: () => parkedTotal,
    tenantsKept: () =>
      new Set([...running.keys(), ...parkedOf.keys(), ...deferred.keys(), ...pace.keys()]).size,
  };
}
