import type { EpochMs, OutboxEntry } from '../storage/sync-storage.js';

/**
 * Creates whose POST this process has seen settle (an answer, an error, or the client's timeout),
 * keyed by tenant and source id. A create that is not here may still be in flight: sent by another
 * process (whose lease ran out while it stalled, so this one took the item over) or by this process
 * before a restart. Reconciling such a create (the search by ExternalReference) while its POST is
 * still on its way finds nothing, and the POST that follows makes a duplicate customer.
 *
 * In memory only, so bounded: past {@link SETTLED_CREATES_LIMIT} keys the oldest is forgotten, which
 * only costs that create the wait of a create this process did not see settle (safe, slower).
 */
export type SettledCreates = {
  /** A POST of this customer's create is about to be sent: it is in flight until {@link settled}. */
  sending(tenantId: string, sourceId: string): void;
  /** This process saw the customer's POST settle: its create can be reconciled at once. */
  settled(tenantId: string, sourceId: string): void;
  has(tenantId: string, sourceId: string): boolean;
  /** The create is linked (or the entry is gone): nothing left to reconcile. */
  forget(tenantId: string, sourceId: string): void;
};

/** How many settled creates a process remembers. */
export const SETTLED_CREATES_LIMIT = 10_000;

export function createSettledCreates(limit = SETTLED_CREATES_LIMIT): SettledCreates {
  const keys = new Set<string>();
  const keyOf = (tenantId: string, sourceId: string): string => `${tenantId}\u0000${sourceId}`;
  return {
    sending: (tenantId, sourceId) => {
      // An earlier POST this process saw settle says nothing of this one.
      keys.delete(keyOf(tenantId, sourceId));
    },
    settled(tenantId, sourceId) {
      const key = keyOf(tenantId, sourceId);
      keys.delete(key);
      keys.add(key);
      if (keys.size > limit) {
        const oldest = keys.values().next();
        if (oldest.done !== true) keys.delete(oldest.value);
      }
    },
    has: (tenantId, sourceId) => keys.has(keyOf(tenantId, sourceId)),
    forget: (tenantId, sourceId) => {
      keys.delete(keyOf(tenantId, sourceId));
    },
  };
}

/**
 * When an attempted create may be reconciled: now (`null`) if this process saw its POST settle;
 * otherwise not before `entry.createAttemptedAt + settleMs` (storage sets it when it writes
 * `createAttempted: true`, just before the POST, and no save moves it, so a customer saved again and
 * again is still reconciled once the attempt has settled). Where an adapter gives no moment
 * (`createAttemptedAt` null or absent with `createAttempted`: a custom adapter written before the
 * field, against the contract) it falls back to `updatedAt`, which a write of `createAttempted: true`
 * also sets and later writes only move later: safe, though every save restarts the wait.
 */
export function reconcileNotBefore(
  settledCreates: SettledCreates,
  settleMs: number,
  entry: OutboxEntry,
  now: EpochMs,
): EpochMs | null {
  if (!entry.createAttempted) return null;
  if (settledCreates.has(entry.tenantId, entry.sourceId)) return null;
  const until = (entry.createAttemptedAt ?? entry.updatedAt) + settleMs;
  return now < until ? until : null;
}
