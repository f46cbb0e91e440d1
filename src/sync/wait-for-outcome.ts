import type { EngineCore } from './engine-core.js';
import { syncErrors } from './sync-engine-error.js';
import type { SaveOutcome, WaitForOutcomeOptions } from './sync-engine-types.js';

/** Defaults of {@link WaitForOutcomeOptions}. */
export const DEFAULT_WAIT_FOR_OUTCOME = { pollIntervalMs: 250 } as const;

/**
 * `waitForOutcome`: what became of a customer's queued change (one the host queued itself, e.g. in
 * its own transaction). Resolves when it settles — at once when a worker of this engine delivers it
 * (the engine's outcome waiters), otherwise when storage shows it settled, looked at every
 * `pollIntervalMs` (a worker in another process delivered it). A retry due within the wait is waited
 * for; a wait that ends first answers `pending` (`retrying` with the last error, or `timeout`).
 */
export async function waitForOutcome(
  core: EngineCore,
  tenantId: string,
  sourceId: string,
  options: WaitForOutcomeOptions,
): Promise<SaveOutcome> {
  const timeoutMs = milliseconds('timeoutMs', options.timeoutMs, core.saveTimeoutMs);
  const pollIntervalMs = Math.max(
    10,
    milliseconds('pollIntervalMs', options.pollIntervalMs, DEFAULT_WAIT_FOR_OUTCOME.pollIntervalMs),
  );
  const id = sourceId.trim();
  const first = await core.storedOutcome(tenantId, id);
  if (first.outcome !== null && first.outcome.status !== 'pending') return first.outcome;
  if (first.outcome?.status === 'pending' && first.outcome.reason === 'paused')
    return first.outcome;
  const waiting = core.waiters.wait(tenantId, id, first.version, timeoutMs);
  let done = false;
  void waiting.finally(() => {
    done = true;
  });
  // Whatever settled in storage settled every version up to the one waited for.
  const look = async (): Promise<void> => {
    const now = await core.storedOutcome(tenantId, id);
    if (done || now.outcome === null) return;
    const retrying = now.outcome.status === 'pending' && now.outcome.reason === 'retrying';
    // A retry is waited for (kept as the answer should the wait end first).
    core.waiters.notify(
      tenantId,
      id,
      first.version,
      now.outcome,
      retrying ? Date.now() : undefined,
    );
  };
  await look();
  const deadline = Date.now() + timeoutMs;
  while (!done) {
    await Promise.race([
      waiting,
      sleep(Math.min(pollIntervalMs, Math.max(0, deadline - Date.now()))),
    ]);
    if (done) break;
    // Storage failing while looking: the in-process waiter and the deadline still answer.
    await look().catch(() => undefined);
  }
  return waiting;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const milliseconds = (name: string, value: unknown, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw syncErrors.invalidInput(
      `waitForOutcome: ${name} must be a non-negative number of milliseconds.`,
      {
        sv: 'Ett internt fel uppstod i synkroniseringen.',
        en: 'An internal error occurred in the sync.',
      },
    );
  }
  return value;
};
