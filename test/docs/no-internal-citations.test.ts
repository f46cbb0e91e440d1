/**
 * Published text must not cite the project's internal documents (a reader of the package cannot open
 * them): TSDoc becomes the API reference and the `.d.ts` files, and every comment in src/ ships in the
 * source maps. Cite Fortnox's public documentation, or state the fact in place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const INTERNAL = [
  /API-FACTS/,
  /ARCHITECTURE\.md/,
  /ENGINE\.md/,
  /STYLE\.md/,
  /kundsynkronisering/,
  /\/work\/shared/,
  /\bissue\s*#?\d+/i,
  /\bproduct spec\b/i,
  /\bthe spec\b/i,
  /\bspec's\b/i,
  /§\s*\d/,
];

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every line of src/ that cites an internal document, as `file:line text`. */
function internalCitations(text: string, file: string): string[] {
  return text
    .split('\n')
    .filter((line) => INTERNAL.some((pattern) => pattern.test(line)))
    .map((line) => `${file}:${line}`);
}

describe('published text cites no internal document', () => {
  it('finds a citation when there is one (the check can fail)', () => {
    expect(internalCitations('/** As API-FACTS §1 says. */\nconst a = 1;', 'x.ts')).toEqual([
      'x.ts:/** As API-FACTS §1 says. */',
    ]);
    expect(internalCitations('// see issue 11', 'y.ts')).toHaveLength(1);
    expect(internalCitations('// see ARCHITECTURE.md', 'y.ts')).toHaveLength(1);
    expect(internalCitations('const issues = [];', 'z.ts')).toEqual([]);
  });

  it('src/ (TSDoc, comments, READMEs), examples/, README.md and CHANGELOG.md cite none', () => {
    const found = [
      ...filesUnder(join(root, 'src')),
      ...filesUnder(join(root, 'examples')),
      join(root, 'README.md'),
      join(root, 'CHANGELOG.md'),
    ]
      .filter((file) => /\.(ts|md)$/.test(file))
      .flatMap((file) =>
        internalCitations(readFileSync(file, 'utf8'), relative(root, file).replaceAll('\\', '/')),
      );
    expect(found).toEqual([]);
  });
});
