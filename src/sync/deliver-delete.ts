import type { FortnoxClient } from '../client/index.js';
import { isNotFoundError } from '../client/index.js';
import type { CustomerLink, OutboxEntry } from '../storage/sync-storage.js';
import { reconcileNotBefore } from './create-settle.js';
import { ClientFailure, type Delivered, linkOf } from './delivery.js';
import type { EngineCore } from './engine-core.js';
import { reconcile } from './reconcile.js';

type Deferred = Extract<Delivered, { kind: 'deferred' }>;

/**
 * A create whose answer was lost before the delete came: find the customer it made, if any. A POST
 * that may still be in flight (see `createSettleMs`) is waited for first: `deferred`.
 */
async function reconciledLink(
  core: EngineCore,
  entry: OutboxEntry,
  client: FortnoxClient,
): Promise<CustomerLink | undefined | Deferred> {
  if (!entry.createAttempted || entry.customer === null) return undefined;
  const notBefore = reconcileNotBefore(core.settledCreates, core.createSettleMs, entry, core.now());
  if (notBefore !== null) return { kind: 'deferred', deferUntil: notBefore };
  core.settledCreates.settled(entry.tenantId, entry.sourceId);
  const record = await reconcile(client, entry.customer);
  return record === undefined ? undefined : linkOf(core, entry, record, 'created');
}

/**
 * Delivers a delete: `onDelete: 'deactivate'` (default) PUTs `Active: false` and keeps the link (a
 * real delete is permanent, and Fortnox refuses it for customers with invoices); `'delete'` DELETEs
 * and drops the link. A customer Fortnox no longer has, or one never linked, needs no request.
 */
export async function deliverDelete(
  core: EngineCore,
  entry: OutboxEntry,
  client: FortnoxClient,
): Promise<Delivered> {
  const { tenantId, sourceId, version } = entry;
  const { outbox, links } = core.storage;
  const link = (await links.get(tenantId, sourceId)) ?? (await reconciledLink(core, entry, client));
  if (link !== undefined && 'kind' in link) return link;
  if (link === undefined) {
    await outbox.complete(tenantId, sourceId, version, null, core.now());
    return { kind: 'deleted', customerNumber: null };
  }
  const { customerNumber } = link;
  core.emit({ type: 'pushed', tenantId, sourceId, request: 'update' });
  if (core.onDelete === 'deactivate') {
    const result = await client.customers.update(customerNumber, { Active: false });
    if (result.isOk()) {
      const kept = { ...linkOf(core, entry, result.value, link.origin) };
      await outbox.complete(tenantId, sourceId, version, kept, core.now());
      core.emit({ type: 'updated', tenantId, sourceId, customerNumber, fields: ['Active'] });
      return { kind: 'deleted', customerNumber };
    }
    if (!isNotFoundError(result.error)) throw new ClientFailure(result.error);
  } else {
    const result = await client.customers.remove(customerNumber);
    if (result.isErr() && !isNotFoundError(result.error)) throw new ClientFailure(result.error);
  }
  await links.delete(tenantId, sourceId);
  await outbox.complete(tenantId, sourceId, version, null, core.now());
  core.emit({ type: 'unlinked', tenantId, sourceId, customerNumber });
  return { kind: 'deleted', customerNumber };
}
