import {
  createCustomerIndex,
  type DuplicateCandidate,
  type DuplicateDecision,
  findDuplicateGroups,
  type IndexableCustomer,
} from '../duplicates/index.js';
import type { FortnoxCustomerWrite } from '../fortnox/index.js';
import { parseSourceCustomer, type SourceCustomer, toFortnoxCustomer } from '../mapping/index.js';
import type {
  CustomerLink,
  OutboxEntry,
  StoredCandidate,
  StoredError,
} from '../storage/sync-storage.js';
import { storedMappingError } from './classify-error.js';
import { storedCandidate } from './delivery.js';
import type { EngineContext } from './engine-context.js';
import {
  type Inventory,
  type InventoryEntry,
  type InventoryPageProgress,
  readInventory,
} from './inventory.js';
import { syncErrors } from './sync-engine-error.js';
import type { InitialSyncPlan, PlanAction, PlanWarning } from './sync-engine-types.js';

/** One planned action with what executing it needs (the plan's public action is `action`). */
export type PlannedStep =
  | {
      readonly kind: 'create';
      readonly action: Extract<PlanAction, { action: 'create' }>;
      readonly customer: SourceCustomer;
    }
  | {
      /** Already in the outbox, pending (an earlier run's create or update): wait for it. */
      readonly kind: 'queued';
      readonly action: Extract<PlanAction, { action: 'create' | 'update' }>;
    }
  | {
      readonly kind: 'link';
      readonly action: Extract<PlanAction, { action: 'link' }>;
      readonly customer: SourceCustomer;
      readonly fortnox: InventoryEntry;
      /** The match, with the resolver's evidence (offered if a person must decide after all). */
      readonly candidate: StoredCandidate;
    }
  | {
      readonly kind: 'update';
      readonly action: Extract<PlanAction, { action: 'update' }>;
      readonly customer: SourceCustomer;
      readonly fortnox: InventoryEntry;
      readonly candidate: StoredCandidate;
      /** The PUT body: the decision's fields only. */
      readonly write: FortnoxCustomerWrite;
    }
  | {
      readonly kind: 'ask';
      readonly action: Extract<PlanAction, { action: 'ask' }>;
      readonly customer: SourceCustomer | null;
      readonly queued: boolean;
    }
  | {
      readonly kind: 'failed';
      readonly action: Extract<PlanAction, { action: 'failed' }>;
      readonly customer: unknown;
      readonly queued: boolean;
    }
  | {
      readonly kind: 'already-linked';
      readonly action: Extract<PlanAction, { action: 'already-linked' }>;
    };

/** A plan and what executing it needs. */
export type PlannedSync = {
  readonly plan: InitialSyncPlan;
  readonly steps: readonly PlannedStep[];
};

const EMPTY_COUNTS = (): Record<PlanAction['action'], number> => ({
  create: 0,
  link: 0,
  update: 0,
  ask: 0,
  failed: 0,
  'already-linked': 0,
});

/** The candidates of a decision as storage keeps them: numbers, scores and how each field compared. */
const storedCandidates = (candidates: readonly DuplicateCandidate[]): StoredCandidate[] =>
  candidates.map(storedCandidate);

/** The words of an entry's state, for a customer the outbox already holds. */
function queuedStep(
  entry: OutboxEntry,
  decisionCandidates: readonly StoredCandidate[],
  link: CustomerLink | undefined,
): PlannedStep | undefined {
  const sourceId = entry.sourceId;
  if (entry.state === 'failed' && entry.lastError !== null) {
    return {
      kind: 'failed',
      action: { action: 'failed', sourceId, error: entry.lastError },
      customer: entry.customer,
      queued: true,
    };
  }
  if (entry.state === 'needs-decision') {
    return {
      kind: 'ask',
      action: { action: 'ask', sourceId, candidates: decisionCandidates },
      customer: entry.customer,
      queued: true,
    };
  }
  if (entry.operation === 'upsert' && entry.customer !== null) {
    // The save pipeline writes every owned field the source has; which ones differ is its business.
    const action =
      link === undefined
        ? ({ action: 'create', sourceId } as const)
        : ({
            action: 'update',
            sourceId,
            customerNumber: link.customerNumber,
            fields: [],
          } as const);
    return { kind: 'queued', action };
  }
  return undefined;
}

function invalidSource(position: number, why: string) {
  return syncErrors.invalidInput(`source.list() yielded ${why} at position ${position}.`, {
    sv: 'Kundregistret lämnade en kund utan giltigt id; synkroniseringen kan inte fortsätta.',
    en: 'The customer register returned a customer without a valid id; the sync cannot go on.',
  });
}

