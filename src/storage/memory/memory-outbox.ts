import { StorageError } from '../storage-error.js';
import type {
  CustomerLink,
  EpochMs,
  OutboxEntry,
  OutboxState,
  OutboxStore,
} from '../sync-storage.js';

/** Where the outbox writes links on `complete`: synchronous, so `complete` is one step. */
export type LinkWriter = (link: CustomerLink) => void;

const keyOf = (tenantId: string, sourceId: string): string => `${tenantId}\u0000${sourceId}`;

/** The memory outbox: one coalesced entry per source customer; every method is one synchronous step. */
export const createMemoryOutbox = (writeLink: LinkWriter): OutboxStore => {
  const entries = new Map<string, OutboxEntry>();
  // The last version per customer outlives its entry: a re-created entry never reuses a version.
  const lastVersions = new Map<string, number>();

  const copy = (entry: OutboxEntry): OutboxEntry => structuredClone(entry);

  return {
    enqueue(tenantId, sourceId, change, now) {
      const key = keyOf(tenantId, sourceId);
      const previous = entries.get(key);
      const customer = change.customer == null ? null : structuredClone(change.customer);
      const skipMatching =
        change.operation === 'upsert' && change.skipMatching !== undefined
          ? change.skipMatching
          : (previous?.skipMatching ?? false);
      const entry: OutboxEntry = {
        tenantId,
        sourceId,
        operation: change.operation,
        customer,
        version: (lastVersions.get(key) ?? 0) + 1,
        state: 'pending',
        attempts: 0,
        notBefore: now,
        createAttempted: previous?.createAttempted ?? false,
        createAttemptedAt: previous?.createAttemptedAt ?? null,
        lastError: null,
        skipMatching,
        enqueuedAt: previous?.enqueuedAt ?? now,
        updatedAt: now,
      };
      entries.set(key, entry);
      lastVersions.set(key, entry.version);
      return Promise.resolve(copy(entry));
    },

    get(tenantId, sourceId) {
      const entry = entries.get(keyOf(tenantId, sourceId));
      return Promise.resolve(entry === undefined ? undefined : copy(entry));
    },

    update(tenantId, sourceId, version, patch, now) {
      const key = keyOf(tenantId, sourceId);
      const entry = entries.get(key);
      if (entry === undefined) return Promise.resolve(false);
      if (entry.version !== version) {
        // A POST that may have been sent is never forgotten, whichever version sent it;
        // `createAttemptedAt` tells when (the engine waits `createSettleMs` from it before it reconciles).
        if (patch.createAttempted === true) {
          entries.set(key, {
            ...entry,
            createAttempted: true,
            createAttemptedAt: now,
            updatedAt: now,
          });
        }
        return Promise.resolve(false);
      }
      entries.set(key, {
        ...entry,
        ...definedOnly(patch),
        ...attemptedAtOf(patch.createAttempted, entry.createAttemptedAt, now),
        updatedAt: now,
      });
      return Promise.resolve(true);
    },

    complete(tenantId, sourceId, version, link, now) {
      const key = keyOf(tenantId, sourceId);
      const entry = entries.get(key);
      if (link !== null && (link.tenantId !== tenantId || link.sourceId !== sourceId)) {
        return Promise.reject(
          new StorageError(
            'invalid-argument',
            'outbox.complete was given the link of another customer',
            {
              store: 'outbox',
            },
          ),
        );
      }
      if (link !== null) {
        try {
          writeLink(structuredClone(link));
        } catch (error) {
          // A link conflict: nothing written, the entry stays as it was.
          return Promise.reject(error);
        }
      }
      if (entry === undefined || entry.version === version) {
        entries.delete(key);
        return Promise.resolve('done');
      }
      if (link !== null) {
        // The customer now exists in Fortnox: the newer change updates it, no reconcile or create.
        entries.set(key, {
          ...entry,
          createAttempted: false,
          createAttemptedAt: null,
          skipMatching: false,
          updatedAt: now,
        });
      }
      return Promise.resolve('superseded');
    },

    remove(tenantId, sourceId) {
      return Promise.resolve(entries.delete(keyOf(tenantId, sourceId)));
    },

    list(tenantId, filter) {
      const result: OutboxEntry[] = [];
      for (const entry of entries.values()) {
        if (entry.tenantId !== tenantId) continue;
        if (filter?.state !== undefined && entry.state !== filter.state) continue;
        result.push(copy(entry));
      }
      // Stable sort: equal enqueuedAt keeps insertion (enqueue) order.
      result.sort((a, b) => a.enqueuedAt - b.enqueuedAt);
      return Promise.resolve(result);
    },

    countByState(tenantId) {
      const counts: Record<OutboxState, number> = { pending: 0, failed: 0, 'needs-decision': 0 };
      for (const entry of entries.values()) {
        if (entry.tenantId === tenantId) counts[entry.state] += 1;
      }
      return Promise.resolve(counts);
    },
  };
};

/** `createAttemptedAt` after a write of `createAttempted`: `now` for `true`, `null` for `false`. */
const attemptedAtOf = (
  createAttempted: boolean | undefined,
  kept: EpochMs | null,
  now: EpochMs,
): Pick<OutboxEntry, 'createAttemptedAt'> => ({
  createAttemptedAt: createAttempted === undefined ? kept : createAttempted ? now : null,
});

/** A patch without its `undefined` keys (so `{ lastError: undefined }` cannot erase a field). */
const definedOnly = <T extends object>(patch: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
