/** The initial sync, drift and audit through the public `createSyncEngine` (ResultAsync, no throws). */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createMemoryStorage,
  createSyncEngine,
  type InitialSyncProgress,
  type SyncEngine,
} from '../../src/index.js';
import {
  createEmulatorCore,
  type EmulatorServer,
  generateSampleSource,
  seedSampleFortnox,
} from '../../src/testing/index.js';
import { createSampleHost, RATE, TENANT, TOKEN } from './support/initial-sync-harness.js';

const sample = generateSampleSource({ sourceCustomers: 90, fortnoxCustomers: 80, seed: 13 });
const emulator = createEmulatorCore({ rateLimit: { ...RATE }, staticTokens: { [TOKEN]: TENANT } });
seedSampleFortnox(emulator.tenant(TENANT), sample);
let server: EmulatorServer;
let engine: SyncEngine;
const admin = { id: 'admin-1', roles: ['admin'] };

beforeAll(async () => {
  server = await emulator.listen();
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: TOKEN, tenantId: TENANT },
    apiBaseUrl: server.url,
    rateLimit: { ...RATE },
  });
  engine = createSyncEngine({
    storage: createMemoryStorage(),
    clients: () => client,
    source: createSampleHost(sample.sourceCustomers),
  });
});
afterAll(async () => {
  await engine.stop();
  await server.close();
});

describe('the initial sync through createSyncEngine', () => {
  it('plans, refuses to run before connect, runs after connect, then audits and checks drift', async () => {
    const plan = await engine.planInitialSync(TENANT);
    expect(plan.isOk() && plan.value.counts).toEqual({
      ...sample.expectedCounts,
      'already-linked': 0,
    });

    const early = await engine.runInitialSync(TENANT);
    expect(early.isErr() && early.error.kind).toBe('fortnox');

    expect((await engine.connect(TENANT, admin)).isOk()).toBe(true);
    // `lastmodified` has whole seconds: the sync's changes come after the seeding's second.
    await sleep(1_100);
    const aborted = await engine.runInitialSync(TENANT, { signal: AbortSignal.abort() });
    expect(aborted.isErr() && aborted.error.kind).toBe('aborted');

    const progress: InitialSyncProgress[] = [];
    const run = await engine.runInitialSync(TENANT, { onProgress: (p) => progress.push(p) });
    expect(run.isOk() && run.value.counts).toEqual({
      ...sample.expectedCounts,
      'already-linked': 0,
    });
    expect(progress.at(-1)?.phase).toBe('done');

    const summary = await engine.summary(TENANT);
    const { create, link, update, ask, failed } = sample.expectedCounts;
    expect(summary.isOk() && summary.value).toMatchObject({
      linked: create + link + update,
      failed,
      needsDecision: ask,
      pending: 0,
    });

    const audit = await engine.auditDuplicates(TENANT);
    expect(audit.isOk() && audit.value.length).toBe(sample.fortnoxDuplicateGroups.length);
    const drift = await engine.checkDrift(TENANT);
    expect(drift.isOk() && drift.value).toEqual([]);
  });

  it('answers no-source for an engine without the host source', async () => {
    const bare = createSyncEngine({
      storage: createMemoryStorage(),
      clients: () => {
        throw new Error('not needed');
      },
      autoStart: false,
    });
    const plan = await bare.planInitialSync(TENANT);
    expect(plan.isErr() && plan.error.kind).toBe('no-source');
  });
});
