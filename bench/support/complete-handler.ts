import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimiter } from '../../src/client/rate-limiter.js';
import type { SyncStorage, WorkHandler } from '../../src/storage/sync-storage.js';

/**
 * The engine's storage calls for one delivered save: read the entry and the link, then (with a
 * `rateLimiter`) take the tenant's rate slot for the one Fortnox request, (when `fortnoxMs` > 0) wait
 * as long as a Fortnox round trip would, release the slot, then complete the entry with a link.
 */
export const completeHandler =
  (
    storage: SyncStorage,
    after: () => void = () => {},
    fortnoxMs = 0,
    rateLimiter?: Pick<RateLimiter, 'acquire'>,
  ): WorkHandler =>
  async ({ tenantId, sourceId }) => {
    const entry = await storage.outbox.get(tenantId, sourceId);
    if (entry === undefined) return;
    await storage.links.get(tenantId, sourceId);
    const release = await rateLimiter?.acquire(tenantId);
    if (fortnoxMs > 0) await sleep(fortnoxMs);
    await release?.();
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
