import type { FortnoxCustomer, FortnoxCustomerListItem } from '../fortnox/index.js';
import { fingerprint, normalizeFortnoxCustomer, type SourceCustomer } from '../mapping/index.js';
import type { CustomerLink, LinkOrigin, StoredCandidate } from '../storage/sync-storage.js';
import { isLinkConflict } from './delivery.js';
import type { EngineContext } from './engine-context.js';
import { flowBackPatch } from './flow-back.js';
import { callHost } from './host-callback.js';
import type { PlannedStep } from './initial-sync-plan.js';
import { SyncEngineError, syncErrors } from './sync-engine-error.js';
import type { PlanAction } from './sync-engine-types.js';

/** Links and updates run this many at once: enough to keep the client's rate limiter busy. */
const DIRECT_CONCURRENCY = 8;
/** How long one wait for a queued create lasts before looking again (signal, pause). */
const SETTLE_WAIT_MS = 5_000;

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

/** Executes the steps of a plan; see `runInitialSync`. */
export function createExecution(
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

/** The tenant is not connected: the initial sync waits for `connect`. */
export function pausedError(words: { sv: string; en: string } | undefined): SyncEngineError {
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
