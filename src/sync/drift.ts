import { isNotFoundError } from '../client/index.js';
import { formatStockholmDateTime, type OwnedCustomerField } from '../fortnox/index.js';
import {
  diffOwnedFields,
  fingerprint,
  normalizeFortnoxCustomer,
  normalizeSourceCustomer,
  type SourceCustomer,
} from '../mapping/index.js';
import { OWNED_FIELD_SOURCES } from '../mapping/owned-fields.js';
import type { CustomerLink } from '../storage/sync-storage.js';
import type { EngineContext } from './engine-context.js';
import { fortnoxFailure, walkPages } from './inventory.js';
import { syncErrors } from './sync-engine-error.js';
import type { DriftEntry } from './sync-engine-types.js';

/** Checkpoint key of the drift cursor (per tenant). */
export const DRIFT_CURSOR_CHECKPOINT = 'drift-cursor';

/** The drift cursor: Fortnox's `lastmodified` value (Stockholm time) the next check starts from. */
export type DriftCursor = { readonly since: string };

/** Whether the source has a value for an owned field: a field it does not have is never written. */
function sourceHas(customer: SourceCustomer, field: OwnedCustomerField): boolean {
  let value: unknown = customer;
  for (const part of OWNED_FIELD_SOURCES[field].split('.')) {
    if (typeof value !== 'object' || value === null) return value === null;
    value = (value as Record<string, unknown>)[part];
  }
  return value !== undefined;
}

/**
 * Lists the owned fields changed directly in Fortnox since the last check: polls
 * `GET /3/customers?lastmodified=<cursor>` (Stockholm time), and for every modified customer that
 * is linked, GETs its full record and compares its owned fields with the source's (`source.get`).
 * Reports field names only. The first check starts from the oldest link.
 *
 * Requests: ⌈modified/500⌉ pages + one GET per modified *linked* customer. A list item would cost
 * nothing more, but it lacks `Active`, `Type` and `CountryCode` — and a bookkeeper deactivating a
 * customer is the most common drift — so the full record is read; customers the sync does not link
 * cost nothing beyond the page. A record whose owned values hash to the link's fingerprint (what Fortnox
 * held after our last write or check) has not drifted; one equal to the source becomes the new
 * fingerprint. A link made from a list item has a partial fingerprint, so its first check compares.
 */
export async function checkDrift(ctx: EngineContext, tenantId: string): Promise<DriftEntry[]> {
  const source = ctx.source;
  if (source?.get === undefined) throw syncErrors.noSource();
  const checkStartedAt = ctx.now();
  const cursor = (await ctx.storage.checkpoints.get(tenantId, DRIFT_CURSOR_CHECKPOINT)) as
    | Partial<DriftCursor>
    | undefined;
  let since = typeof cursor?.since === 'string' ? cursor.since : undefined;
  if (since === undefined) {
    const links = await ctx.storage.links.list(tenantId);
    const oldest = Math.min(...links.map((link) => link.syncedAt));
    if (!Number.isFinite(oldest)) {
      await saveCursor(ctx, tenantId, checkStartedAt);
      return [];
    }
    since = formatStockholmDateTime(new Date(oldest));
  }

  const client = await ctx.client(tenantId);
  const modified: string[] = [];
  await walkPages(client, { lastmodified: since }, (item) => modified.push(item.CustomerNumber));
  const drift: DriftEntry[] = [];
  for (const customerNumber of modified) {
    const link = await ctx.storage.links.getByCustomerNumber(tenantId, customerNumber);
    if (link === undefined) continue;
    const entry = await driftOf(ctx, tenantId, link, await source.get(tenantId, link.sourceId));
    if (entry !== undefined) drift.push(entry);
  }
  await saveCursor(ctx, tenantId, checkStartedAt);
  return drift.sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
}

async function saveCursor(ctx: EngineContext, tenantId: string, at: number): Promise<void> {
  const value: DriftCursor = { since: formatStockholmDateTime(new Date(at)) };
  await ctx.storage.checkpoints.put(tenantId, DRIFT_CURSOR_CHECKPOINT, value);
}

async function driftOf(
  ctx: EngineContext,
  tenantId: string,
  link: CustomerLink,
  customer: SourceCustomer | undefined,
): Promise<DriftEntry | undefined> {
  // Gone from the source, or not mappable now: a save will say why; nothing to compare with.
  const wanted = customer === undefined ? undefined : normalizeSourceCustomer(customer);
  if (customer === undefined || wanted === undefined || wanted.isErr()) return undefined;
  const client = await ctx.client(tenantId);
  const record = await client.customers.get(link.customerNumber);
  if (record.isErr()) {
    // Deleted in Fortnox since: the next save creates it again.
    if (isNotFoundError(record.error)) return undefined;
    throw fortnoxFailure(record.error);
  }
  const held = normalizeFortnoxCustomer(record.value);
  const heldPrint = fingerprint(held);
  // Exactly what Fortnox held after our last write or check: modified outside the owned fields.
  if (heldPrint === link.fingerprint) return undefined;
  const fields = diffOwnedFields(wanted.value, held)
    .filter(({ field }) => sourceHas(customer, field))
    // A customer linked by matching never got our ExternalReference: not a change made in Fortnox.
    .filter(({ field, after }) => field !== 'ExternalReference' || after !== null)
    .map(({ field }) => field);
  // Equal to the source: the new baseline. A drift keeps the old one, so it shows while it lasts.
  if (fields.length === 0) await ctx.storage.links.put({ ...link, fingerprint: heldPrint });
  return fields.length === 0
    ? undefined
    : { sourceId: link.sourceId, customerNumber: link.customerNumber, fields };
}
