import { randomUUID } from 'node:crypto';
import type { EngineContext } from './engine-context.js';
import { createExecution, pausedError } from './initial-sync-execution.js';
import { buildInitialSyncPlan } from './initial-sync-plan.js';
import type { InventoryPageProgress } from './inventory.js';
import { syncErrors } from './sync-engine-error.js';
import type {
  InitialSyncPlan,
  InitialSyncProgress,
  InitialSyncProgressOptions,
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

/** Options of {@link runInitialSync} and {@link planInitialSync}. */
export type RunInitialSyncOptions = InitialSyncProgressOptions;

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
 * Hands progress to the caller's callback (and, for a run, to `progress` events) until closed: a
 * call closes it before its promise settles, so nothing is reported after the answer, whatever it
 * is (work still in flight after an abort or a failure finishes unheard). A throwing callback is
 * ignored.
 */
function progressReporter(
  ctx: EngineContext,
  onProgress: ((progress: InitialSyncProgress) => void) | undefined,
  events: boolean,
) {
  let open = true;
  return {
    get open() {
      return open;
    },
    report(progress: InitialSyncProgress): void {
      if (!open) return;
      if (events) ctx.emit({ type: 'progress', progress });
      if (onProgress === undefined) return;
      try {
        onProgress(progress);
      } catch {
        // A broken progress callback must not break the sync it reports on.
      }
    },
    close(): void {
      open = false;
    },
  };
}

/** The inventory phase's progress: pages of Fortnox's register read (no customer done yet). */
const inventoryProgress = (
  tenantId: string,
  { pagesRead, totalPages }: InventoryPageProgress,
): InitialSyncProgress => ({
  tenantId,
  phase: 'inventory',
  pagesRead,
  totalPages,
  done: 0,
  total: 0,
  counts: emptyCounts(),
});

/** The plan, an abort while reading Fortnox answered as `aborted`. */
async function planReporting(
  ctx: EngineContext,
  tenantId: string,
  signal: AbortSignal | undefined,
  report: (progress: InitialSyncProgress) => void,
) {
  report(inventoryProgress(tenantId, { pagesRead: 0, totalPages: 0 }));
  return buildInitialSyncPlan(ctx, tenantId, {
    ...(signal === undefined ? {} : { signal }),
    onInventory: (pages) => report(inventoryProgress(tenantId, pages)),
  }).catch((error: unknown) => {
    throw signal?.aborted ? syncErrors.aborted(error) : error;
  });
}

/**
 * The initial sync as a dry run: inventories Fortnox (⌈A/500⌉ + ⌈I/500⌉ list requests), matches every
 * source customer and returns counts and the action per customer. Writes nothing: not to Fortnox,
 * not to storage, not to the source. `onProgress` hears the inventory's pages (phase `inventory`;
 * no events: a dry run is no run).
 */
export async function planInitialSync(
  ctx: EngineContext,
  tenantId: string,
  options: RunInitialSyncOptions = {},
): Promise<InitialSyncPlan> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw syncErrors.aborted(signal.reason);
  const progress = progressReporter(ctx, onProgress, false);
  try {
    return (await planReporting(ctx, tenantId, signal, progress.report)).plan;
  } finally {
    progress.close();
  }
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
  const progress = progressReporter(ctx, onProgress, true);
  try {
    return await run(ctx, tenantId, signal, progress);
  } finally {
    // Before the promise settles: nothing is reported after the answer, whatever it is.
    progress.close();
  }
}

async function run(
  ctx: EngineContext,
  tenantId: string,
  signal: AbortSignal | undefined,
  progress: ReturnType<typeof progressReporter>,
): Promise<InitialSyncReport> {
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
  const report = (phase: 'planning' | 'executing' | 'done') =>
    progress.report({ tenantId, phase, done, total, counts: { ...counts } });

  await save({});
  const { plan, steps } = await planReporting(ctx, tenantId, signal, progress.report);
  total = steps.length;
  for (const warning of plan.warnings) ctx.emit({ type: 'plan-warning', tenantId, warning });
  await save({ phase: 'planning', total });
  report('planning');
  await save({ phase: 'executing' });

  let requests = plan.requestsUsed;
  const finish = (action: PlanAction['action']) => {
    // A queued customer settling after the run has answered (an abort, a failure) is not this run's.
    if (!progress.open) return;
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
  report('done');
  return result;
}
