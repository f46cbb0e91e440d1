import type { EngineContext } from './engine-context.js';

/** The host's callbacks the engine calls after a link (see `SyncSource`). */
export type HostCallback = 'linked' | 'update';

/**
 * Calls one of the host's callbacks (`source.linked`, `source.update`). A host that fails to take what
 * it is told does not undo the sync (the link is stored; `status()` tells the number again): the sync
 * goes on, and a `host-callback-failed` event says which callback failed, with the error's `name`
 * only (its message may hold the customer's data).
 */
export async function callHost(
  ctx: EngineContext,
  tenantId: string,
  sourceId: string,
  callback: HostCallback,
  task: () => unknown,
): Promise<void> {
  try {
    await task();
  } catch (thrown) {
    const errorName =
      thrown instanceof Error && typeof thrown.name === 'string' ? thrown.name : typeof thrown;
    ctx.emit({ type: 'host-callback-failed', tenantId, sourceId, callback, errorName });
  }
}
