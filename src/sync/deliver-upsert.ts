import type { FortnoxClient } from '../client/index.js';
import { isNotFoundError } from '../client/index.js';
import type { DuplicateDecision } from '../duplicates/index.js';
import type { FortnoxCustomer, FortnoxCustomerCreate } from '../fortnox/index.js';
import type { SourceCustomer } from '../mapping/index.js';
import type { OutboxEntry, StoredCandidate, StoredError } from '../storage/sync-storage.js';
import { reconcileNotBefore } from './create-settle.js';
import {
  ClientFailure,
  call,
  type Delivered,
  isLinkConflict,
  LinkTaken,
  linkOf,
  MappingFailure,
  ParkedFailure,
  storedCandidate,
  tellLinked,
} from './delivery.js';
import type { EngineCore } from './engine-core.js';
import { linkExisting } from './link-existing.js';
import { matchExisting } from './match-existing.js';
import { ownedCreate, ownedUpdate } from './owned-write.js';
import { reconcile } from './reconcile.js';

/**
 * Delivers a save. Linked: ONE PUT with every owned field the source has (repairs drift, no GET).
 * Not linked: reconcile a possibly lost POST, then a settled decision, then the resolver, then create.
 */
export async function deliverUpsert(
  core: EngineCore,
  entry: OutboxEntry,
  client: FortnoxClient,
): Promise<Delivered> {
  const { tenantId, sourceId } = entry;
  const customer = entry.customer!;
  const update = ownedUpdate(customer);
  if (update.isErr()) throw new MappingFailure(update.error);
  const link = await core.storage.links.get(tenantId, sourceId);
  if (link !== undefined) {
    core.emit({ type: 'pushed', tenantId, sourceId, request: 'update' });
    const result = await client.customers.update(link.customerNumber, update.value);
    if (result.isOk()) {
      const { customerNumber } = link;
      await core.storage.outbox.complete(
        tenantId,
        sourceId,
        entry.version,
        linkOf(core, entry, result.value, link.origin),
        core.now(),
      );
      core.emit({
        type: 'updated',
        tenantId,
        sourceId,
        customerNumber,
        fields: Object.keys(update.value),
      });
      return { kind: 'synced', customerNumber };
    }
    if (!isNotFoundError(result.error)) throw new ClientFailure(result.error);
    // Deleted in Fortnox: saving the customer again is the documented fix, so create it anew.
    await core.storage.links.delete(tenantId, sourceId);
    core.emit({ type: 'unlinked', tenantId, sourceId, customerNumber: link.customerNumber });
  }
  return deliverUnlinked(core, entry, client, customer);
}

async function deliverUnlinked(
  core: EngineCore,
  entry: OutboxEntry,
  client: FortnoxClient,
  customer: SourceCustomer,
): Promise<Delivered> {
  const { tenantId, sourceId } = entry;
  const first = ownedCreate(customer);
  if (first.isErr()) throw new MappingFailure(first.error);
  if (entry.createAttempted) {
    // A POST this process did not see settle may still be on its way: looking now would find
    // nothing, and POSTing again would make a duplicate. Wait until it can no longer land.
    const notBefore = reconcileNotBefore(
      core.settledCreates,
      core.createSettleMs,
      entry,
      core.now(),
    );
    if (notBefore !== null) return { kind: 'deferred', deferUntil: notBefore };
    // Settled, here or (the window passed) wherever it was sent: later turns need not wait again.
    core.settledCreates.settled(tenantId, sourceId);
    const record = await reconcile(client, customer);
    if (record !== undefined) {
      const update = ownedUpdate(customer);
      if (update.isErr()) throw new MappingFailure(update.error);
      const target = { customerNumber: record.CustomerNumber, record };
      // Ours by its ExternalReference, yet linked meanwhile to another source customer that matched it.
      const evidence = { externalReference: 'agree' };
      return askWhenTaken(
        core,
        entry,
        { customerNumber: target.customerNumber, score: 1, evidence },
        () => linkExisting(core, entry, client, target, update.value, 'reconciled'),
      );
    }
  }
  const decision = await core.storage.decisions.get(tenantId, sourceId);
  const resolution = decision?.resolution;
  if (resolution != null && 'use' in resolution) {
    const target = { customerNumber: resolution.use };
    try {
      return await linkExisting(core, entry, client, target, first.value, 'decided');
    } catch (thrown) {
      if (thrown instanceof LinkTaken) throw new ParkedFailure(DECIDED_CUSTOMER_TAKEN);
      throw thrown;
    }
  }
  if (resolution != null || entry.skipMatching) return create(core, entry, client, customer);
  const { decision: resolved } = await matchExisting(core, tenantId, client, customer);
  const asked = askInstead(core, customer, resolved);
  switch (asked.kind) {
    case 'create':
      return create(core, entry, client, customer);
    case 'link':
    case 'update-existing': {
      const { customerNumber, evidence } = asked;
      const candidate = storedCandidate({ customerNumber, score: evidence.score, evidence });
      // Another source customer linked it meanwhile (saved at the same moment): a person decides.
      return askWhenTaken(core, entry, candidate, () =>
        linkExisting(core, entry, client, { customerNumber }, first.value, 'matched'),
      );
    }
    case 'ask':
      return ask(core, entry, asked.candidates.map(storedCandidate));
  }
}

