/**
 * The conformance suite on every mutant. Not a test file of the main run:
 * `test/storage/suite-catches-mutants.test.ts` runs it with `vitest.mutants.config.ts` and checks that
 * the suite fails on every mutant, at the clause that was broken.
 */
import { createMemoryStorage } from '../../../src/storage/memory-storage.js';
import { describeSyncStorage } from '../../../src/testing/storage-suite/index.js';
import { MUTANTS } from './memory-mutants.js';

for (const [name, mutate] of Object.entries(MUTANTS)) {
  describeSyncStorage(`mutant ${name}`, () => mutate(createMemoryStorage()));
}
