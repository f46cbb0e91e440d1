/**
 * Packs fortnox-sync with `npm pack`, installs the tarball into a throwaway ESM project and a throwaway
 * CommonJS project, type-checks a consumer in each and runs them against the emulator: the README quick
 * start exactly as written (ESM), a `require` consumer (CJS) and the packed `fortnox-sync` binary.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorCore } from '../../src/testing/index.js';
import { REPO_ROOT } from '../support/fixture-paths.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let workDir = '';
let tarball = '';

async function readQuickStart(): Promise<string> {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /<!-- quick-start:begin -->\s*```js\n([\s\S]*?)```\s*<!-- quick-start:end -->/.exec(
    readme,
  );
  if (!block?.[1]) throw new Error('README.md has no quick-start block between the markers');
  return block[1];
}

async function createProject(
  name: string,
  type: 'module' | 'commonjs',
  { withMsw = true } = {},
): Promise<string> {
  const dir = path.join(workDir, name);
  await run('mkdir', ['-p', dir]);
  const manifest = { name, private: true, type };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const mswVersion = JSON.parse(
    await readFile(path.join(REPO_ROOT, 'node_modules/msw/package.json'), 'utf8'),
  ).version;
  const packages = withMsw ? [tarball, `msw@${mswVersion}`] : [tarball];
  await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packages], {
    cwd: dir,
  });
  return dir;
}

async function typecheck(dir: string, file: string): Promise<void> {
  const compilerOptions = {
    noEmit: true,
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2023',
    lib: ['es2023', 'dom'],
    types: [],
  };
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, files: [file] }),
  );
  try {
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`the consumer's types do not check:\n${output}`);
  }
}

async function node(dir: string, file: string, env: Record<string, string>) {
  return run(process.execPath, [file], {
    cwd: dir,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'fortnox-sync-pack-'));
  const { stdout } = await run(npm, ['pack', '--silent', '--pack-destination', workDir], {
    cwd: REPO_ROOT,
  });
  tarball = path.join(workDir, stdout.trim().split('\n').at(-1) ?? '');
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('runs the README quick start as written from an ESM project, with types', async () => {
    const dir = await createProject('consumer-esm', 'module');
    await writeFile(path.join(dir, 'quick-start.mjs'), await readQuickStart());
    await writeFile(
      path.join(dir, 'types.mts'),
      [
        "import { createFortnoxClient, ok, type FortnoxError, ResultAsync } from 'fortnox-sync';",
        "import { createFortnoxEmulator } from 'fortnox-sync/testing/msw';",
        "const client = createFortnoxClient({ auth: { type: 'access-token', accessToken: 'token' } });",
        "const pending = client.customers.get('1');",
        'const checked: ResultAsync<{ CustomerNumber: string }, FortnoxError> = pending;',
        'export const handlers = createFortnoxEmulator().handlers.length;',
        'export { checked, ok, ResultAsync };',
        '',
      ].join('\n'),
    );
    await typecheck(dir, 'types.mts');

    const emulator = createEmulatorCore();
    const server = await emulator.listen({ port: 0 });
    try {
      const { stdout } = await node(dir, 'quick-start.mjs', {
        FORTNOX_API_URL: server.url,
        FORTNOX_ACCESS_TOKEN: emulator.issueAccessToken(),
      });
      expect(stdout).toContain('created customer 1');
      expect(stdout).toContain('exact matches 1');
      expect(stdout).toContain('active customers 1');
      expect(emulator.tenant().customers()).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('is required from a CommonJS project, with types, and its client talks to the emulator', async () => {
    const dir = await createProject('consumer-cjs', 'commonjs');
    await writeFile(
      path.join(dir, 'types.cts'),
      [
        "import fortnox = require('fortnox-sync');",
        "import testing = require('fortnox-sync/testing');",
        "const client = fortnox.createFortnoxClient({ auth: { type: 'access-token', accessToken: 't' } });",
        'const result: fortnox.ResultAsync<void, fortnox.FortnoxError> = client.customers.remove("1");',
        'export const core = testing.createEmulatorCore();',
        'export { result };',
        '',
      ].join('\n'),
    );
    await typecheck(dir, 'types.cts');
    await writeFile(
      path.join(dir, 'consumer.cjs'),
      [
        "const { createFortnoxClient } = require('fortnox-sync');",
        "const { createEmulatorCore } = require('fortnox-sync/testing');",
        '(async () => {',
        '  const emulator = createEmulatorCore();',
        '  const server = await emulator.listen({ port: 0 });',
        "  const client = createFortnoxClient({ auth: { type: 'access-token', accessToken: emulator.issueAccessToken() }, apiBaseUrl: server.url });",
        "  const created = await client.customers.create({ Name: 'Anna Andersson', Type: 'PRIVATE' });",
        '  const fetched = await client.customers.get(created._unsafeUnwrap().CustomerNumber);',
        '  console.log(JSON.stringify({ type: fetched._unsafeUnwrap().Type, name: fetched._unsafeUnwrap().Name }));',
        '  await server.close();',
        '})().catch((error) => { console.error(error); process.exit(1); });',
        '',
      ].join('\n'),
    );
    const { stdout } = await node(dir, 'consumer.cjs', {});
    expect(JSON.parse(stdout.trim())).toEqual({ type: 'PRIVATE', name: 'Anna Andersson' });
  });

  it('works without msw: fortnox-sync/testing over HTTP (ESM and CommonJS); only /testing/msw names msw as missing', async () => {
    const dir = await createProject('consumer-no-msw', 'module', { withMsw: false });
    await writeFile(
      path.join(dir, 'no-msw.mjs'),
      [
        "import { createFortnoxClient } from 'fortnox-sync';",
        "import { createEmulatorCore } from 'fortnox-sync/testing';",
        "import { createRequire } from 'node:module';",
        "const { createEmulatorCore: fromRequire } = createRequire(import.meta.url)('fortnox-sync/testing');",
        'const emulator = createEmulatorCore();',
        'const server = await emulator.listen({ port: 0 });',
        "const client = createFortnoxClient({ auth: { type: 'access-token', accessToken: emulator.issueAccessToken() }, apiBaseUrl: server.url });",
        "const created = await client.customers.create({ Name: 'Utan Msw AB' });",
        'await server.close();',
        "const missing = await import('fortnox-sync/testing/msw').then(() => 'loaded', (error) => String(error));",
        'console.log(JSON.stringify({ created: created.isOk(), required: typeof fromRequire, missing }));',
        '',
      ].join('\n'),
    );
    const { stdout } = await node(dir, 'no-msw.mjs', {});
    const result = JSON.parse(stdout.trim()) as {
      created: boolean;
      required: string;
      missing: string;
    };
    expect(result).toMatchObject({ created: true, required: 'function' });
    expect(result.missing).toMatch(/Cannot find (package|module) 'msw'/);

    const bin = path.join(dir, 'node_modules', '.bin', 'fortnox-sync');
    const { stdout: help } = await run(bin, ['emulator', '--help'], {
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    });
    expect(help).toContain('Usage: fortnox-sync emulator');
  });

  it('works without pg and graphile-worker: the root, /sqlite and /testing load (ESM and CommonJS); only /postgres names them as missing', async () => {
    // The project of the test above: the tarball alone, so no optional peer dependency is installed.
    const dir = path.join(workDir, 'consumer-no-msw');
    await writeFile(
      path.join(dir, 'no-pg.mjs'),
      [
        "import { existsSync } from 'node:fs';",
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        "const installed = ['pg', 'graphile-worker'].filter((name) => existsSync('node_modules/' + name));",
        "const root = await import('fortnox-sync');",
        "const sqlite = await import('fortnox-sync/sqlite');",
        "const testing = await import('fortnox-sync/testing');",
        "const storage = sqlite.createSqliteStorage({ path: ':memory:' });",
        "await storage.links.count('t');",
        'await storage.close();',
        'const loaded = [root.createSyncEngine, sqlite.createSqliteStorage, testing.createEmulatorCore]',
        "  .concat([require('fortnox-sync').createSyncEngine, require('fortnox-sync/sqlite').createSqliteStorage, require('fortnox-sync/testing').createEmulatorCore])",
        '  .map((value) => typeof value);',
        "const missing = await import('fortnox-sync/postgres').then(() => 'loaded', (error) => String(error));",
        'let missingCjs = "loaded";',
        "try { require('fortnox-sync/postgres'); } catch (error) { missingCjs = String(error); }",
        'console.log(JSON.stringify({ installed, loaded, missing, missingCjs }));',
        '',
      ].join('\n'),
    );
    const { stdout } = await node(dir, 'no-pg.mjs', {});
    const result = JSON.parse(stdout.trim()) as {
      installed: string[];
      loaded: string[];
      missing: string;
      missingCjs: string;
    };
    expect(result.installed).toEqual([]);
    expect(result.loaded).toEqual(Array.from({ length: 6 }, () => 'function'));
    expect(result.missing).toMatch(/Cannot find (package|module) '(pg|graphile-worker)'/);
    expect(result.missingCjs).toMatch(/Cannot find module '(pg|graphile-worker)'/);
  });

  it('ships a working fortnox-sync binary', async () => {
    const dir = path.join(workDir, 'consumer-esm');
    const bin = path.join(dir, 'node_modules', '.bin', 'fortnox-sync');
    const child: ChildProcess = spawn(
      bin,
      ['emulator', '--port', '0', '--seed-customers', '20', '--json'],
      {
        cwd: dir,
        env: {
          ...process.env,
          PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
        createInterface({ input: child.stdout! }).once('line', resolve);
      });
      const details = JSON.parse(line) as { url: string; accessToken: string };
      const response = await fetch(`${details.url}/3/customers?limit=500`, {
        headers: { Authorization: `Bearer ${details.accessToken}`, Accept: 'application/json' },
      });
      const body = (await response.json()) as { MetaInformation: { '@TotalResources': number } };
      expect(response.status).toBe(200);
      expect(body.MetaInformation['@TotalResources']).toBe(20);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
