import type { FortnoxClient } from '../client/index.js';
import type { DuplicateResolver } from '../duplicates/index.js';
import type { OutboxChange, OutboxEntry, SyncStorage } from '../storage/sync-storage.js';
import type { SaveOutcome, SyncEngineOptions, SyncEvent, SyncSource } from './sync-engine-types.js';

/**
 * What every part of the engine (save pipeline, initial sync, drift, audit) shares. Built once by
 * `createSyncEngine`; internal, not exported from the package.
 */
export type EngineContext = {
  readonly storage: SyncStorage;
  readonly source: SyncSource | undefined;
  readonly resolver: DuplicateResolver;
  readonly companyMatch: NonNullable<SyncEngineOptions['companyMatch']>;
  readonly onDelete: NonNullable<SyncEngineOptions['onDelete']>;
  /** The tenant's client (cached per tenant). */
  client(tenantId: string): Promise<FortnoxClient>;
  emit(event: SyncEvent): void;
  now(): number;
  /** Queues a change and makes it due now (what `customerSaved` does, without waiting). */
  enqueue(tenantId: string, sourceId: string, change: OutboxChange): Promise<OutboxEntry>;
  /**
   * Resolves when the customer's current change settles here: delivered (`synced`, `deleted`),
   * `failed`, `needs-decision`, or `pending` with reason `paused`; a retry due within `timeoutMs` is
   * waited for, so `retrying` comes only when the wait ends mid-retry (else `timeout`).
   */
  settled(tenantId: string, sourceId: string, timeoutMs: number): Promise<SaveOutcome>;
};
