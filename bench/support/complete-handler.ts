import type { SyncStorage, WorkHandler } from '../../src/storage/sync-storage.js';

/** The engine's storage calls for one delivered save, without Fortnox: read the entry, complete it. */
export const completeHandler =
  (storage: SyncStorage, after: () => void = () => {}): WorkHandler =>
  async ({ tenantId, sourceId }) => {
    const entry = await storage.outbox.get(tenantId, sourceId);
    if (entry === undefined) return;
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
