import type { Clock } from '../../../src/client/index.js';

type Timer = { id: number; at: number; callback: () => void };

/** A clock that moves only when the test calls `advance`. */
export function createManualClock(start = 0) {
  let now = start;
  let nextId = 1;
  let timers: Timer[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, ms) {
      const timer = { id: nextId++, at: now + Math.max(0, ms), callback };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
  };
  /** Moves time forward by `ms`, firing due timers in order (and letting promises settle). */
  async function advance(ms: number): Promise<void> {
    const target = now + ms;
    for (;;) {
      await flush();
      const due = timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      timers = timers.filter((timer) => timer !== due);
      now = Math.max(now, due.at);
      due.callback();
    }
    now = target;
    await flush();
  }
  return { clock, advance, pendingTimers: () => timers.length };
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/**
 * A clock whose timers fire almost at once in real time while virtual time jumps to their due
 * time: back-off and rate-limit waits cost nothing, and `sleeps` records every wait asked for.
 */
export function createVirtualClock(start = 1_000_000) {
  let now = start;
  let nextId = 1;
  let timers: Timer[] = [];
  const sleeps: number[] = [];
  const pump = () => {
    const due = [...timers].sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (due === undefined) return;
    timers = timers.filter((timer) => timer !== due);
    now = Math.max(now, due.at);
    due.callback();
  };
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, ms) {
      sleeps.push(ms);
      const timer = { id: nextId++, at: now + Math.max(0, ms), callback };
      timers.push(timer);
      setTimeout(pump, 1);
      return timer.id;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
  };
  return { clock, sleeps, now: () => now };
}
