import { findDuplicateGroups } from '../duplicates/index.js';
import type { FortnoxCustomerListItem } from '../fortnox/index.js';
import type { EngineContext } from './engine-context.js';
import { walkPages } from './inventory.js';
import type { DuplicateAuditGroup } from './sync-engine-types.js';

/**
 * Lists the groups of likely duplicates inside Fortnox (`findDuplicateGroups` over the whole
 * register) and marks the members linked to a source customer. `keep` is the linked member — the
 * customer that came from the source is the one to keep; when several are linked, the
 * most complete of them (the group's survivor if it is one). Reads ⌈F/500⌉ unfiltered pages
 * (`Active` is not needed here); writes nothing.
 */
export async function auditDuplicates(
  ctx: EngineContext,
  tenantId: string,
): Promise<DuplicateAuditGroup[]> {
  const client = await ctx.client(tenantId);
  const items: FortnoxCustomerListItem[] = [];
  await walkPages(client, {}, (item) => items.push(item));
  const groups = findDuplicateGroups(items);
  const audit: DuplicateAuditGroup[] = [];
  for (const group of groups) {
    const linkedSourceIds: Record<string, string> = {};
    for (const customerNumber of group.customerNumbers) {
      const link = await ctx.storage.links.getByCustomerNumber(tenantId, customerNumber);
      if (link !== undefined) linkedSourceIds[customerNumber] = link.sourceId;
    }
    const linked = group.customerNumbers.filter((number) => number in linkedSourceIds);
    const keep = linked.includes(group.survivor) ? group.survivor : (linked[0] ?? null);
    audit.push({ customerNumbers: group.customerNumbers, keep, linkedSourceIds });
  }
  return audit;
}
