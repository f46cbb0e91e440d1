/**
 * Every example is a program: `npx tsx examples/<name>.ts` runs it from a clone against an emulator it
 * starts itself and prints what it did. Run here as a user runs them (a child process, tsx, the
 * clone's tsconfig paths), also from a directory whose path has spaces.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKER_SCHEMA } from '../storage/support/postgres-schemas.js';
import { POSTGRES_URL, postgresAvailable } from '../support/postgres.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** What each finite example must print (its run ends by itself). */
const EXPECTED: Record<string, readonly RegExp[]> = {
  'audit-fortnox-duplicates.ts': [/\d+ groups of likely duplicates/],
  'connect-fortnox.ts': [/3\. connected Fortnox company 1000001; tokens saved/, /has 5 customers/],
  'custom-duplicate-resolver.ts': [/company: synced/, /private person: needs-decision/],
  'custom-storage-adapter.ts': [/kv-1: synced as \d+/, /kv-2: synced as \d+/],
  'fastify-service.ts': [/saved: synced as customer (\d+)/, /updated: synced as customer \d+/],
  'plan-initial-sync.ts': [/create\s*│ 2/],
  'sync-worker.ts': [/worker: linked 3, pending 0, failed 0/],
};
/** Examples that need a PostgreSQL database (DATABASE_URL); skipped with a message without one. */
const NEEDS_POSTGRES = new Set(['fastify-service.ts']);
const postgres = postgresAvailable();
/** Examples that serve until stopped; checked separately. */
const SERVERS = new Set(['decisions-page.ts']);

type Run = { code: number | null; stdout: string; stderr: string };

function run(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<Run> } {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  // The examples choose between a given Fortnox and their own emulator by these.
  delete environment.FORTNOX_API_URL;
  delete environment.FORTNOX_ACCESS_TOKEN;
  const child = spawn(tsx, [script], { cwd, env: environment });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

describe('examples/ entry points', () => {
  it('lists every example here (a new one needs its expected output)', () => {
    const files = readdirSync(join(root, 'examples')).filter((file) => file.endsWith('.ts'));
    expect(files.sort()).toEqual([...Object.keys(EXPECTED), ...SERVERS].sort());
  });

  for (const [file, patterns] of Object.entries(EXPECTED)) {
    const skip = NEEDS_POSTGRES.has(file) && !postgres;
    it.skipIf(skip)(
      `npx tsx examples/${file} runs against its own emulator and says what it did`,
      { timeout: 60_000 },
      async () => {
        // The run's graphile-worker schema, migrated before the tests: the example migrates none
        // (a migration is announced to every runner of the database, the other test files' too).
        const env = NEEDS_POSTGRES.has(file)
          ? { DATABASE_URL: POSTGRES_URL ?? '', GRAPHILE_WORKER_SCHEMA: WORKER_SCHEMA }
          : {};
        const result = await run(join('examples', file), root, env).done;
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        for (const pattern of patterns) expect(result.stdout).toMatch(pattern);
      },
    );
  }

  it('examples/decisions-page.ts serves the pending decisions until SIGTERM, then exits cleanly', async () => {
    const { child, done } = run(join('examples', 'decisions-page.ts'), root, { PORT: '0' });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no URL printed')), 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = /open (http:\/\/\S+)/.exec(chunk.toString());
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const html = await (await fetch(url)).text();
    expect(html).toContain('data-source-id="crm-101"');
    expect(html).toContain('data-source-id="crm-102"');
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  }, 60_000);

  describe('from a directory whose path has spaces', () => {
    const base = mkdtempSync(join(tmpdir(), 'fortnox sync examples '));
    const clone = join(base, 'my clone');
    afterAll(() => rmSync(base, { recursive: true, force: true }));

    it('runs an example by relative and by absolute path, and without its extension', async () => {
      // A clone at a path with spaces: the examples copied, the rest of the clone linked.
      cpSync(join(root, 'examples'), join(clone, 'examples'), { recursive: true });
      for (const file of ['package.json', 'tsconfig.json']) {
        cpSync(join(root, file), join(clone, file));
      }
      for (const directory of ['src', 'node_modules']) {
        symlinkSync(join(root, directory), join(clone, directory), 'dir');
      }
      for (const script of [
        join('examples', 'connect-fortnox.ts'),
        join(clone, 'examples', 'plan-initial-sync.ts'),
        // tsx runs `examples/<name>` too; the entry-point check once failed on it with ENOENT.
        join('examples', 'custom-duplicate-resolver'),
      ]) {
        const result = await run(script, clone).done;
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(result.stdout.trim().length).toBeGreaterThan(0);
      }
    }, 90_000);
  });
});
