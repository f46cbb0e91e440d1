/** Runs vitest on a config of its own in a child process and reads its JSON report (meta-tests). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../support/fixture-paths.js';

const run = promisify(execFile);

/** One test's result as vitest's JSON reporter gives it. */
export type AssertionResult = { ancestorTitles: string[]; title: string; status: string };

type JsonReport = { testResults: { assertionResults: AssertionResult[] }[] };

/** Every test result of `vitest run --config <config>`; a failing run is expected and not an error. */
export async function runVitestReport(config: string): Promise<AssertionResult[]> {
  const directory = await mkdtemp(path.join(tmpdir(), 'fortnox-sync-meta-'));
  const report = path.join(directory, 'report.json');
  try {
    const vitest = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const args = [vitest, 'run', '--config', config, '--reporter=json', `--outputFile=${report}`];
    // The run fails (that is the point); the report says where.
    await run(process.execPath, args, { cwd: REPO_ROOT, timeout: 120_000 }).catch(() => undefined);
    return (JSON.parse(await readFile(report, 'utf8')) as JsonReport).testResults.flatMap(
      (file) => file.assertionResults,
    );
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
