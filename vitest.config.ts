import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import the package by name, as users do; tests run them against the source.
    alias: [
      { find: /^fortnox-sync\/testing\/msw$/, replacement: source('testing/msw.ts') },
      { find: /^fortnox-sync\/testing$/, replacement: source('testing/index.ts') },
      {
        find: /^fortnox-sync\/testing\/storage-suite$/,
        replacement: source('testing/storage-suite/index.ts'),
      },
      { find: /^fortnox-sync\/sqlite$/, replacement: source('storage/sqlite/index.ts') },
      { find: /^fortnox-sync\/postgres$/, replacement: source('storage/postgres/index.ts') },
      { find: /^fortnox-sync$/, replacement: source('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/pack/**'],
    environment: 'node',
    setupFiles: ['test/support/fast-check-setup.ts'],
    // One graphile-worker schema for the run, migrated before the test files start (see the file).
    globalSetup: ['test/support/postgres-global-setup.ts'],
    testTimeout: 20_000,
  },
});
