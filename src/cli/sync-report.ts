/**
 * Words for what a plan or an initial sync did, shared by the CLI and `npm run demo`. Nothing here
 * prints a customer's data: source ids, customer numbers, counts and the errors' own words only.
 */
import type { StoredError } from '../storage/sync-storage.js';
import type { InitialSyncPlan, InitialSyncReport, PlanAction } from '../sync/sync-engine-types.js';

/** The order and the words of the actions in a summary. */
export const ACTION_LABELS: Readonly<Record<PlanAction['action'], string>> = {
  create: 'created',
  link: 'linked',
  update: 'updated',
  ask: 'needs a decision',
  failed: 'failed',
  'already-linked': 'already linked',
};

/** The same for a plan (what would happen). */
const PLAN_LABELS: Readonly<Record<PlanAction['action'], string>> = {
  create: 'to create',
  link: 'to link',
  update: 'to update',
  ask: 'to ask a person',
  failed: 'would fail',
  'already-linked': 'already linked',
};

/** One failed customer: its source id and the error's words. */
export type FailedCustomer = { readonly sourceId: string; readonly error: StoredError };

/** `label  count` lines, right-aligned counts. */
function countLines(
  counts: Readonly<Record<PlanAction['action'], number>>,
  labels: Readonly<Record<PlanAction['action'], string>>,
): string[] {
  return (Object.keys(labels) as PlanAction['action'][])
    .filter((action) => action !== 'already-linked' || counts[action] > 0)
    .map((action) => `  ${labels[action].padEnd(18)}${String(counts[action]).padStart(6)}`);
}

/** The failed actions of a plan. */
export function failuresOfPlan(plan: InitialSyncPlan): FailedCustomer[] {
  return plan.actions.flatMap((action) =>
    action.action === 'failed' ? [{ sourceId: action.sourceId, error: action.error }] : [],
  );
}

/** The lines of a plan (dry run). */
export function describePlan(plan: InitialSyncPlan): string[] {
  return [
    `Plan for tenant ${plan.tenantId}: ${plan.sourceCustomers} source customers against ${plan.fortnoxCustomers} Fortnox customers (dry run: ${plan.requestsUsed} read requests, nothing written)`,
    ...countLines(plan.counts, PLAN_LABELS),
  ];
}

/**
 * The failures grouped by reason (field and words), largest group first: each reason once in English
 * and Swedish with its count and up to three source ids, at most `max` reasons.
 */
export function describeFailures(failures: readonly FailedCustomer[], max = 5): string[] {
  if (failures.length === 0) return [];
  const groups = new Map<string, { error: FailedCustomer['error']; sourceIds: string[] }>();
  for (const { sourceId, error } of failures) {
    const key = `${error.field ?? ''}\u0000${error.userMessage.en}`;
    const group = groups.get(key) ?? { error, sourceIds: [] };
    group.sourceIds.push(sourceId);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => b.sourceIds.length - a.sourceIds.length);
  const lines = [`Failed customers (${failures.length}), with the reason a person sees:`];
  for (const { error, sourceIds } of sorted.slice(0, max)) {
    const examples = sourceIds.slice(0, 3).join(', ') + (sourceIds.length > 3 ? ', …' : '');
    lines.push(
      `  ${String(sourceIds.length).padStart(5)} × ${error.field ?? error.kind} (${examples})`,
    );
    lines.push(`          en: ${error.userMessage.en}`);
    lines.push(`          sv: ${error.userMessage.sv}`);
  }
  if (sorted.length > max)
    lines.push(`  … and ${sorted.length - max} more reasons (--json lists all)`);
  return lines;
}

/**
 * Requests per second of a run against the limit. A sliding window lets `limit` requests go at once,
 * so n requests need at least (⌈n/limit⌉ − 1) windows: the pace is that minimum over the time taken.
 */
export function rateLine(
  requests: number,
  durationMs: number,
  limit: number,
  windowMs: number,
): string {
  const seconds = Math.max(durationMs, 1) / 1000;
  const minimum = ((Math.ceil(requests / limit) - 1) * windowMs) / 1000;
  const pace =
    minimum > 0
      ? ` (the limit allows them in no less than ${minimum.toFixed(1)} s: ${Math.round((minimum / seconds) * 100)}% of its pace)`
      : '';
  return `${requests} requests in ${seconds.toFixed(1)} s = ${(requests / seconds).toFixed(1)}/s against a limit of ${limit} per ${windowMs / 1000} s${pace}`;
}

/** The lines of a finished initial sync. */
export function describeReport(report: InitialSyncReport): string[] {
  return [
    `Initial sync of tenant ${report.tenantId} done in ${(report.durationMs / 1000).toFixed(1)} s${report.resumed ? ' (resumed an interrupted run)' : ''}:`,
    ...countLines(report.counts, ACTION_LABELS),
  ];
}
