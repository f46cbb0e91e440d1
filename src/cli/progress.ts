import cliProgress from 'cli-progress';
import type { InitialSyncProgress } from '../sync/sync-engine-types.js';

/** A progress display for one piece of long work. */
export type Progress = {
  /**
   * `done` of `total` so far, in the named phase (a new phase restarts the bar); `unit` names what
   * is counted (e.g. `pages`, `customers`).
   */
  update(phase: string, done: number, total: number, unit?: string): void;
  /** Ends the display (the bar's last state stays on screen). */
  stop(): void;
};

/** Where progress goes: a terminal for a live bar, else plain lines. */
export type ProgressTarget = {
  /** A live bar is drawn on it when it is a TTY (cli-progress). */
  readonly stream?: NodeJS.WriteStream;
  /** Writes a plain line (used when `stream` is not a TTY). */
  readonly line: (text: string) => void;
};

const PLAIN_STEPS = 10;

/**
 * Shows the initial sync's progress: the pages of Fortnox's register while it is read, then the
 * source customers. (The engine reports nothing after its answer, so the display needs no guard
 * against late reports.)
 */
export function showSyncProgress(progress: Progress, p: InitialSyncProgress): void {
  if (p.phase === 'inventory') progress.update(p.phase, p.pagesRead, p.totalPages, 'pages');
  else progress.update(p.phase, p.done, p.total, 'customers');
}

/**
 * A live bar (cli-progress) on a TTY; elsewhere (a pipe, a CI log, a test) one plain line per phase
 * and per tenth of the work, so logs stay short and readable.
 */
export function createProgress(target: ProgressTarget, label: string): Progress {
  const display = createDisplay(target, label);
  let stopped = false;
  return {
    update: display.update,
    stop() {
      if (stopped) return;
      stopped = true;
      display.stop();
    },
  };
}

function createDisplay(target: ProgressTarget, label: string): Progress {
  const stream = target.stream;
  if (stream?.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} {phase} [{bar}] {percentage}% | {value}/{total} {unit} | {duration_formatted}`,
        hideCursor: true,
        barsize: 30,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(phase, done, total, unit = '') {
        const payload = { phase: phase.padEnd(9), unit: unit.padEnd(9) };
        if (!started) {
          bar.start(Math.max(total, 1), done, payload);
          started = true;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done, payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let currentPhase = '';
  let lastStep = -1;
  return {
    update(phase, done, total, unit) {
      const step = total > 0 ? Math.floor((done / total) * PLAIN_STEPS) : -1;
      if (phase === currentPhase && step === lastStep) return;
      currentPhase = phase;
      lastStep = step;
      if (total <= 0) {
        // Nothing counted yet (e.g. the inventory before its first page): the phase has begun.
        target.line(`${label} ${phase}…`);
        return;
      }
      const percent = Math.floor((done / total) * 100);
      target.line(`${label} ${phase}: ${done}/${total}${unit ? ` ${unit}` : ''} (${percent}%)`);
    },
    stop() {},
  };
}
