import { randomUUID } from 'node:crypto';
import type { FortnoxCustomer, FortnoxCustomerListItem } from '../fortnox/index.js';
import { fingerprint, normalizeFortnoxCustomer, type SourceCustomer } from '../mapping/index.js';
import type { CustomerLink, LinkOrigin, StoredCandidate } from '../storage/sync-storage.js';
import { isLinkConflict } from './delivery.js';
import type { EngineContext } from './engine-context.js';
import { flowBackPatch } from './flow-back.js';
import { callHost } from './host-callback.js';
import { buildInitialSyncPlan, type PlannedStep } from './initial-sync-plan.js';
import { SyncEngineError, syncErrors } from './sync-engine-error.js';
import type {
  InitialSyncPlan,
  InitialSyncProgress,
  InitialSyncReport,
  PlanAction,
} from './sync-engine-types.js';

/** Checkpoint key of the initial sync (per tenant). */
export const INITIAL_SYNC_CHECKPOINT = 'initial-sync';

/** What the checkpoint holds: no customer data, only where the run stands. */
export type InitialSyncCheckpoint = {
  readonly runId: string;
  readonly startedAt: number;
  readonly phase: InitialSyncProgress['phase'];
  readonly done: number;
  readonly total: number;
  readonly counts: Readonly<Record<PlanAction['action'], number>> | null;
  readonly finishedAt: number | null;
};

/** Options of {@link runInitialSync}. */
export type RunInitialSyncOptions = {
  readonly onProgress?: (progress: InitialSyncProgress) => void;
  readonly signal?: AbortSignal;
};

/** Links and updates run this many at once: enough to keep the client's rate limiter busy. */
const DIRECT_CONCURRENCY = 8;
/** How long one wait for a queued create lasts before looking again (signal, pause). */
const SETTLE_WAIT_MS = 5_000;
/** The checkpoint is rewritten after this many finished customers. */
const CHECKPOINT_EVERY = 100;

const emptyCounts = (): Record<PlanAction['action'], number> => ({
  create: 0,
  link: 0,
  update: 0,
  ask: 0,
  failed: 0,
  'already-linked': 0,
});

/**
 * The initial sync as a dry run: inventories Fortnox (⌈A/500⌉ + ⌈I/500⌉ list requests), matches every
 * source customer and returns counts and the action per customer. Writes nothing: not to Fortnox,
 * not to storage, not to the source.
 */
export async function planInitialSync(
  ctx: EngineContext,
  tenantId: string,
): Promise<InitialSyncPlan> {
  return (await buildInitialSyncPlan(ctx, tenantId)).plan;
}

async function readCheckpoint(
  ctx: EngineContext,
  tenantId: string,
): Promise<InitialSyncCheckpoint | undefined> {
  const value = (await ctx.storage.checkpoints.get(tenantId, INITIAL_SYNC_CHECKPOINT)) as
    | Partial<InitialSyncCheckpoint>
    | undefined;
  return typeof value?.runId === 'string' && typeof value.startedAt === 'number'
    ? (value as InitialSyncCheckpoint)
    : undefined;
}

function linkOf(
  tenantId: string,
  sourceId: string,
  customerNumber: string,
  fortnox: FortnoxCustomer | FortnoxCustomerListItem,
  origin: LinkOrigin,
  now: number,
): CustomerLink {
  return {
    tenantId,
    sourceId,
    customerNumber,
    fingerprint: fingerprint(normalizeFortnoxCustomer(fortnox)),
    origin,
    syncedAt: now,
  };
}

/**
 * Runs the initial sync: plans again (a resumed run inventories again, since storage keeps no
 * Fortnox data), then executes — `link` stores the link (no request), `update` sends one PUT of the
 * decision's fields, `create` goes through the outbox (the save pipeline POSTs, with its
 * crash-safe `createAttempted`/reconcile), `ask` records a decision, `failed` parks the customer
 * with its reason. Waits until every queued create has settled. Abortable and resumable: a crash
 * or an abort leaves links and outbox entries from which the next run goes on, nothing doubled.
 */
