/**
 * Child processes of the tests and benchmarks: a script run with tsx in a new Node process (a worker
 * on the same database), which prints `ready` once it is listening, and is killed with SIGKILL when the
 * test is done with it (as a crash would end it).
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** A started script: the process, every line it printed to stdout, and its exit code once it ended. */
export type StartedScript = {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
};

/**
 * Starts `script` in a new Node process (with tsx; `env` added to this process's) and resolves once
 * it printed the line `ready`; rejects when it exits before. The process is added to `children`.
 */
export async function spawnScript(
  script: string,
  env: Record<string, string>,
  children: ChildProcess[],
): Promise<StartedScript> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`the process exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line === 'ready') resolve();
      }
    });
  });
  return { child, lines, exited };
}

/** Kills (SIGKILL) every process of `children` still running, and empties the list. */
export function killChildren(children: ChildProcess[]): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

/**
 * Starts `script` as {@link spawnScript} does, for a script that ends by printing one JSON line (its
 * report): `report` resolves to the last JSON line once it exited with 0, and rejects otherwise (a
 * process killed on purpose has none; a test that wants it awaits it).
 */
export async function spawnReportingScript<R>(
  script: string,
  env: Record<string, string>,
  children: ChildProcess[],
): Promise<StartedScript & { readonly report: Promise<R> }> {
  const started = await spawnScript(script, env, children);
  const report = started.exited.then((code) => {
    const last = started.lines.filter((line) => line.startsWith('{')).at(-1);
    if (code !== 0 || last === undefined) throw new Error(`${script} failed (${code})`);
    return JSON.parse(last) as R;
  });
  report.catch(() => undefined);
  return { ...started, report };
}

/** Writes `line` to the stdin of every process (e.g. `go`: let them all start at once). */
export function tell(workers: readonly { readonly child: ChildProcess }[], line: string): void {
  for (const worker of workers) worker.child.stdin?.write(`${line}\n`);
}
