import type { FortnoxClient } from '../client/index.js';
import { createCustomerIndex, type ResolveResult } from '../duplicates/index.js';
import type { FortnoxCustomerListItem } from '../fortnox/index.js';
import { type SourceCustomer, toFortnoxCustomer } from '../mapping/index.js';
import { call } from './delivery.js';
import type { EngineCore } from './engine-core.js';

/**
 * Runs the resolver before a create (it runs before every create) over a small
 * index built from exact searches, keeping the request count low:
 * - a company with an organisation number: that number only (its identity; 1 search);
 * - otherwise the name, plus the e-mail and (a private person's) personnummer when there are some
 *   (1–3 searches);
 * - a private person's phone too (private persons are checked by name and phone): it finds the
 *   same person under a name spelt differently in Fortnox ("Anna Svenson"), whom the exact name
 *   search misses. {@link PHONE_SPELLINGS} spellings: the way this library writes the number
 *   (`070-123 45 67`, the national format) and its bare digits (`0701234567`), the two ways Fortnox
 *   users commonly type it; `+46…` and other spacings are not searched (the client's finder would try
 *   up to seven, one paged request each).
 * A private person's save thus costs 1–5 searches (name, e-mail, personnummer, 2 × phone), a company
 * with an organisation number 1. They run at once; the tenant's rate limiter paces them.
 * A match already linked to another source customer becomes a question (see below); storage's
 * `link-conflict` guards the moment two saves match the same customer at once.
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
    const phone = customer.type === 'private' ? writtenPhone(customer) : undefined;
    if (phone !== undefined) {
      searches.push(
        call(customers.findByPhone(phone, undefined, { maxSpellings: PHONE_SPELLINGS })),
      );
    }
  }
  const found = (await Promise.all(searches)).flat();
  const index = createCustomerIndex();
  for (const item of found) {
    if (index.get(item.CustomerNumber) === undefined) index.add(item);
  }
  const result = core.resolver.resolve(customer, index);
  const { decision } = result;
  if (decision.kind !== 'link' && decision.kind !== 'update-existing') return result;
  // One Fortnox customer is one source customer: the same company or person twice in the source is a
  // question for a person (as in the initial-sync plan), never a second link nor a duplicate created.
  const holder = await core.storage.links.getByCustomerNumber(tenantId, decision.customerNumber);
  if (holder === undefined || holder.sourceId === customer.id) return result;
  const { customerNumber, evidence } = decision;
  return {
    ...result,
    decision: { kind: 'ask', candidates: [{ customerNumber, score: evidence.score, evidence }] },
  };
}

/** Phone spellings a private person's save searches: the library's own and the bare digits. */
export const PHONE_SPELLINGS = 2;

/** The phone as this library writes it to Fortnox (`070-123 45 67`); `undefined` when there is none. */
function writtenPhone(customer: SourceCustomer): string | undefined {
  const phone = toFortnoxCustomer(customer).map((write) => write.Phone1);
  return phone.isOk() && typeof phone.value === 'string' && phone.value.trim() !== ''
    ? phone.value
    : undefined;
}
