import type { FortnoxClient } from '../client/index.js';
import type { FortnoxCustomer, FortnoxCustomerWrite } from '../fortnox/index.js';
import {
  diffOwnedFields,
  normalizeFortnoxCustomer,
  type OwnedFieldValues,
  type SourceCustomer,
} from '../mapping/index.js';
import type { LinkOrigin, OutboxEntry } from '../storage/sync-storage.js';
import { call, type Delivered, linkOf, tellLinked } from './delivery.js';
import type { EngineCore } from './engine-core.js';
import { flowBackPatch } from './flow-back.js';

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
  let record = target.record;
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
 * Flow-back (issue 9, "the more complete data wins"): the fields Fortnox has and the source lacks go
 * to `source.update`. Best effort: the sync stands if the host fails to store them.
 */
async function flowBack(
  core: EngineCore,
  entry: OutboxEntry,
  customer: SourceCustomer,
  record: FortnoxCustomer,
): Promise<void> {
  const update = core.source?.update;
  const patch = update === undefined ? undefined : flowBackPatch(customer, record);
  if (update === undefined || patch === undefined) return;
  try {
    await update(entry.tenantId, entry.sourceId, patch);
  } catch {
    // Best effort: the Fortnox side is right either way.
  }
}