/**
 * One Fortnox customer is one source customer: when storage refuses the link because another source
 * customer holds that Fortnox customer, the match becomes a question with it as the candidate.
 */
async function askWhenTaken(
  core: EngineCore,
  entry: OutboxEntry,
  candidate: StoredCandidate,
  link: () => Promise<Delivered>,
): Promise<Delivered> {
  try {
    return await link();
  } catch (thrown) {
    if (!(thrown instanceof LinkTaken)) throw thrown;
    return ask(core, entry, [candidate]);
  }
}

/**
 * A person chose a Fortnox customer that another source customer linked before this one could. The
 * choice stands (a settled decision is never asked again), so it waits, `failed`, until the other
 * link is gone (the two merged in the source, or the other deleted) and the customer is saved again.
 */
const DECIDED_CUSTOMER_TAKEN: StoredError = {
  kind: 'link-conflict',
  message:
    'The chosen Fortnox customer is already linked to another source customer; merge the two in the source (or delete the other), then save this one again.',
  userMessage: {
    sv: 'Den valda kunden i Fortnox är redan kopplad till en annan kund i kundregistret. Det är troligen samma kund: slå ihop dem och spara sedan kunden igen.',
    en: 'The chosen Fortnox customer is already linked to another customer in the register. They are likely the same customer: merge them, then save the customer again.',
  },
};

/** `companyMatch: 'ask'`: a company found by its organisation number is offered to a person instead. */
function askInstead(
  core: EngineCore,
  customer: SourceCustomer,
  decision: DuplicateDecision,
): DuplicateDecision {
  if (core.companyMatch !== 'ask' || customer.type !== 'company') return decision;
  if (decision.kind !== 'link' && decision.kind !== 'update-existing') return decision;
  if (decision.reason !== 'organisation-number') return decision;
  const { customerNumber, evidence } = decision;
  return { kind: 'ask', candidates: [{ customerNumber, score: evidence.score, evidence }] };
}

async function ask(
  core: EngineCore,
  entry: OutboxEntry,
  candidates: readonly StoredCandidate[],
): Promise<Delivered> {
  const { tenantId, sourceId } = entry;
  await core.storage.decisions.ask({ tenantId, sourceId, candidates, askedAt: core.now() });
  await core.storage.outbox.update(
    tenantId,
    sourceId,
    entry.version,
    { state: 'needs-decision', lastError: null },
    core.now(),
  );
  core.emit({ type: 'decision-needed', tenantId, sourceId, candidates: candidates.length });
  return { kind: 'needs-decision', candidates };
}

/** POST, with `createAttempted` stored first: a crash or lost answer reconciles before any new POST. */
async function create(
  core: EngineCore,
  entry: OutboxEntry,
  client: FortnoxClient,
  customer: SourceCustomer,
): Promise<Delivered> {
  const { tenantId, sourceId } = entry;
  const body = ownedCreate(customer);
  if (body.isErr()) throw new MappingFailure(body.error);
  // In flight from here until it settles: a handler that takes the item over meanwhile (this
  // process's or another's) waits `createSettleMs` from the `createAttempted` write below.
  core.settledCreates.sending(tenantId, sourceId);
  await core.storage.outbox.update(
    tenantId,
    sourceId,
    entry.version,
    { createAttempted: true },
    core.now(),
  );
  core.emit({ type: 'pushed', tenantId, sourceId, request: 'create' });
  let record: FortnoxCustomer;
  try {
    // The mapper always writes Name, which is what a create needs beyond a write.
    record = await call(client.customers.create(body.value as FortnoxCustomerCreate));
  } finally {
    // Answered, refused or timed out: this process may reconcile it at once (a lost answer).
    core.settledCreates.settled(tenantId, sourceId);
  }
  const { CustomerNumber: customerNumber } = record;
  const link = linkOf(core, entry, record, 'created');
  try {
    await core.storage.outbox.complete(tenantId, sourceId, entry.version, link, core.now());
  } catch (thrown) {
    if (!isLinkConflict(thrown)) throw thrown;
    // Fortnox just gave this number to our new customer: a link of another source customer to it is
    // stale (its customer was deleted in Fortnox and the number given again). Drop it, then link.
    const stale = await core.storage.links.getByCustomerNumber(tenantId, customerNumber);
    if (stale !== undefined && stale.sourceId !== sourceId) {
      await core.storage.links.delete(tenantId, stale.sourceId);
      core.emit({ type: 'unlinked', tenantId, sourceId: stale.sourceId, customerNumber });
    }
    await core.storage.outbox.complete(tenantId, sourceId, entry.version, link, core.now());
  }
  core.emit({ type: 'created', tenantId, sourceId, customerNumber });
  await tellLinked(core, entry, customerNumber);
  return { kind: 'synced', customerNumber };
}
