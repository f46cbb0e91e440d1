import cliProgress from 'cli-progress';

/** A progress display for one piece of long work. */
export type Progress = {
  /** `done` of `total` so far, in the named phase (a new phase restarts the bar). */
  update(phase: string, done: number, total: number): void;
  /** Ends the display (the bar's last state stays on screen); later updates are ignored. */
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
 * A live bar (cli-progress) on a TTY; elsewhere (a pipe, a CI log, a test) one plain line per phase
 * and per tenth of the work, so logs stay short and readable.
 */
export function createProgress(target: ProgressTarget, label: string): Progress {
  const display = createDisplay(target, label);
  let stopped = false;
  return {
    // Work still in flight when a run was stopped may report late: the display has ended.
    update(phase, done, total) {
      if (!stopped) display.update(phase, done, total);
    },
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
        format: `${label} {phase} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
        hideCursor: true,
        barsize: 30,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let currentPhase = '';
    return {
      update(phase, done, total) {
        const padded = phase.padEnd(9);
        if (!started) {
          bar.start(Math.max(total, 1), done, { phase: padded });
          started = true;
        } else if (phase !== currentPhase) {
          bar.setTotal(Math.max(total, 1));
        }
        currentPhase = phase;
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { phase: padded });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let currentPhase = '';
  let lastStep = -1;
  return {
    update(phase, done, total) {
      const step = total > 0 ? Math.floor((done / total) * PLAIN_STEPS) : PLAIN_STEPS;
      if (phase === currentPhase && step === lastStep) return;
      currentPhase = phase;
      lastStep = step;
      const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
      target.line(`${label} ${phase}: ${done}/${total} (${percent}%)`);
    },
    stop() {},
  };
}
