/**
 * The SQLite token store across processes: 4 processes share one file, and every tenant's access
 * token expires at the same moment. With the store's lock, each tenant is refreshed exactly once and
 * no process draws invalid_grant (Fortnox refresh tokens are single-use, and so are the emulator's);
 * without it, the same run draws invalid_grant. A holder killed with SIGKILL inside the lock does not
 * block the tenant for longer than its lease.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exchangeAuthorizationCode } from '../../src/client/index.js';
import { createSqliteTokenStore } from '../../src/storage/sqlite/index.js';
import {
  createEmulatorCore,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type FortnoxEmulatorCore,
} from '../../src/testing/index.js';
import { killChildren, spawnReportingScript, tell } from '../support/child-processes.js';
import { sqlitePath } from './support/sqlite-files.js';
import type {
  SqliteTokenWorkerReport,
  SqliteTokenWorkerSettings,
} from './support/sqlite-token-worker.js';

const WORKER = new URL('./support/sqlite-token-worker.ts', import.meta.url).pathname;
const REDIRECT = 'https://app.example.se/callback';
const TENANTS = ['t1', 't2', 't3'];
const PROCESSES = 4;
const key = randomBytes(32).toString('base64');
const children: ChildProcess[] = [];
const closers: (() => Promise<void> | void)[] = [];

afterEach(() => killChildren(children));
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
});

const spawnWorker = (settings: SqliteTokenWorkerSettings) =>
  spawnReportingScript<SqliteTokenWorkerReport>(
    WORKER,
    { SQLITE_TOKEN_WORKER: JSON.stringify(settings) },
    children,
  );

/** Authorizes `tenantId` on the emulator (auto-approve) and exchanges the code: fresh tokens. */
async function connectTenant(baseUrl: string, tenantId: string) {
  const query = new URLSearchParams({
    client_id: DEFAULT_CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: 'customer companyinformation',
    state: 's',
    access_type: 'offline',
    response_type: 'code',
    tenant: tenantId,
  });
  const response = await fetch(`${baseUrl}/oauth-v1/auth?${query}`, { redirect: 'manual' });
  const code = new URL(response.headers.get('Location') ?? '').searchParams.get('code') ?? '';
  const tokens = await exchangeAuthorizationCode({
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
    code,
    redirectUri: REDIRECT,
    authBaseUrl: baseUrl,
  });
  return tokens._unsafeUnwrap();
}

function tokenCalls(core: FortnoxEmulatorCore, status: number): number {
  return core
    .requests()
    .filter((entry) => entry.path.startsWith('/oauth-v1/token') && entry.status === status).length;
}

async function run(lock: boolean) {
  const core = createEmulatorCore({
    rateLimit: false,
    // Fortnox's token endpoint takes a while to answer; so does the emulator's here.
    faults: { rules: [{ kind: 'latency', path: '/oauth-v1/token', latencyMs: 50 }] },
  });
  const server = await core.listen();
  closers.push(() => server.close());
  const path = sqlitePath(`tokens-${lock ? 'locked' : 'unlocked'}-${process.pid}-${Date.now()}`);
  const store = createSqliteTokenStore({ path, encryptionKeys: [{ id: 'k1', key }] });
  // Every tenant's access token expires at the same moment: now.
  const expiresAt = Date.now() - 1;
  for (const tenant of TENANTS) {
    const tokens = await connectTenant(server.url, tenant);
    await store.save(tenant, { ...tokens, expiresAt });
  }
  const before = tokenCalls(core, 200);
  const workers = await Promise.all(
    Array.from({ length: PROCESSES }, () =>
      spawnWorker({
        mode: 'clients',
        path,
        encryptionKey: key,
        tenants: TENANTS,
        lock,
        apiBaseUrl: server.url,
        requestsPerTenant: 2,
        clientId: DEFAULT_CLIENT_ID,
        clientSecret: DEFAULT_CLIENT_SECRET,
      }),
    ),
  );
  tell(workers, 'go');
  const reports = await Promise.all(workers.map((worker) => worker.report));
  const refreshed = await Promise.all(TENANTS.map((tenant) => store.load(tenant)));
  await store.close();
  const refreshes = tokenCalls(core, 200) - before;
  const invalidGrants = tokenCalls(core, 400);
  console.info(
    `sqlite token store lock=${lock}: ${refreshes} refreshes, ${invalidGrants} invalid_grant for ${TENANTS.length} tenants in ${PROCESSES} processes`,
  );
  return { reports, refreshes, invalidGrants, refreshed, expiresAt };
}

describe('SQLite token store: one refresh per tenant across processes', () => {
  it('4 processes whose tokens expire at once: exactly one refresh per tenant, zero invalid_grant', async () => {
    const { reports, refreshes, invalidGrants, refreshed, expiresAt } = await run(true);
    expect(reports.flatMap((report) => report.errors)).toEqual([]);
    expect(reports.reduce((sum, report) => sum + report.ok, 0)).toBe(
      PROCESSES * TENANTS.length * 2,
    );
    expect(refreshes).toBe(TENANTS.length);
    expect(invalidGrants).toBe(0);
    for (const tokens of refreshed) expect(tokens?.expiresAt).toBeGreaterThan(expiresAt);
  }, 90_000);

  it('control: without the lock, processes refresh the same single-use token and get invalid_grant', async () => {
    const { reports, refreshes, invalidGrants } = await run(false);
    expect(refreshes + invalidGrants).toBeGreaterThan(TENANTS.length);
    expect(invalidGrants).toBeGreaterThan(0);
    expect(reports.flatMap((report) => report.errors).length).toBeGreaterThan(0);
  }, 90_000);

  it('a holder killed with SIGKILL inside the lock blocks the tenant only until its lease runs out', async () => {
    const path = sqlitePath(`tokens-crash-${process.pid}-${Date.now()}`);
    const leaseMs = 1_000;
    const holder = await spawnWorker({
      mode: 'hold',
      path,
      encryptionKey: key,
      tenants: ['t1'],
      apiBaseUrl: 'http://127.0.0.1:9', // never called: the holder only holds the lock
      leaseMs,
    });
    const store = createSqliteTokenStore({ path, encryptionKeys: [{ id: 'k1', key }] });
    closers.push(() => store.close());
    // While the holder lives (and renews its lease), the tenant stays locked past the lease time.
    let entered = false;
    const waiting = store.lock('t1', async () => {
      entered = true;
      return Date.now();
    });
    await new Promise((resolve) => setTimeout(resolve, leaseMs * 1.5));
    expect(entered).toBe(false);
    // Other tenants are free meanwhile.
    expect(await store.lock('t2', async () => 'free')).toBe('free');
    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    await holder.exited;
    const enteredAt = await waiting;
    expect(enteredAt - killedAt).toBeLessThan(leaseMs + 1_000);
  }, 30_000);
});
