/**
 * The TokenStore conformance suite can fail: its baseline (a small durable, encrypting store) passes
 * every clause, and each broken store in test/storage/mutants/token-mutants.ts fails at the clause
 * that was broken.
 */
import { expect, it } from 'vitest';
import { KEYED_TOKEN_MUTANTS, MEMORY_TOKEN_MUTANTS } from './mutants/token-mutants.js';
import { runVitestReport } from './support/vitest-report.js';

const BROKEN_CLAUSE: Record<string, string> = {
  'lock does not exclude': 'two concurrent lock calls on one tenant never overlap',
  'a throwing section keeps the lock': 'a critical section that throws releases the lock',
  'one lock for every tenant': 'different tenants do not block each other',
  'tenant ids folded to lower case': 'tenants are isolated',
  'save keeps the first tokens': 'save replaces the tenant’s tokens',
  'plaintext at rest': 'at rest, neither token is in what the adapter persisted',
  'a wrong key gives garbage': 'a wrong key is a StorageError token-key, not garbage',
  'the oldest key seals': 'rotation: new key first',
};

it('passes on the baseline and fails on every mutant at the broken clause', async () => {
  const results = await runVitestReport('vitest.token-mutants.config.ts');
  const of = (suite: string) =>
    results.filter((result) => result.ancestorTitles[0] === `TokenStore conformance: ${suite}`);
  const baseline = of('baseline');
  expect(baseline.length).toBeGreaterThanOrEqual(17);
  expect(baseline.filter((result) => result.status !== 'passed')).toEqual([]);
  const mutants = [...Object.keys(MEMORY_TOKEN_MUTANTS), ...Object.keys(KEYED_TOKEN_MUTANTS)];
  expect(mutants.sort()).toEqual(Object.keys(BROKEN_CLAUSE).sort());
  for (const [mutant, clause] of Object.entries(BROKEN_CLAUSE)) {
    const failed = of(`mutant ${mutant}`)
      .filter((result) => result.status === 'failed')
      .map((result) => result.title);
    expect(failed, mutant).toContainEqual(expect.stringContaining(clause));
  }
}, 150_000);
