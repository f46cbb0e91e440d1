/**
 * msw is an optional peer dependency: only `fortnox-sync/testing/msw` may import it. This walks the
 * source module graph of each entry (type-only imports included: a declaration file importing msw
 * would break a consumer's type check just as well) and lists the packages it reaches.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/fixture-paths.js';

/** The source file a relative specifier names (`./x.js` is `./x.ts` in the sources). */
function resolveRelative(from: string, specifier: string): string {
  const target = path.resolve(path.dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, '.ts'), target, path.join(target, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
  if (found === undefined) throw new Error(`cannot resolve ${specifier} from ${from}`);
  return found;
}

/** Every package (bare specifier) the module graph of `entry` imports, `node:` built-ins left out. */
function packagesReachedFrom(entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.join(REPO_ROOT, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.')) pending.push(resolveRelative(file, specifier));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  }
  return [...packages].sort();
}

const isMsw = (specifier: string) => specifier === 'msw' || specifier.startsWith('msw/');

describe('entries that must work without msw installed', () => {
  it.each([
    ['fortnox-sync', 'src/index.ts'],
    ['fortnox-sync/testing', 'src/testing/index.ts'],
    ['the fortnox-sync binary', 'src/cli/main.ts'],
  ])('%s (%s) does not import msw', (_, entry) => {
    const packages = packagesReachedFrom(entry);
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter(isMsw)).toEqual([]);
  });

  it('fortnox-sync/testing/msw does import it (so the walk above sees msw where it is)', () => {
    expect(packagesReachedFrom('src/testing/msw.ts').filter(isMsw)).toEqual(['msw']);
  });
});
