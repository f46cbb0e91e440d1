/**
 * Smoke test of `npm run demo`: the real script in a child process (emulator over HTTP, SQLite file,
 * the engine, the client with its rate limiter), on a smaller sample so CI stays quick. Its summary
 * must equal the sample's known truth, computed here independently from the same generator.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSampleSource } from '../../src/testing/index.js';
import { REPO_ROOT } from '../support/fixture-paths.js';

const SOURCE = 500;
const FORTNOX = 375;
const SEED = 11;

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'demo.ts'), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, FORTNOX_CLIENT_ID: '', FORTNOX_TENANT_ID: '' } },
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
});
