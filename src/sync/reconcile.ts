import type { FortnoxClient } from '../client/index.js';
import { isNotFoundError } from '../client/index.js';
import type { FortnoxCustomer, FortnoxCustomerListItem } from '../fortnox/index.js';
import type { SourceCustomer } from '../mapping/index.js';
import { ClientFailure, call } from './delivery.js';

/**
 * After a POST whose answer was lost, finds the customer it may have created (Fortnox has no
 * idempotency keys). `ExternalReference` is not searchable, so: search by organisation number, then e-mail,
 * then name (exact finders), GET each new candidate's full record and keep the one whose
 * `ExternalReference` is the source id. Stops at the first hit: usually one search and one GET.
 */
export async function reconcile(
  client: FortnoxClient,
  customer: SourceCustomer,
): Promise<FortnoxCustomer | undefined> {
  const { customers } = client;
  const searches: (() => Promise<FortnoxCustomerListItem[]>)[] = [];
  const organisationNumber = customer.organisationNumber?.trim();
  const email = customer.email?.trim();
  if (organisationNumber) {
    searches.push(() => call(customers.findByOrganisationNumber(organisationNumber)));
  }
  if (email) searches.push(() => call(customers.findByEmail(email)));
  searches.push(() => call(customers.findByName(customer.name)));
  const sourceId = customer.id.trim();
  const seen = new Set<string>();
  for (const search of searches) {
    for (const item of await search()) {
      if (seen.has(item.CustomerNumber)) continue;
      seen.add(item.CustomerNumber);
      const record = await customers.get(item.CustomerNumber);
      if (record.isErr()) {
        // Deleted since the search: not ours any more.
        if (isNotFoundError(record.error)) continue;
        throw new ClientFailure(record.error);
      }
      if (record.value.ExternalReference?.trim() === sourceId) return record.value;
    }
  }
  return undefined;
}
