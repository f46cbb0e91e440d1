import { isNotFoundError } from '../client/index.js';
import type { SourceCustomer } from '../mapping/index.js';
import type { DecisionResolution, OutboxChange } from '../storage/sync-storage.js';
import type { EngineCore } from './engine-core.js';
import { fortnoxFailure } from './inventory.js';
import { syncErrors } from './sync-engine-error.js';
import type { SaveOutcome } from './sync-engine-types.js';

const text = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A tenant id must be a non-empty string (a programmer's slip shows as `invalid-input`). */
export function requireTenantId(tenantId: unknown): void {
  if (!text(tenantId)) {
    throw syncErrors.invalidInput('tenantId must be a non-empty string.', {
      sv: 'Företaget är okänt.',
      en: 'The company is unknown.',
    });
  }
}

export const requireSourceId = (sourceId: unknown): void => {
  if (!text(sourceId)) {
    throw syncErrors.invalidInput('The customer id must be a non-empty string.', {
      sv: 'Kunden saknar id och kan inte synkroniseras.',
      en: 'The customer has no id and cannot be synced.',
    });
  }
};

/**
 * Queues a change and waits at most `saveTimeoutMs` for its outcome. A durable adapter makes the item
 * due inside `enqueue` (`enqueueMakesDue`), so a fast worker may deliver it before the waiter below
 * exists: after registering the wait, storage is read once more, and an outcome already there (or a
 * paused tenant) answers at once. Only then is the item scheduled (when `enqueue` did not already make
 * it due); a settled or paused change is not scheduled at all.
 */
async function enqueueAndWait(
  core: EngineCore,
  tenantId: string,
  sourceId: string,
  change: OutboxChange,
): Promise<SaveOutcome> {
  const entry = await core.storage.outbox.enqueue(tenantId, sourceId, change, core.now());
  core.emit({ type: 'enqueued', tenantId, sourceId, operation: change.operation });
  const outcome = core.waiters.wait(tenantId, sourceId, entry.version, core.saveTimeoutMs);
  const stored = await core.storedOutcome(tenantId, sourceId);
  if (stored.outcome !== null && answersNow(stored.outcome)) {
    core.waiters.notify(tenantId, sourceId, entry.version, delivered(change, stored.outcome));
    return outcome;
  }
  await core.makeDue(tenantId, sourceId);
  return outcome;
}

/**
 * A stored outcome the save answers with at once: settled (`synced`, `deleted`, `failed`,
 * `needs-decision`) or `paused`. A `retrying` one is not: a retry due before the wait ends is waited for.
 */
const answersNow = (outcome: SaveOutcome): boolean =>
  outcome.status !== 'pending' || outcome.reason === 'paused';

/**
 * A delete delivered as a deactivation keeps its link, so storage alone reads as `synced`: the save
 * knows it queued a delete, and answers as the delivery would have (`deleted`, with the number).
 */
const delivered = (change: OutboxChange, outcome: SaveOutcome): SaveOutcome =>
  change.operation === 'delete' && outcome.status === 'synced'
    ? { status: 'deleted', customerNumber: outcome.customerNumber }
    : outcome;

/**
 * `customerSaved`: a value without a usable `id` is `invalid-input` (nothing to queue); everything
 * else is queued — data Fortnox would refuse too, so it is parked `failed` with the field's reason
 * and a new save retries.
 */
export async function saveCustomer(
  core: EngineCore,
  tenantId: string,
  customer: SourceCustomer,
): Promise<SaveOutcome> {
  requireTenantId(tenantId);
  if (typeof customer !== 'object' || customer === null) {
    throw syncErrors.invalidInput('customerSaved needs a source customer object.', {
      sv: 'Kunduppgifterna saknas.',
      en: 'The customer data is missing.',
    });
  }
  requireSourceId(customer.id);
  return enqueueAndWait(core, tenantId, customer.id.trim(), { operation: 'upsert', customer });
}

/** `customerDeleted`: queues the delete (deactivate by default) and waits for its outcome. */
export async function deleteCustomer(
  core: EngineCore,
  tenantId: string,
  sourceId: string,
): Promise<SaveOutcome> {
  requireTenantId(tenantId);
  requireSourceId(sourceId);
  const id = sourceId.trim();
  // A create that may have reached Fortnox unseen must be found to be deleted: keep what finds it.
  const queued = await core.storage.outbox.get(tenantId, id);
  const reconcileWith = queued?.createAttempted === true ? queued.customer : null;
  return enqueueAndWait(core, tenantId, id, {
    operation: 'delete',
    ...(reconcileWith == null ? {} : { customer: reconcileWith }),
  });
}

const badResolution = () =>
  syncErrors.invalidInput(
    "A resolution is { use: '<customer number>' } or { createNew: true }, and `use` must name one of the candidates or an existing Fortnox customer not linked to another customer.",
    {
      sv: 'Välj en av de föreslagna kunderna i Fortnox, eller skapa en ny kund.',
      en: 'Choose one of the suggested Fortnox customers, or create a new customer.',
    },
  );

/**
 * Settles a pending decision and delivers the customer accordingly: `use` links to that Fortnox
 * customer and updates it, `createNew` creates without asking the resolver again. A settled decision
 * is never asked again; settling it twice answers with the customer's current outcome.
 */
export async function settleDecision(
  core: EngineCore,
  tenantId: string,
  sourceId: string,
  resolution: DecisionResolution,
  actorId: string,
): Promise<SaveOutcome> {
  requireTenantId(tenantId);
  requireSourceId(sourceId);
  const use =
    typeof resolution === 'object' && resolution !== null && 'use' in resolution
      ? resolution.use
      : undefined;
  const createNew =
    typeof resolution === 'object' &&
    resolution !== null &&
    'createNew' in resolution &&
    resolution.createNew === true;
  if (use === undefined ? !createNew : !text(use)) throw badResolution();
  const record = await core.storage.decisions.get(tenantId, sourceId);
  if (record === undefined) throw syncErrors.notFound('A decision for the customer');
  if (record.resolution === null && use !== undefined) {
    await requireUsable(core, tenantId, sourceId, use.trim(), record.candidates);
  }
  const settled = await core.storage.decisions.settle(
    tenantId,
    sourceId,
    use === undefined ? { createNew: true } : { use: use.trim() },
    actorId,
    core.now(),
  );
  if (settled === record || record.resolution !== null) {
    return core.settled(tenantId, sourceId, core.saveTimeoutMs);
  }
  core.emit({ type: 'decision-resolved', tenantId, sourceId });
  const entry = await core.storage.outbox.get(tenantId, sourceId);
  if (entry?.customer == null) {
    // Nothing queued to deliver: the decision applies at the customer's next save.
    const link = await core.storage.links.get(tenantId, sourceId);
    return link === undefined
      ? { status: 'pending', reason: 'timeout', lastError: null }
      : { status: 'synced', customerNumber: link.customerNumber };
  }
  return enqueueAndWait(core, tenantId, sourceId, {
    operation: 'upsert',
    customer: entry.customer,
    ...(use === undefined ? { skipMatching: true } : {}),
  });
}

/** `use` must be a candidate, or a Fortnox customer that exists (one GET) and is nobody else's. */
async function requireUsable(
  core: EngineCore,
  tenantId: string,
  sourceId: string,
  customerNumber: string,
  candidates: readonly { readonly customerNumber: string }[],
): Promise<void> {
  const linked = await core.storage.links.getByCustomerNumber(tenantId, customerNumber);
  if (linked !== undefined && linked.sourceId !== sourceId) throw badResolution();
  if (candidates.some((candidate) => candidate.customerNumber === customerNumber)) return;
  const client = await core.client(tenantId);
  const found = await client.customers.get(customerNumber);
  if (found.isErr()) {
    if (isNotFoundError(found.error)) throw badResolution();
    throw fortnoxFailure(found.error);
  }
}
