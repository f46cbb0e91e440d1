import type { StoredError } from '../storage/sync-storage.js';
import type { EngineCore } from './engine-core.js';
import { syncErrors } from './sync-engine-error.js';
import type { AuthorizeFunction, SyncAction, SyncActor } from './sync-engine-types.js';

/** The default policy: admins connect and disconnect; everyone may resolve decisions and run syncs. */
export const defaultAuthorize: AuthorizeFunction = (actor, action) =>
  action === 'connect' || action === 'disconnect' ? actor.roles.includes('admin') : true;

/** Throws `forbidden` unless the policy lets `actor` do `action` for the tenant. */
export async function requireAllowed(
  authorize: AuthorizeFunction,
  actor: SyncActor,
  action: SyncAction,
  tenantId: string,
): Promise<void> {
  const valid =
    typeof actor === 'object' &&
    actor !== null &&
    typeof actor.id === 'string' &&
    Array.isArray(actor.roles);
  if (!valid || (await authorize(actor, action, tenantId)) !== true) {
    throw syncErrors.forbidden(action);
  }
}

/**
 * Connects a tenant (a person authorised the integration): work flows again. Forgets the cached
 * client, so the host's factory hands out one with the new tokens, and schedules every pending entry.
 */
export async function connectTenant(core: EngineCore, tenantId: string): Promise<void> {
  const previous = await core.storage.tenants.get(tenantId);
  await core.storage.tenants.put({
    tenantId,
    connection: 'connected',
    reason: null,
    updatedAt: core.now(),
  });
  core.forgetClient(tenantId);
  if (previous?.connection !== 'connected') core.emit({ type: 'resumed', tenantId });
  for (const entry of await core.storage.outbox.list(tenantId, { state: 'pending' })) {
    await core.storage.queue.schedule({ tenantId, sourceId: entry.sourceId });
  }
}

/** Disconnects a tenant ("integration inactive"): saves are queued, nothing is sent; links are kept. */
export async function disconnectTenant(
  core: EngineCore,
  tenantId: string,
  reason: StoredError | null = null,
): Promise<void> {
  const previous = await core.storage.tenants.get(tenantId);
  await core.storage.tenants.put({
    tenantId,
    connection: 'disconnected',
    reason,
    updatedAt: core.now(),
  });
  core.forgetClient(tenantId);
  if (previous?.connection !== 'disconnected') {
    core.emit({ type: 'paused', tenantId, connection: 'disconnected', reason });
  }
}