/** Reads the id of whatever the source yielded; only a non-empty string id can be planned. */
function idOf(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.trim() !== '' ? id : undefined;
}

/**
 * The initial-sync plan (a dry run: reads Fortnox and storage, writes nothing): inventory, every
 * source customer mapped (a mapping error is `failed`), those linked or queued before skipped, the
 * rest resolved against the inventory in one batch.
 */
export async function buildInitialSyncPlan(
  ctx: EngineContext,
  tenantId: string,
  options: {
    readonly signal?: AbortSignal;
    /** After every inventory page: pages read of how many. */
    readonly onInventory?: (progress: InventoryPageProgress) => void;
  } = {},
): Promise<PlannedSync> {
  const source = ctx.source;
  if (source === undefined) throw syncErrors.noSource();
  const client = await ctx.client(tenantId);
  const inventory: Inventory = await readInventory(client, options.onInventory, options.signal);
  const index = createCustomerIndex([...inventory.customers.values()].map(({ item }) => item));

  const links = new Map((await ctx.storage.links.list(tenantId)).map((l) => [l.sourceId, l]));
  const queued = new Map((await ctx.storage.outbox.list(tenantId)).map((e) => [e.sourceId, e]));
  const asked = new Map(
    (await ctx.storage.decisions.list(tenantId, { pending: true })).map((d) => [d.sourceId, d]),
  );

  const steps: (PlannedStep | { readonly resolve: SourceCustomer })[] = [];
  const seen = new Set<string>();
  let position = 0;
  for await (const raw of source.list(tenantId) as AsyncIterable<unknown>) {
    position += 1;
    const sourceId = idOf(raw);
    if (sourceId === undefined) throw invalidSource(position, 'a customer without an id');
    if (seen.has(sourceId)) throw invalidSource(position, 'the same id twice');
    seen.add(sourceId);
    const link = links.get(sourceId);
    // Queued work first: a linked customer may still have an update on its way.
    const entry = queued.get(sourceId);
    const fromQueue =
      entry === undefined
        ? undefined
        : queuedStep(entry, asked.get(sourceId)?.candidates ?? [], link);
    if (fromQueue !== undefined) {
      steps.push(fromQueue);
      continue;
    }
    if (link !== undefined) {
      steps.push({
        kind: 'already-linked',
        action: { action: 'already-linked', sourceId, customerNumber: link.customerNumber },
      });
      continue;
    }
    const parsed = parseSourceCustomer(raw).andThen((customer) =>
      toFortnoxCustomer(customer).map(() => customer),
    );
    if (parsed.isErr()) {
      const error: StoredError = storedMappingError(parsed.error);
      steps.push({
        kind: 'failed',
        action: { action: 'failed', sourceId, error },
        customer: raw,
        queued: false,
      });
    } else steps.push({ resolve: parsed.value });
  }

  const toResolve = steps.flatMap((step) => ('resolve' in step ? [step.resolve] : []));
  const results = ctx.resolver.resolveAll(toResolve, index);
  let next = 0;
  const resolved = steps.map((step) => {
    if (!('resolve' in step)) return step;
    const result = results[next++];
    if (result === undefined) throw new TypeError('resolver.resolveAll returned too few results');
    return stepOf(ctx, step.resolve, result.decision, inventory);
  });
  const linkedNumbers = new Set([...links.values()].map((link) => link.customerNumber));
  const planned = askWhenShared(resolved, linkedNumbers);

  const counts = EMPTY_COUNTS();
  for (const step of planned) counts[step.action.action] += 1;
  return {
    steps: planned,
    plan: {
      tenantId,
      fortnoxCustomers: inventory.customers.size,
      sourceCustomers: planned.length,
      counts,
      actions: planned.map((step) => step.action),
      requestsUsed: inventory.pages,
      warnings: duplicatesAmongCreates(planned),
    },
  };
}

