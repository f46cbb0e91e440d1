import { randomUUID } from 'node:crypto';
import type { EngineContext } from './engine-context.js';
import { createExecution, pausedError } from './initial-sync-execution.js';
import { buildInitialSyncPlan } from './initial-sync-plan.js';
import { syncErrors } from './sync-engine-error.js';
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
