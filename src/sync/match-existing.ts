import type { FortnoxClient } from '../client/index.js';
import { createCustomerIndex, type ResolveResult } from '../duplicates/index.js';
import type { FortnoxCustomerListItem } from '../fortnox/index.js';
import type { SourceCustomer } from '../mapping/index.js';
import { call } from './delivery.js';
import type { EngineCore } from './engine-core.js';

/**
 * Runs the resolver before a create (issue 9, "The resolver runs before every create") over a small
 * index built from exact searches, keeping the request count low:
 * - a company with an organisation number: that number only (its identity; 1 search);
 * - otherwise the name, plus the e-mail and (a private person's) personnummer when there are some
 *   (1–3 searches). Phone is not searched: the finder tries up to seven spellings, and the link
 *   rules never link on a phone without the name, which the name search already finds.
 * Fortnox customers already linked to another source customer are left out: they are someone else.
 */
export async function matchExisting(
  core: EngineCore,
  tenantId: string,
  client: FortnoxClient,
  customer: SourceCustomer,
): Promise<ResolveResult> {
  const { customers } = client;
  const organisationNumber = customer.organisationNumber?.trim();
  const email = customer.email?.trim();
  const searches: Promise<FortnoxCustomerListItem[]>[] = [];
  if (customer.type === 'company' && organisationNumber) {
    searches.push(call(customers.findByOrganisationNumber(organisationNumber)));
  } else {
    searches.push(call(customers.findByName(customer.name)));
    if (email) searches.push(call(customers.findByEmail(email)));
    if (organisationNumber) {
      searches.push(call(customers.findByOrganisationNumber(organisationNumber)));
    }
  }
  const found = (await Promise.all(searches)).flat();
  const index = createCustomerIndex();
  for (const item of found) {
    if (index.get(item.CustomerNumber) !== undefined) continue;
    const linked = await core.storage.links.getByCustomerNumber(tenantId, item.CustomerNumber);
    if (linked !== undefined && linked.sourceId !== customer.id) continue;
    index.add(item);
  }
  return core.resolver.resolve(customer, index);
}