/** The step of one resolved source customer. */
function stepOf(
  ctx: EngineContext,
  customer: SourceCustomer,
  decision: DuplicateDecision,
  inventory: Inventory,
): PlannedStep {
  const sourceId = customer.id;
  if (decision.kind === 'create') {
    return { kind: 'create', action: { action: 'create', sourceId }, customer };
  }
  if (decision.kind === 'ask') {
    const candidates = storedCandidates(decision.candidates);
    return {
      kind: 'ask',
      action: { action: 'ask', sourceId, candidates },
      customer,
      queued: false,
    };
  }
  const { customerNumber } = decision;
  const fortnox = inventory.customers.get(customerNumber);
  if (fortnox === undefined) {
    // A custom resolver may name a customer the inventory lacks: a person decides.
    const candidates = [{ customerNumber, score: 0, evidence: {} }];
    return {
      kind: 'ask',
      action: { action: 'ask', sourceId, candidates },
      customer,
      queued: false,
    };
  }
  const fields: string[] = decision.kind === 'update-existing' ? [...decision.fields] : [];
  // The source owns `Active`; the inventory learnt it from the filtered pages.
  if (fortnox.active !== customer.active) fields.push('Active');
  const full: Readonly<Record<string, unknown>> = toFortnoxCustomer(customer).unwrapOr({});
  // Only fields the mapped source has a value for (the resolver judged the raw source).
  const written = fields.filter((field) => full[field] !== undefined);
  const candidate = storedCandidate({
    customerNumber,
    score: decision.evidence.score,
    evidence: decision.evidence,
  });
  if (
    written.length > 0 &&
    ctx.companyMatch === 'ask' &&
    decision.reason === 'organisation-number'
  ) {
    const candidates = [candidate];
    return {
      kind: 'ask',
      action: { action: 'ask', sourceId, candidates },
      customer,
      queued: false,
    };
  }
  if (written.length === 0) {
    return {
      kind: 'link',
      action: { action: 'link', sourceId, customerNumber },
      customer,
      fortnox,
      candidate,
    };
  }
  const write = Object.fromEntries(
    written.map((field) => [field, full[field]]),
  ) as FortnoxCustomerWrite;
  return {
    kind: 'update',
    action: { action: 'update', sourceId, customerNumber, fields: written },
    customer,
    fortnox,
    write,
    candidate,
  };
}

/**
 * One Fortnox customer is one source customer: where several source customers would link to the same
 * Fortnox customer (duplicates in the source), or one would link to a customer already linked to
 * another, each of them becomes a question with that customer as the candidate — a person decides
 * (use it anyway, or create a new one) rather than the sync linking two to one.
 */
function askWhenShared(steps: PlannedStep[], alreadyLinked: ReadonlySet<string>): PlannedStep[] {
  const targets = new Map<string, number>();
  for (const step of steps) {
    if (step.kind === 'link' || step.kind === 'update') {
      const number = step.action.customerNumber;
      targets.set(number, (targets.get(number) ?? 0) + 1);
    }
  }
  return steps.map((step) => {
    if (step.kind !== 'link' && step.kind !== 'update') return step;
    const number = step.action.customerNumber;
    if ((targets.get(number) ?? 0) < 2 && !alreadyLinked.has(number)) return step;
    const candidates = [step.candidate];
    return {
      kind: 'ask',
      action: { action: 'ask', sourceId: step.action.sourceId, candidates },
      customer: step.customer,
      queued: false,
    };
  });
}

const DUPLICATE_IN_SOURCE = {
  sv: 'De här kunderna finns inte i Fortnox och verkar vara samma företag eller person. Var och en skapas i Fortnox; slå ihop dem i kundregistret om de är en och samma.',
  en: 'These customers are not in Fortnox and look like the same company or person. Each is created in Fortnox; merge them in the customer register if they are one.',
};

/**
 * Source customers to be created that look like one another (the same company or person twice in the
 * source, none in Fortnox): the duplicate audit's grouping over the creates, keyed by source id. Each
 * is still created — the source is the master, and two source customers are two Fortnox customers
 * as two saves would be — but a person is told, so they can merge them in the source.
 */
function duplicatesAmongCreates(steps: readonly PlannedStep[]): PlanWarning[] {
  const creates: IndexableCustomer[] = [];
  for (const step of steps) {
    if (step.kind !== 'create') continue;
    const mapped = toFortnoxCustomer(step.customer);
    // The mapper's write has the index's fields (Name, OrganisationNumber, Email, Phone1, address).
    const fields = mapped.isOk()
      ? (mapped.value as Omit<IndexableCustomer, 'CustomerNumber'>)
      : null;
    if (fields !== null) creates.push({ ...fields, CustomerNumber: step.action.sourceId });
  }
  if (creates.length < 2) return [];
  return findDuplicateGroups(creates).map((group) => ({
    code: 'duplicate-in-source',
    sourceIds: group.customerNumbers,
    message: `Plan warning duplicate-in-source: ${group.customerNumbers.length} source customers to be created look like the same company or person; each is created.`,
    userMessage: DUPLICATE_IN_SOURCE,
  }));
}
