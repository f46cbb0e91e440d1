import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientWorkerReport, ClientWorkerSettings } from './postgres-client-worker.js';

const CLIENT_WORKER = fileURLToPath(new URL('./postgres-client-worker.ts', import.meta.url));

/** A started child process and the last JSON line it printed. */
export type RunningWorker = {
  readonly child: ChildProcess;
  readonly report: Promise<ClientWorkerReport>;
};

/** Starts a script in a new Node process (with tsx) and resolves once it printed `ready`. */
export async function spawnScript(
  script: string,
  env: Record<string, string>,
  children: ChildProcess[],
): Promise<{ child: ChildProcess; lines: string[]; exited: Promise<number | null> }> {
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

/** Starts a client worker (see postgres-client-worker.ts); `go()` it once all are ready. */
export async function spawnClientWorker(
  settings: ClientWorkerSettings,
  children: ChildProcess[],
): Promise<RunningWorker> {
  const { child, lines, exited } = await spawnScript(
    CLIENT_WORKER,
    { POSTGRES_CLIENT_WORKER: JSON.stringify(settings) },
    children,
  );
  const report = exited.then((code) => {
    const last = lines.filter((line) => line.startsWith('{')).at(-1);
    if (code !== 0 || last === undefined) throw new Error(`client worker failed (${code})`);
    return JSON.parse(last) as ClientWorkerReport;
  });
  return { child, report };
}

/** Lets every worker start sending at once. */
export function go(workers: readonly RunningWorker[]): void {
  for (const worker of workers) worker.child.stdin?.write('go\n');
}
