import { defineConfig } from 'vitest/config';

/** Runs the conformance suite on broken adapters (see test/storage/suite-catches-mutants.test.ts). */
export default defineConfig({
  test: {
    include: ['test/storage/mutants/run-mutants.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
