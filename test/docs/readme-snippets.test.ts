/**
 * Every ```ts block of README.md runs as written: all of them are typechecked together (strict, the
 * repository's tsconfig plus noUnusedLocals, `fortnox-sync` mapped to src/), and each one not marked
 * `<!-- snippet: typecheck-only (reason) -->` is run with tsx in a fresh directory against a fresh
 * emulator (FORTNOX_API_URL / FORTNOX_ACCESS_TOKEN; FORTNOX_TOKEN_KEY a fresh key). The ```js quick start runs from the packed
 * package in test/pack.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_USAGE } from '../../src/cli/auth-command.js';
import { EMULATOR_USAGE } from '../../src/cli/emulator-command.js';
import { PLAN_USAGE, SYNC_USAGE } from '../../src/cli/sync-command.js';
import { DECISIONS_USAGE, DUPLICATES_USAGE, STATUS_USAGE } from '../../src/cli/tenant-commands.js';
import { createEmulatorCore } from '../../src/testing/index.js';

/** Each CLI command's help, which names every flag it takes. */
const COMMAND_USAGE: Record<string, string> = {
  emulator: EMULATOR_USAGE,
  auth: AUTH_USAGE,
  plan: PLAN_USAGE,
  sync: SYNC_USAGE,
  decisions: DECISIONS_USAGE,
  duplicates: DUPLICATES_USAGE,
  status: STATUS_USAGE,
};

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

type Snippet = {
  readonly name: string;
  /** 1-based README line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** The reason given by a `typecheck-only` marker; `undefined` when the block runs. */
  readonly typecheckOnly: string | undefined;
};

/** The ```ts blocks of a markdown text, with the marker on the line before each, if any. */
function tsBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (lines[index] !== '```ts') continue;
    const end = lines.indexOf('```', index + 1);
    if (end === -1) throw new Error(`README.md:${index + 1}: a ts block is not closed`);
    const marker = /^<!-- snippet: typecheck-only \((.+)\) -->$/.exec(lines[index - 1] ?? '');
    snippets.push({
      name: `snippet-${snippets.length + 1}`,
      line: index + 1,
      code: lines.slice(index + 1, end).join('\n'),
      typecheckOnly: marker?.[1],
    });
    index = end;
  }
  return snippets;
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const snippets = tsBlocks(readme);
// Under the repository (so `"type": "module"` applies), in the ignored .tmp/.
const directory = join(root, '.tmp', 'readme-snippets');
const tsconfig = join(directory, 'tsconfig.json');

beforeAll(() => {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  for (const snippet of snippets) {
    // Each snippet is a module of its own (top-level await, no clashes between snippets).
    writeFileSync(join(directory, `${snippet.name}.ts`), `${snippet.code}\nexport {};\n`);
  }
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: '../../tsconfig.json',
        // An import or a variable a snippet never uses is a mistake a reader copies.
        compilerOptions: { noUnusedLocals: true },
        include: ['./*.ts'],
      },
      null,
      2,
    ),
  );
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('README.md snippets', () => {
  it('finds the blocks and their markers (a marker needs a reason)', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(8);
    expect(readme.match(/<!-- snippet:/g)?.length).toBe(
      snippets.filter((snippet) => snippet.typecheckOnly !== undefined).length,
    );
    const fake = tsBlocks(
      'x\n<!-- snippet: typecheck-only (needs a code) -->\n```ts\nconst a = 1;\n```\n```ts\nb;\n```\n',
    );
    expect(fake.map((snippet) => [snippet.line, snippet.code, snippet.typecheckOnly])).toEqual([
      [3, 'const a = 1;', 'needs a code'],
      [6, 'b;', undefined],
    ]);
  });

  it('has no code block that escapes the checks (ts is run here, js in test/pack, sh below)', () => {
    const fences = readme.split('\n').filter((line) => /^\s*```\S/.test(line));
    expect(fences.filter((fence) => !['```ts', '```js', '```sh'].includes(fence))).toEqual([]);
  });

  it('names only npm scripts that exist, and CLI commands and flags the CLI knows', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    const named = [...readme.matchAll(/npm run ([a-z][\w:-]*)/g)].map((match) => match[1] ?? '');
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
    // `npx fortnox-sync <command> …`, `npm run cli -- <command> …`, `node dist/cli.js <command> …`,
    // up to the end of the inline code, the table cell or a comment.
    const calls = [
      ...readme.matchAll(
        /(?:npx fortnox-sync|npm run cli --|node dist\/cli\.js) ([a-z]+)((?: [^`|#\n]*)?)/g,
      ),
    ].map(([, command, rest]) => ({
      command: command ?? '',
      flags: rest?.match(/--[a-z-]+/g) ?? [],
    }));
    expect(calls.length).toBeGreaterThan(8);
    const unknown = calls.flatMap(({ command, flags }) => {
      const usage = COMMAND_USAGE[command];
      if (usage === undefined) return [`unknown command ${command}`];
      return flags
        .filter((flag) => !usage.includes(`${flag} `))
        .map((flag) => `${command} ${flag}`);
    });
    expect(unknown).toEqual([]);
  });

  it('links every example in examples/', () => {
    const examples = readdirSync(join(root, 'examples')).filter((file) => file.endsWith('.ts'));
    expect(examples.filter((file) => !readme.includes(`(examples/${file})`))).toEqual([]);
  });

  it('every ts block typechecks as written (complete imports, nothing undefined)', async () => {
    const result = await run(process.execPath, [tsc, '-p', tsconfig], { cwd: root }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    // Errors in the snippets only (src/ is typechecked by `npm run typecheck`), at their README line.
    const located = result
      .split('\n')
      .filter((line) => /snippet-\d+\.ts\(/.test(line))
      .join('\n')
      .replace(/snippet-(\d+)\.ts\((\d+),/g, (_, number: string, line) => {
        const snippet = snippets[Number(number) - 1];
        return `README.md:${(snippet?.line ?? 0) + Number(line)} (snippet ${number}, line ${line},`;
      });
    expect(located).toBe('');
  }, 120_000);

  for (const snippet of snippets.filter((each) => each.typecheckOnly === undefined)) {
    it(`the block at README.md:${snippet.line} runs against the emulator`, async () => {
      const emulator = createEmulatorCore();
      const server = await emulator.listen({ port: 0 });
      const cwd = mkdtempSync(join(tmpdir(), 'fortnox-sync-readme-'));
      try {
        const { stdout, stderr } = await run(
          tsx,
          ['--tsconfig', tsconfig, join(directory, `${snippet.name}.ts`)],
          {
            cwd,
            timeout: 60_000,
            env: {
              ...process.env,
              FORTNOX_API_URL: server.url,
              FORTNOX_ACCESS_TOKEN: emulator.issueAccessToken(),
              FORTNOX_TOKEN_KEY: randomBytes(32).toString('base64'),
            },
          },
        );
        if (process.env.SHOW_SNIPPET_OUTPUT) console.log(`README.md:${snippet.line}\n${stdout}`);
        expect(stderr).toBe('');
        expect(stdout).not.toBe(''); // every runnable snippet prints what it did
      } finally {
        await server.close();
        rmSync(cwd, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
