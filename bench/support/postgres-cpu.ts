/**
 * Postgres CPU of a benchmark's connections: the user + system time of every live backend whose
 * `application_name` is a given tag, read from `/proc` (the server must run on this machine).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type pg from 'pg';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** `url` with an application_name, so the bench can find its backends. */
export function tagged(url: string, name: string): string {
  const tagged = new URL(url);
  tagged.searchParams.set('application_name', name);
  return tagged.toString();
}

/** CPU time (ms, user + system) of every live backend whose application_name is `name`, by pid. */
export async function backendCpu(admin: pg.Pool, name: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [name],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (utime, stime) after the ")" that closes the command name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (Number.isFinite(ticks)) cpu.set(pid, (ticks * 1000) / CLOCK_TICKS);
    } catch {
      // the backend ended in between
    }
  }
  return cpu;
}

/** The CPU the backends used between two readings (backends that ended in between are lost). */
export const cpuBetween = (before: Map<number, number>, after: Map<number, number>): number =>
  [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);
