import type { FortnoxClient } from '../client/index.js';
import type { FortnoxCustomer, FortnoxCustomerWrite } from '../fortnox/index.js';
import {
  diffOwnedFields,
  fingerprint,
  normalizeFortnoxCustomer,
  type OwnedFieldValues,
  type SourceCustomer,
} from '../mapping/index.js';
import type { LinkOrigin, OutboxEntry } from '../storage/sync-storage.js';
import { call, type Delivered, isLinkConflict, LinkTaken, linkOf, tellLinked } from './delivery.js';
import type { EngineCore } from './engine-core.js';
import { flowBackPatch } from './flow-back.js';
import { callHost } from './host-callback.js';

/** How a link to an existing Fortnox customer came about (the event's words). */
export type LinkVia = 'matched' | 'decided' | 'reconciled';

const ORIGIN: Readonly<Record<LinkVia, LinkOrigin>> = {
  matched: 'matched',
  decided: 'decided',
  // We created it ourselves; only its answer was lost.
  reconciled: 'created',
};

/**
 * Links a source customer to a Fortnox customer that already exists and makes it agree (save = sync):
 * one PUT of `write` unless the known full record already holds those values. A customer that was
 * not ours (matched, decided) also gives its values back to the source where the source has none.
 */
export async function linkExisting(
  core: EngineCore,
  entry: OutboxEntry,
  client: FortnoxClient,
  target: { readonly customerNumber: string; readonly record?: FortnoxCustomer },
  write: FortnoxCustomerWrite,
  via: LinkVia,
): Promise<Delivered> {
  const { tenantId, sourceId } = entry;
  const customer = entry.customer!;
  const fields = changedFields(write, target.record);
  // One Fortnox customer is one source customer: claim it before writing to it. Storage refuses the
  // claim atomically when another source customer holds it (two saves at once, another process).
  await claim(core, entry, target, ORIGIN[via]);
  let record = target.record;
  try {
    if (record === undefined || fields.length > 0) {
      core.emit({ type: 'pushed', tenantId, sourceId, request: 'update' });
      record = await call(client.customers.update(target.customerNumber, write));
    }
    if (via !== 'reconciled') await flowBack(core, entry, customer, record);
    await core.storage.outbox.complete(
      tenantId,
      sourceId,
      entry.version,
      linkOf(core, entry, record, ORIGIN[via]),
      core.now(),
    );
  } catch (thrown) {
    // Not linked after all: the next attempt matches afresh (a crash leaves the claim, and the next
    // attempt then writes to the claimed customer as a linked one).
    await core.storage.links.delete(tenantId, sourceId).catch(() => false);
    throw thrown;
  }
  const customerNumber = record.CustomerNumber;
  core.emit({ type: 'linked', tenantId, sourceId, customerNumber, origin: via });
  if (target.record === undefined || fields.length > 0) {
    core.emit({
      type: 'updated',
      tenantId,
      sourceId,
      customerNumber,
      fields: target.record === undefined ? Object.keys(write) : fields,
    });
  }
  await tellLinked(core, entry, customerNumber);
  return { kind: 'synced', customerNumber };
}

/** Writes the link before the first write; a customer another source customer holds is {@link LinkTaken}. */
async function claim(
  core: EngineCore,
  entry: OutboxEntry,
  target: { readonly customerNumber: string; readonly record?: FortnoxCustomer },
  origin: LinkOrigin,
): Promise<void> {
  try {
    await core.storage.links.put({
      tenantId: entry.tenantId,
      sourceId: entry.sourceId,
      customerNumber: target.customerNumber,
      // Replaced by the written record's fingerprint on completion; a drift check meanwhile compares.
      fingerprint:
        target.record === undefined ? '' : fingerprint(normalizeFortnoxCustomer(target.record)),
      origin,
      syncedAt: core.now(),
    });
  } catch (thrown) {
    if (isLinkConflict(thrown)) throw new LinkTaken(target.customerNumber);
    throw thrown;
  }
}

/** The fields of `write` whose value the known record does not hold (all of them when unknown). */
function changedFields(write: FortnoxCustomerWrite, record: FortnoxCustomer | undefined): string[] {
  if (record === undefined) return Object.keys(write);
  const known = normalizeFortnoxCustomer(record) as Readonly<Record<string, unknown>>;
  const wanted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(write)) {
    wanted[field] = value === 'API_BLANK' ? null : value;
  }
  const compared: Record<string, unknown> = {};
  for (const field of Object.keys(wanted)) compared[field] = known[field];
  return diffOwnedFields(wanted as OwnedFieldValues, compared as OwnedFieldValues).map(
    (difference) => difference.field,
  );
}

/**
 * Flow-back (the more complete data wins): the fields Fortnox has and the source lacks go
 * to `source.update`. Best effort: the sync stands if the host fails to store them.
 */
async function flowBack(
  core: EngineCore,
  entry: OutboxEntry,
  customer: SourceCustomer,
  record: FortnoxCustomer,
): Promise<void> {
  const source = core.source;
  const patch = source?.update === undefined ? undefined : flowBackPatch(customer, record);
  if (source === undefined || patch === undefined) return;
  // Best effort: the Fortnox side is right either way; a failure is reported as an event.
  await callHost(core, entry.tenantId, entry.sourceId, 'update', () =>
    source.update?.(entry.tenantId, entry.sourceId, patch),
  );
}
