import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncStorage, WorkHandler } from '../../src/storage/sync-storage.js';

/**
 * The engine's storage calls for one delivered save: read the entry, then (when `fortnoxMs` > 0) wait
 * as long as a Fortnox round trip would, then complete it with a link.
 */
export const completeHandler =
  (storage: SyncStorage, after: () => void = () => {}, fortnoxMs = 0): WorkHandler =>
  async ({ tenantId, sourceId }) => {
    const entry = await storage.outbox.get(tenantId, sourceId);
    if (entry === undefined) return;
    if (fortnoxMs > 0) await sleep(fortnoxMs);
    const link = {
      tenantId,
      sourceId,
      customerNumber: sourceId,
      fingerprint: 'fp',
      origin: 'created' as const,
      syncedAt: Date.now(),
    };
    await storage.outbox.complete(tenantId, sourceId, entry.version, link, Date.now());
    after();
  };