export async function runInitialSync(
  ctx: EngineContext,
  tenantId: string,
  options: RunInitialSyncOptions = {},
): Promise<InitialSyncReport> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw syncErrors.aborted(signal.reason);
  // A paused tenant sends nothing: `connect` first, then the initial sync.
  const tenant = await ctx.storage.tenants.get(tenantId);
  if (tenant?.connection !== 'connected') throw pausedError(tenant?.reason?.userMessage);
  const started = ctx.now();
  const previous = await readCheckpoint(ctx, tenantId);
  const resumed = previous !== undefined && previous.phase !== 'done';
  let checkpoint: InitialSyncCheckpoint = {
    runId: resumed ? previous.runId : randomUUID(),
    startedAt: resumed ? previous.startedAt : started,
    phase: 'inventory',
    done: 0,
    total: 0,
    counts: null,
    finishedAt: null,
  };
  let saving = Promise.resolve();
  const save = (patch: Partial<InitialSyncCheckpoint>) => {
    checkpoint = { ...checkpoint, ...patch };
    const value = checkpoint;
    // One write at a time, in order; a failed write does not block the next one.
    saving = saving
      .catch(() => undefined)
      .then(() => ctx.storage.checkpoints.put(tenantId, INITIAL_SYNC_CHECKPOINT, value));
    return saving;
  };
  const counts = emptyCounts();
  let done = 0;
  let total = 0;
  const report = (phase: InitialSyncProgress['phase']) => {
    const progress: InitialSyncProgress = { tenantId, phase, done, total, counts: { ...counts } };
    ctx.emit({ type: 'progress', progress });
    onProgress?.(progress);
  };

  await save({});
  report('inventory');
  const { plan, steps } = await buildInitialSyncPlan(ctx, tenantId, {
    ...(signal === undefined ? {} : { signal }),
  }).catch((error: unknown) => {
    throw signal?.aborted ? syncErrors.aborted(error) : error;
  });
  total = steps.length;
  for (const warning of plan.warnings) ctx.emit({ type: 'plan-warning', tenantId, warning });
  await save({ phase: 'planning', total });
  report('planning');
  await save({ phase: 'executing' });

  let requests = plan.requestsUsed;
  const finish = (action: PlanAction['action']) => {
    counts[action] += 1;
    done += 1;
    report('executing');
    if (done % CHECKPOINT_EVERY === 0) {
      // Best effort between phases; the final save reports a failure.
      save({ done, counts: { ...counts } }).catch(() => undefined);
    }
  };
  const execution = createExecution(ctx, tenantId, signal, finish, () => {
    requests += 1;
  });
  try {
    await execution.run(steps);
  } finally {
    await save({ done, counts: { ...counts } });
  }

  const finishedAt = ctx.now();
  await save({ phase: 'done', finishedAt });
  const result: InitialSyncReport = {
    tenantId,
    phase: 'done',
    done,
    total,
    counts: { ...counts },
    requests,
    durationMs: finishedAt - started,
    resumed,
  };
  ctx.emit({ type: 'progress', progress: { tenantId, phase: 'done', done, total, counts } });
  onProgress?.({ tenantId, phase: 'done', done, total, counts: { ...counts } });
  return result;
}

