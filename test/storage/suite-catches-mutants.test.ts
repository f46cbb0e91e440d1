/**
 * The conformance suite can fail: run on broken copies of the memory adapter (test/storage/mutants),
 * it fails every one of them, at the clause that was broken.
 */
import { expect, it } from 'vitest';
import { MUTANTS } from './mutants/memory-mutants.js';
import { runVitestReport } from './support/vitest-report.js';

const BROKEN_CLAUSE: Record<keyof typeof MUTANTS, string> = {
  'enqueue forgets createAttempted': 'enqueue coalesces',
  'enqueue moves createAttemptedAt':
    'a later enqueue, update or superseded complete without a link keeps it',
  'a delete drops the customer it carries': 'a delete keeps the customer it carries',
  'update ignores the version':
    'update writes the patch and updatedAt only while the version is current',
  'superseded complete drops the newer change': 'complete of a superseded version writes the link',
  'list newest first': 'list gives a tenant’s entries oldest enqueuedAt first',
  'a settled decision is asked again': 'never asks twice',
  'a link takes a customer number from another source id':
    'put refuses a number another source id holds',
  'schedule ignores the due time': 'honours the due time',
  'a deferral is taken as done': 'a deferred item gives its slot back and runs again at its time',
  'claims enqueueMakesDue without making the item due':
    'an enqueue alone hands the item to a started queue',
};

it('fails on every mutant of the memory adapter, at the broken clause', async () => {
  const results = await runVitestReport('vitest.mutants.config.ts');
  expect(Object.keys(BROKEN_CLAUSE).sort()).toEqual(Object.keys(MUTANTS).sort());
  for (const [mutant, clause] of Object.entries(BROKEN_CLAUSE)) {
    const failed = results
      .filter((result) => result.ancestorTitles[0]?.endsWith(`mutant ${mutant}`))
      .filter((result) => result.status === 'failed')
      .map((result) => result.title);
    expect(failed, mutant).toContainEqual(expect.stringContaining(clause));
  }
}, 150_000);
