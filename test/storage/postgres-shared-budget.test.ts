import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exchangeAuthorizationCode } from '../../src/client/index.js';
import { createPostgresTokenStore } from '../../src/storage/postgres/index.js';
import {
  createEmulatorCore,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type FortnoxEmulatorCore,
} from '../../src/testing/index.js';
import { killChildren, spawnReportingScript, tell } from '../support/child-processes.js';
import {
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../support/postgres.js';
import type { ClientWorkerReport, ClientWorkerSettings } from './support/postgres-client-worker.js';
import { WORKER_SCHEMA } from './support/postgres-schemas.js';

const REDIRECT = 'https://app.example.se/callback';
const children: ChildProcess[] = [];
const schemas = new Set<string>();

afterEach(() => killChildren(children));

const CLIENT_WORKER = fileURLToPath(
  new URL('./support/postgres-client-worker.ts', import.meta.url),
);

/** Starts a client worker (see postgres-client-worker.ts); `tell(workers, 'go')` once all are ready. */
const spawnClientWorker = (settings: ClientWorkerSettings) =>
  spawnReportingScript<ClientWorkerReport>(
    CLIENT_WORKER,
    { POSTGRES_CLIENT_WORKER: JSON.stringify(settings) },
    children,
  );

function freshSchema(name: string): string {
  const schema = schemaFor(`${name}_${process.pid}_${Date.now().toString(36)}`);
  schemas.add(schema);
  return schema;
}

/** Starts an emulator over HTTP; closed after the file. */
async function startEmulator(options: Parameters<typeof createEmulatorCore>[0]) {
  const core = createEmulatorCore(options);
  const server = await core.listen();
  closers.push(() => server.close());
  return { core, baseUrl: server.url };
}
const closers: (() => Promise<void> | void)[] = [];

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

if (postgresAvailable()) {
  afterAll(async () => {
    for (const close of closers.splice(0)) await close();
    await dropSchemas(schemas);
    await closeAdmin();
  });

  describe('Postgres rate limiter: one budget per tenant across processes', () => {
    const TENANTS = ['t1', 't2'];
    const PROCESSES = 4;
    const LIMIT = 10;
    const WINDOW_MS = 1_000;
    const PER_TENANT = 12; // per process: 48 requests per tenant, about 5 windows

    async function run(limiter: 'postgres' | 'local') {
      const { core, baseUrl } = await startEmulator({
        rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
        // Requests travel a while before the emulator counts them, like over the internet.
        upstreamLatency: { coldMs: 20, warmMs: 5 },
      });
      const tenants = Object.fromEntries(
        TENANTS.map((tenant) => [tenant, core.issueAccessToken(tenant)]),
      );
      const schema = freshSchema(`rate_${limiter}`);
      const workers = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          spawnClientWorker({
            mode: 'rate',
            url: POSTGRES_URL as string,
            schema,
            workerSchema: WORKER_SCHEMA,
            apiBaseUrl: baseUrl,
            authBaseUrl: baseUrl,
            tenants,
            requestsPerTenant: PER_TENANT,
            limiter,
            limit: LIMIT,
            windowMs: WINDOW_MS,
          }),
        ),
      );
      tell(workers, 'go');
      const reports = await Promise.all(workers.map((worker) => worker.report));
      const stats = core.stats();
      console.info(
        `rate limiter ${limiter}: ${stats.requests} requests, ${stats.rateLimited} answered 429`,
      );
      return { reports, stats };
    }

    it('with the shared Postgres budget, 4 processes draw zero 429s from the strict limiter', async () => {
      const { reports, stats } = await run('postgres');
      expect(reports.flatMap((report) => report.errors)).toEqual([]);
      expect(reports.reduce((sum, report) => sum + report.ok, 0)).toBe(
        PROCESSES * TENANTS.length * PER_TENANT,
      );
      expect(stats.rateLimited).toBe(0);
    }, 60_000);

    it('control: each process with its own budget overruns the tenant and draws 429s', async () => {
      const { stats } = await run('local');
      expect(stats.rateLimited).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('Postgres token store: one refresh per tenant across processes', () => {
    const TENANTS = ['t1', 't2', 't3'];
    const PROCESSES = 8;
    const key = randomBytes(32).toString('base64');

    async function run(lock: boolean) {
      const { core, baseUrl } = await startEmulator({ rateLimit: false });
      const schema = freshSchema(`tokens_${lock ? 'locked' : 'unlocked'}`);
      const store = await createPostgresTokenStore({
        connectionString: POSTGRES_URL as string,
        schema,
        workerSchema: WORKER_SCHEMA,
        encryptionKeys: [{ id: 'k1', key }],
      });
      // Every tenant's access token expires at the same moment: now.
      const expiresAt = Date.now() - 1;
      for (const tenant of TENANTS) {
        const tokens = await connectTenant(baseUrl, tenant);
        await store.save(tenant, { ...tokens, expiresAt });
      }
      const before = tokenCalls(core, 200);
      const workers = await Promise.all(
        Array.from({ length: PROCESSES }, () =>
          spawnClientWorker({
            mode: 'token',
            url: POSTGRES_URL as string,
            schema,
            workerSchema: WORKER_SCHEMA,
            apiBaseUrl: baseUrl,
            authBaseUrl: baseUrl,
            tenants: Object.fromEntries(TENANTS.map((tenant) => [tenant, ''])),
            requestsPerTenant: 2,
            lock,
            encryptionKey: key,
            clientId: DEFAULT_CLIENT_ID,
            clientSecret: DEFAULT_CLIENT_SECRET,
          }),
        ),
      );
      tell(workers, 'go');
      const reports = await Promise.all(workers.map((worker) => worker.report));
      const refreshed = await Promise.all(TENANTS.map((tenant) => store.load(tenant)));
      await store.close();
      console.info(
        `token store lock=${lock}: ${tokenCalls(core, 200) - before} refreshes, ${tokenCalls(core, 400)} invalid_grant for ${TENANTS.length} tenants`,
      );
      return {
        reports,
        refreshes: tokenCalls(core, 200) - before,
        invalidGrants: tokenCalls(core, 400),
        refreshed,
        expiresAt,
      };
    }

    it('8 processes whose tokens expire at once: exactly one refresh per tenant, zero invalid_grant', async () => {
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
      const { refreshes, invalidGrants } = await run(false);
      expect(refreshes + invalidGrants).toBeGreaterThan(TENANTS.length);
      expect(invalidGrants).toBeGreaterThan(0);
    }, 90_000);
  });
} else {
  describe.skip('Postgres shared budget and tokens (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
