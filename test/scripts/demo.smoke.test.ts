/**
 * Smoke test of `npm run demo`: the real script in a child process (emulator over HTTP, SQLite file,
 * the engine, the client with its rate limiter), on a smaller sample so CI stays quick. Its summary
 * must equal the sample's known truth, computed here independently from the same generator.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createEmulatorCore,
  generateSampleSource,
  seedSampleFortnox,
} from '../../src/testing/index.js';
import { REPO_ROOT } from '../support/fixture-paths.js';

const SOURCE = 500;
const FORTNOX = 375;
const SEED = 11;

function runDemo(
  args: string[],
  env: NodeJS.ProcessEnv = { FORTNOX_CLIENT_ID: '', FORTNOX_TENANT_ID: '' },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'demo.ts'), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo (smoke)', () => {
  it('runs end to end and its numbers equal the sample truth', { timeout: 120_000 }, async () => {
    const sample = generateSampleSource({
      sourceCustomers: SOURCE,
      fortnoxCustomers: FORTNOX,
      seed: SEED,
    });
    const truth = sample.expectedCounts;
    const result = await runDemo([
      '--customers',
      String(SOURCE),
      '--fortnox',
      String(FORTNOX),
      '--seed',
      String(SEED),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(summary.mode).toBe('emulator');
    expect(summary.plan).toEqual({ ...truth, 'already-linked': 0 });
    expect(summary.counts).toEqual({ ...truth, 'already-linked': 0 });
    expect(summary.matchesTruth).toBe(true);
    expect(summary.failures).toBe(truth.failed);
    expect(summary.failureFields).toEqual(['email', 'name', 'organisationNumber']);
    expect(summary.rateLimited).toBe(0);
    // The plan reads only inventory pages; the run at least one request per create and update.
    expect(summary.planRequests).toBeLessThanOrEqual(4);
    expect(summary.requests).toBeGreaterThanOrEqual(truth.create + truth.update);
    // Save = sync: a new customer number, kept by the update.
    expect(summary.saved).toMatch(/^\d+$/);
    expect(summary.updated).toBe(summary.saved);
    expect(summary.resolved).toMatchObject({ status: 'synced' });
    expect(summary.fortnoxAfter).toBe(FORTNOX + truth.create + 1);
    expect(summary.status).toMatchObject({
      connection: 'connected',
      linked: truth.create + truth.link + truth.update + 2,
      needsDecision: truth.ask - 1,
      failed: truth.failed,
      pending: 0,
    });
    // The story a person reads.
    expect(result.stderr).toContain('Rate limit: 250 requests per 5 s');
    expect(result.stderr).toMatch(/executing: \d+\/500/);
    expect(result.stderr).toContain("Outcome equals the sample's known truth");
    expect(result.stderr).toMatch(/ sv: /);
    expect(result.stderr).toMatch(/customer number \d+ kept/);
  });

  it('has --help, and explains a bad argument with the usage (exit 2) before starting anything', {
    timeout: 120_000,
  }, async () => {
    const cases = [
      [['--bogus'], "Unknown option '--bogus'"],
      [['--limit', '0'], '--limit must be a whole number of at least 1, got "0"'],
      [['--customers', '3000', '--fortnox', '100'], '--fortnox must be an integer ≥'],
    ] as const;
    // Side by side: each is a child process that stops before the emulator starts.
    const [help, ...results] = await Promise.all([
      runDemo(['--help']),
      ...cases.map(([args]) => runDemo([...args])),
    ]);
    expect(help?.code).toBe(0);
    expect(help?.stdout).toMatch(/^Usage: npm run demo/);
    expect(help?.stdout).toContain('--apply');
    cases.forEach(([args, message], index) => {
      const result = results[index];
      expect(result?.code, args.join(' ')).toBe(2);
      expect(result?.stderr).toContain(`demo: ${message}`);
      expect(result?.stderr).toContain('Usage: npm run demo');
      expect(result?.stdout).toBe('');
    });
  });

  it('with Fortnox credentials in the environment it plans a --source file, syncs only with --apply', {
    timeout: 120_000,
  }, async () => {
    // "The real Fortnox" is played by an emulator at Fortnox's own limit, reached through FORTNOX_API_URL.
    const sample = generateSampleSource({ sourceCustomers: 20, fortnoxCustomers: 15, seed: 5 });
    const emulator = createEmulatorCore({ defaultTenantId: '2000002' });
    seedSampleFortnox(emulator.tenant('2000002'), sample);
    const server = await emulator.listen();
    try {
      const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync-demo-real-'));
      const source = path.join(directory, 'kunder.json');
      const db = path.join(directory, 'kept.db');
      writeFileSync(source, JSON.stringify(sample.sourceCustomers));
      const env = {
        FORTNOX_CLIENT_ID: 'fortnox-sync-emulator',
        FORTNOX_CLIENT_SECRET: 'emulator-client-secret',
        FORTNOX_TENANT_ID: '2000002',
        FORTNOX_API_URL: server.url,
        FORTNOX_AUTH_URL: server.url,
      };
      const refused = await runDemo(['--json'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('needs --source <file>');

      const planned = await runDemo(
        ['--source', source, '--db', db, '--client-credentials', '--json'],
        env,
      );
      expect(planned.code, planned.stderr).toBe(0);
      const plan = JSON.parse(planned.stdout.trim().split('\n').at(-1) ?? '{}');
      expect(plan).toMatchObject({ mode: 'fortnox', tenantId: '2000002' });
      expect(plan.plan).toEqual({ ...sample.expectedCounts, 'already-linked': 0 });
      expect(plan.counts).toBeUndefined();
      expect(planned.stderr).toContain("at Fortnox's limit of 25 requests per 5 s");
      expect(emulator.tenant('2000002').customers()).toHaveLength(15);

      const applied = await runDemo(
        ['--source', source, '--db', db, '--client-credentials', '--apply', '--json'],
        env,
      );
      expect(applied.code, applied.stderr).toBe(0);
      const run = JSON.parse(applied.stdout.trim().split('\n').at(-1) ?? '{}');
      expect(run.counts).toEqual({ ...sample.expectedCounts, 'already-linked': 0 });
      expect(run.saved).toBeUndefined(); // no made-up customer is written into a real register
      expect(emulator.tenant('2000002').customers()).toHaveLength(
        15 + sample.expectedCounts.create,
      );
      expect(existsSync(db)).toBe(true); // the links outlast the demo
    } finally {
      await server.close();
    }
  });
});
