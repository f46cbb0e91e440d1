import type { OutboxEntry, StoredError, WorkDeferral, WorkItem } from '../storage/sync-storage.js';
import {
  type ClassifiedError,
  classifyFortnoxError,
  storedMappingError,
} from './classify-error.js';
import { deliverDelete } from './deliver-delete.js';
import { deliverUpsert } from './deliver-upsert.js';
import { ClientFailure, type Delivered, MappingFailure, ParkedFailure } from './delivery.js';
import type { EngineCore } from './engine-core.js';
import type { SaveOutcome } from './sync-engine-types.js';

/**
 * The queue's handler: delivers one customer's outbox entry and classifies what goes wrong. A throw
 * (storage failed) leaves the entry as it is; the queue tries it again later.
 */
export async function processEntry(
  core: EngineCore,
  item: WorkItem,
): Promise<WorkDeferral | undefined> {
  const { tenantId, sourceId } = item;
  const entry = await core.storage.outbox.get(tenantId, sourceId);
  if (entry === undefined || entry.state !== 'pending') return undefined;
  if (await core.isPaused(tenantId)) {
    // `connect` schedules the tenant's pending work again.
    notify(core, entry, { status: 'pending', reason: 'paused', lastError: entry.lastError });
    return undefined;
  }
  if (entry.notBefore > core.now()) {
    await core.storage.queue.schedule(item, entry.notBefore);
    return undefined;
  }
  try {
    const client = await core.client(tenantId);
    const delivered =
      entry.operation === 'delete'
        ? await deliverDelete(core, entry, client)
        : await deliverUpsert(core, entry, client);
    // A create that may still be in flight elsewhere: the queue runs the item again when it cannot.
    if (delivered.kind === 'deferred') return { deferUntil: delivered.deferUntil };
    if (delivered.kind !== 'needs-decision') core.settledCreates.forget(tenantId, sourceId);
    notify(core, entry, outcomeOf(delivered));
  } catch (thrown) {
    if (thrown instanceof ClientFailure) {
      await handleFailure(core, entry, classifyFortnoxError(thrown.error));
    } else if (thrown instanceof ParkedFailure) {
      await handleFailure(core, entry, { class: 'permanent', error: thrown.error });
    } else if (thrown instanceof MappingFailure) {
      await handleFailure(core, entry, {
        class: 'permanent',
        error: storedMappingError(thrown.error),
      });
    } else {
      throw thrown;
    }
  }
  return undefined;
}

const outcomeOf = (delivered: Exclude<Delivered, { kind: 'deferred' }>): SaveOutcome => {
  switch (delivered.kind) {
    case 'synced':
      return { status: 'synced', customerNumber: delivered.customerNumber };
    case 'deleted':
      return { status: 'deleted', customerNumber: delivered.customerNumber };
    case 'needs-decision':
      return { status: 'needs-decision', candidates: delivered.candidates };
  }
};

const notify = (core: EngineCore, entry: OutboxEntry, outcome: SaveOutcome): void =>
  core.waiters.notify(entry.tenantId, entry.sourceId, entry.version, outcome);

async function handleFailure(
  core: EngineCore,
  entry: OutboxEntry,
  classified: ClassifiedError,
): Promise<void> {
  const { tenantId, sourceId, version } = entry;
  const { outbox, queue } = core.storage;
  const { error } = classified;
  switch (classified.class) {
    case 'transient': {
      const attempt = entry.attempts + 1;
      const delayMs = core.backoffMs(attempt);
      const notBefore = core.now() + delayMs;
      const patch = { attempts: attempt, notBefore, lastError: error };
      const current = await outbox.update(tenantId, sourceId, version, patch, core.now());
      // Superseded meanwhile: the newer change is due now.
      await queue.schedule({ tenantId, sourceId }, current ? notBefore : core.now());
      core.emit({ type: 'retrying', tenantId, sourceId, attempt, delayMs, errorKind: error.kind });
      const retrying: SaveOutcome = { status: 'pending', reason: 'retrying', lastError: error };
      // Wall-clock time, as the waiters measure it (the engine's clock may be a test's).
      core.waiters.notify(tenantId, sourceId, version, retrying, Date.now() + delayMs);
      return;
    }
    case 'pause':
      await pauseTenant(core, tenantId, error);
      await outbox.update(tenantId, sourceId, version, { lastError: error }, core.now());
      notify(core, entry, { status: 'pending', reason: 'paused', lastError: error });
      return;
    case 'permanent':
      await outbox.update(
        tenantId,
        sourceId,
        version,
        { state: 'failed', lastError: error },
        core.now(),
      );
      core.emit({ type: 'failed', tenantId, sourceId, error });
      notify(core, entry, { status: 'failed', error });
      return;
  }
}

/** A dead connection or a missing licence pauses the whole tenant until a person connects again. */
async function pauseTenant(core: EngineCore, tenantId: string, reason: StoredError): Promise<void> {
  if (core.pausing.has(tenantId)) return;
  core.pausing.add(tenantId);
  try {
    const tenant = await core.storage.tenants.get(tenantId);
    if (tenant?.connection !== 'connected') return;
    await core.storage.tenants.put({
      tenantId,
      connection: 'needs-reconnect',
      reason,
      updatedAt: core.now(),
    });
    core.emit({ type: 'paused', tenantId, connection: 'needs-reconnect', reason });
  } finally {
    core.pausing.delete(tenantId);
  }
}
