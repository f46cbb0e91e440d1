/**
 * The conformance suite can fail: run on broken copies of the memory adapter (test/storage/mutants),
 * it fails every one of them, at the clause that was broken.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fixture-paths.js';
import { MUTANTS } from './mutants/memory-mutants.js';

const run = promisify(execFile);

const BROKEN_CLAUSE: Record<keyof typeof MUTANTS, string> = {
  'enqueue forgets createAttempted': 'enqueue coalesces',
  'update ignores the version':
    'update writes the patch and updatedAt only while the version is current',
  'superseded complete drops the newer change': 'complete of a superseded version writes the link',
  'list newest first': 'list gives a tenant’s entries oldest enqueuedAt first',
  'a settled decision is asked again': 'never asks twice',
  'schedule ignores the due time': 'honours the due time',
};

type JsonReport = {
  testResults: {
    assertionResults: { ancestorTitles: string[]; title: string; status: string }[];
  }[];
};

it('fails on every mutant of the memory adapter, at the broken clause', async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'fortnox-sync-mutants-'));
  const report = path.join(directory, 'report.json');
  try {
    const vitest = path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const args = [
      vitest,
      'run',
      '--config',
      'vitest.mutants.config.ts',
      '--reporter=json',
      `--outputFile=${report}`,
    ];
    // The run fails (that is the point); the report says where.
    await run(process.execPath, args, { cwd: REPO_ROOT, timeout: 120_000 }).catch(() => undefined);
    const results = (JSON.parse(await readFile(report, 'utf8')) as JsonReport).testResults.flatMap(
      (file) => file.assertionResults,
    );
    expect(Object.keys(BROKEN_CLAUSE).sort()).toEqual(Object.keys(MUTANTS).sort());
    for (const [mutant, clause] of Object.entries(BROKEN_CLAUSE)) {
      const failed = results
        .filter((result) => result.ancestorTitles[0]?.endsWith(`mutant ${mutant}`))
        .filter((result) => result.status === 'failed')
        .map((result) => result.title);
      expect(failed, mutant).toContainEqual(expect.stringContaining(clause));
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}, 150_000);