/** Executes the steps of a plan; see {@link runInitialSync}. */
function createExecution(
  ctx: EngineContext,
  tenantId: string,
  signal: AbortSignal | undefined,
  finish: (action: PlanAction['action']) => void,
  countRequest: () => void,
) {
  const storage = ctx.storage;
  const call = signal === undefined ? {} : { signal };
  const waits: Promise<void>[] = [];
  const awaitLater = (wait: Promise<void>) => {
    // Settled by run(); marked handled now, in case run() stops before it looks.
    wait.catch(() => undefined);
    waits.push(wait);
  };

  /** Whether another source customer holds the Fortnox customer now (linked since the plan). */
  const takenByAnother = async (sourceId: string, customerNumber: string) => {
    const holder = await storage.links.getByCustomerNumber(tenantId, customerNumber);
    return holder !== undefined && holder.sourceId !== sourceId;
  };

  /**
   * Links a matched customer; `false` when another source customer holds the Fortnox customer (a save
   * linked it since the plan): nothing linked, the caller asks a person. Storage's link-conflict
   * decides at the write; the look before it spares the host a `linked` call in the usual case.
   */
  const linkLocally = async (
    customer: SourceCustomer,
    customerNumber: string,
    fortnox: FortnoxCustomer | FortnoxCustomerListItem,
  ): Promise<boolean> => {
    if (await takenByAnother(customer.id, customerNumber)) return false;
    const patch = flowBackPatch(customer, fortnox);
    // A host that fails to take what it is told does not undo the sync (an event; it can ask status()).
    const source = ctx.source;
    if (patch !== undefined && source?.update !== undefined) {
      await callHost(ctx, tenantId, customer.id, 'update', () =>
        source.update?.(tenantId, customer.id, patch),
      );
    }
    if (source?.linked !== undefined) {
      await callHost(ctx, tenantId, customer.id, 'linked', () =>
        source.linked?.(tenantId, customer.id, customerNumber),
      );
    }
    // The link is written last: it is what tells a resumed run that this customer is done.
    try {
      await storage.links.put(
        linkOf(tenantId, customer.id, customerNumber, fortnox, 'matched', ctx.now()),
      );
    } catch (thrown) {
      if (isLinkConflict(thrown)) return false;
      throw thrown;
    }
    ctx.emit({
      type: 'linked',
      tenantId,
      sourceId: customer.id,
      customerNumber,
      origin: 'matched',
    });
    return true;
  };

  /** Waits until the pipeline has settled a queued customer; counts it by its outcome. */
  const waitFor = async (sourceId: string, action: 'create' | 'update' | 'ask'): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      const outcome = await ctx.settled(tenantId, sourceId, SETTLE_WAIT_MS);
      if (outcome.status === 'synced') {
        if (action === 'create') countRequest();
        return finish(action);
      }
      if (outcome.status === 'failed') return finish('failed');
      if (outcome.status === 'needs-decision') return finish('ask');
      if (outcome.status === 'pending' && outcome.reason === 'paused')
        throw pausedError(outcome.lastError?.userMessage);
    }
  };

  const queue = async (customer: SourceCustomer, skipMatching: boolean) => {
    await ctx.enqueue(tenantId, customer.id, {
      operation: 'upsert',
      customer,
      ...(skipMatching ? { skipMatching: true } : {}),
    });
  };

  /** Records a question for a person (never asked twice) and parks the customer as `needs-decision`. */
  const askPerson = async (
    customer: SourceCustomer,
    candidates: readonly StoredCandidate[],
  ): Promise<void> => {
    const sourceId = customer.id;
    const record = await storage.decisions.ask({
      tenantId,
      sourceId,
      candidates,
      askedAt: ctx.now(),
    });
    if (record.resolution !== null) {
      // Settled before: the pipeline applies the settled decision (never asked twice).
      await queue(customer, false);
      awaitLater(waitFor(sourceId, 'ask'));
      return;
    }
    const entry = await storage.outbox.enqueue(
      tenantId,
      sourceId,
      { operation: 'upsert', customer },
      ctx.now(),
    );
    await storage.outbox.update(
      tenantId,
      sourceId,
      entry.version,
      { state: 'needs-decision' },
      ctx.now(),
    );
    ctx.emit({ type: 'decision-needed', tenantId, sourceId, candidates: candidates.length });
    return finish('ask');
  };

  const runStep = async (step: PlannedStep): Promise<void> => {
    switch (step.kind) {
      case 'already-linked':
        return finish('already-linked');
      case 'failed': {
        const { action } = step;
        if (step.queued) return finish('failed');
        const entry = await storage.outbox.enqueue(
          tenantId,
          action.sourceId,
          { operation: 'upsert', customer: step.customer as SourceCustomer },
          ctx.now(),
        );
        await storage.outbox.update(
          tenantId,
          action.sourceId,
          entry.version,
          { state: 'failed', lastError: action.error },
          ctx.now(),
        );
        ctx.emit({ type: 'failed', tenantId, sourceId: action.sourceId, error: action.error });
        return finish('failed');
      }
      case 'ask': {
        const { action } = step;
        if (step.queued || step.customer === null) return finish('ask');
        return askPerson(step.customer, action.candidates);
      }
      case 'create': {
        const { action } = step;
        await queue(step.customer, true);
        awaitLater(waitFor(action.sourceId, 'create'));
        return;
      }
      case 'queued': {
        const { action } = step;
        // A new process has no timers for it (memory) or may not have looked yet (durable).
        await storage.queue.schedule({ tenantId, sourceId: action.sourceId });
        awaitLater(waitFor(action.sourceId, action.action));
        return;
      }
      case 'link': {
        const { action } = step;
        if (await linkLocally(step.customer, action.customerNumber, step.fortnox.item)) {
          return finish('link');
        }
        // Linked to another source customer since the plan: one Fortnox customer is one source customer.
        return askPerson(step.customer, [step.candidate]);
      }
      case 'update': {
        const { action } = step;
        if (await takenByAnother(action.sourceId, action.customerNumber)) {
          return askPerson(step.customer, [step.candidate]);
        }
        const client = await ctx.client(tenantId);
        countRequest();
        ctx.emit({ type: 'pushed', tenantId, sourceId: action.sourceId, request: 'update' });
        const updated = await client.customers.update(action.customerNumber, step.write, call);
        if (updated.isErr()) {
          if (signal?.aborted) throw syncErrors.aborted(updated.error);
          // Linked now; the save pipeline retries the write, or pauses or parks it, as for a save.
          if (!(await linkLocally(step.customer, action.customerNumber, step.fortnox.item))) {
            return askPerson(step.customer, [step.candidate]);
          }
          await queue(step.customer, false);
          awaitLater(waitFor(action.sourceId, 'update'));
          return;
        }
        if (!(await linkLocally(step.customer, action.customerNumber, updated.value))) {
          return askPerson(step.customer, [step.candidate]);
        }
        ctx.emit({
          type: 'updated',
          tenantId,
          sourceId: action.sourceId,
          customerNumber: action.customerNumber,
          fields: action.fields,
        });
        return finish('update');
      }
    }
  };

  return {
    async run(steps: readonly PlannedStep[]) {
      let next = 0;
      let failure: unknown;
      const worker = async () => {
        while (failure === undefined && !signal?.aborted) {
          const step = steps[next++];
          if (step === undefined) return;
          await runStep(step).catch((error: unknown) => {
            failure ??= error;
          });
        }
      };
      await Promise.all(Array.from({ length: DIRECT_CONCURRENCY }, worker));
      if (failure === undefined && !signal?.aborted) {
        const settled = await Promise.allSettled(waits);
        failure = settled.find((result) => result.status === 'rejected')?.reason;
      }
      if (failure !== undefined) throw failure;
      if (signal?.aborted) throw syncErrors.aborted(signal.reason);
    },
  };
}

function pausedError(words: { sv: string; en: string } | undefined): SyncEngineError {
  return new SyncEngineError({
    kind: 'fortnox',
    message:
      'The tenant is not connected (disconnected or reconnect needed); the initial sync runs after connect.',
    userMessage: words ?? {
      sv: 'Fortnox är inte anslutet. Synkroniseringen körs när en administratör har anslutit Fortnox.',
      en: 'Fortnox is not connected. The sync runs once an administrator has connected Fortnox.',
    },
  });
}
