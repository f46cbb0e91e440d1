import { defineConfig } from 'vitest/config';

/** Runs the TokenStore suite on broken stores (see test/storage/token-suite-catches-mutants.test.ts). */
export default defineConfig({
  test: {
    include: ['test/storage/mutants/run-token-mutants.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
