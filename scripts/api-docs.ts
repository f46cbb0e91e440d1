/**
 * `npm run docs`: the API reference, built by TypeDoc (options in typedoc.json, warnings are errors)
 * from every entry the package publishes — read from tsup.config.ts, so a new entry is documented
 * without touching this script. The CLI is a binary, not an entry, and is left out.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';
import tsupConfig from '../tsup.config.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const configs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as Options[];
const entries = configs
  .filter((config) => config.dts !== undefined && config.dts !== false)
  .flatMap((config) => Object.values(config.entry as Record<string, string>));
if (entries.length === 0) throw new Error('tsup.config.ts names no entry with declarations');

const typedoc = join(root, 'node_modules', '.bin', 'typedoc');
const args = entries.flatMap((entry) => ['--entryPoints', entry]);
const result = spawnSync(typedoc, [...args, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
