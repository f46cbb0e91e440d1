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

/**
 * Citations in files of the sync engine and storage, which their owners rewrite in the merge that
 * brings them together (exact lines; a new citation anywhere fails).
 */
const KNOWN: ReadonlySet<string> = new Set([
  'src/storage/sync-storage.ts: * Data minimisation (product spec, "Dataskydd"): storage holds links, fingerprints (hashes), decisions,',
  'src/sync/sync-engine-types.ts:  /** The member that came from the source (linked), which the spec says to keep; `null` if none is. */',
  'src/sync/deliver-upsert.ts:    // Deleted in Fortnox: the spec\'s advice is "save the customer again", so create it anew.',
  'src/sync/owned-write.ts: * The PUT body of a save to a linked customer (issue 9, "Only owned fields are written"): every owned',
  'src/sync/classify-error.ts: * Classifies a client error (issue 9, "Jobs"): network, timeout, 429, 5xx, an unknown outcome and an',
  'src/sync/drift.ts: * Lists the owned fields changed directly in Fortnox since the last check (issue 9): polls',
  'src/sync/flow-back.ts: * more (issue 9, "the more complete data wins"): the fields Fortnox has and the source has empty,',
  'src/sync/audit-duplicates.ts: * product spec says to keep the customer that came from the source; when several are linked, the',
  'src/sync/initial-sync.ts:  // A paused tenant sends nothing (issue 9): `connect` first, then the initial sync.',
  'src/sync/match-existing.ts: * Runs the resolver before a create (issue 9, "The resolver runs before every create") over a small',
  'src/sync/link-existing.ts: * Flow-back (issue 9, "the more complete data wins"): the fields Fortnox has and the source lacks go',
  'src/sync/reconcile.ts: * After a POST whose answer was lost, finds the customer it may have created (issue 9, "Idempotent',
]);

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

  it('src/ (TSDoc, comments, READMEs) cites none beyond the known engine/storage lines', () => {
    const found = filesUnder(join(root, 'src'))
      .filter((file) => /\.(ts|md)$/.test(file))
      .flatMap((file) =>
        internalCitations(readFileSync(file, 'utf8'), relative(root, file).replaceAll('\\', '/')),
      );
    expect(found.filter((line) => !KNOWN.has(line))).toEqual([]);
  });
});
