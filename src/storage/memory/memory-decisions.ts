import type { DecisionRecord, DecisionStore } from '../sync-storage.js';

const keyOf = (tenantId: string, sourceId: string): string => `${tenantId}\u0000${sourceId}`;

/** The memory decision store: a settled decision is never replaced by a new question. */
export const createMemoryDecisions = (): DecisionStore => {
  const records = new Map<string, DecisionRecord>();
  const copy = (record: DecisionRecord): DecisionRecord => structuredClone(record);

  return {
    get(tenantId, sourceId) {
      const record = records.get(keyOf(tenantId, sourceId));
      return Promise.resolve(record === undefined ? undefined : copy(record));
    },
    ask(question) {
      const key = keyOf(question.tenantId, question.sourceId);
      const existing = records.get(key);
      if (existing?.resolution != null) return Promise.resolve(copy(existing));
      const record: DecisionRecord = {
        ...structuredClone(question),
        // Asked again while pending (a re-save): fresh candidates, but it stays as old as the first ask.
        askedAt: existing?.askedAt ?? question.askedAt,
        resolution: null,
        resolvedAt: null,
        resolvedBy: null,
      };
      records.set(key, record);
      return Promise.resolve(copy(record));
    },
    settle(tenantId, sourceId, resolution, resolvedBy, now) {
      const key = keyOf(tenantId, sourceId);
      const existing = records.get(key);
      if (existing === undefined) return Promise.resolve(undefined);
      if (existing.resolution !== null) return Promise.resolve(copy(existing));
      const record: DecisionRecord = {
        ...existing,
        resolution: structuredClone(resolution),
        resolvedAt: now,
        resolvedBy,
      };
      records.set(key, record);
      return Promise.resolve(copy(record));
    },
    list(tenantId, filter) {
      const result: DecisionRecord[] = [];
      for (const record of records.values()) {
        if (record.tenantId !== tenantId) continue;
        if (filter?.pending !== undefined && (record.resolution === null) !== filter.pending) {
          continue;
        }
        result.push(copy(record));
      }
      result.sort((a, b) => a.askedAt - b.askedAt);
      return Promise.resolve(result);
    },
  };
};
