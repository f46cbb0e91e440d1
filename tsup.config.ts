import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing/index.ts',
      // The only entry that imports msw (an optional peer dependency).
      'testing-msw': 'src/testing/msw.ts',
      'testing/storage-suite': 'src/testing/storage-suite/index.ts',
      sqlite: 'src/storage/sqlite/index.ts',
      postgres: 'src/storage/postgres/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    splitting: true,
    treeshake: true,
    // node:sqlite is loaded with process.getBuiltinModule, so nothing bundles it; vitest is a peer.
    external: ['msw', 'vitest', 'pg', 'graphile-worker'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: ['msw'],
  },
]);
