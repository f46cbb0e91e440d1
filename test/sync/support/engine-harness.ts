/**
 * An engine against the project's Fortnox emulator over real HTTP (127.0.0.1), with the real client:
 * one client per tenant (access-token auth, the host's factory), memory storage, recorded events.
 */
import { createFortnoxClient, type FortnoxClient } from '../../../src/client/index.js';
import type { SourceCustomer } from '../../../src/mapping/index.js';
import { createMemoryStorage } from '../../../src/storage/index.js';
import type { SyncStorage } from '../../../src/storage/sync-storage.js';
import { createSyncEngine } from '../../../src/sync/create-sync-engine.js';
import type {
  SyncActor,
  SyncEngine,
  SyncEngineOptions,
  SyncEvent,
} from '../../../src/sync/sync-engine-types.js';
import {
  createEmulatorCore,
  createRandom,
  type EmulatorServer,
  type FortnoxEmulatorCore,
  type FortnoxEmulatorOptions,
  generateMobileNumber,
  generateOrganisationNumber,
  generatePersonalIdentityNumber,
  type RequestLogEntry,
} from '../../../src/testing/index.js';

export const ADMIN: SyncActor = { id: 'admin-1', roles: ['admin'] };
export const CLERK: SyncActor = { id: 'clerk-1', roles: ['user'] };

export type HarnessOptions = {
  readonly tenants?: readonly string[];
  /** Emulator rate limit (scaled); `false` by default: these tests count requests, not time. */
  readonly rateLimit?: FortnoxEmulatorOptions['rateLimit'];
  /** The client's limiter; defaults to matching the emulator's. */
  readonly clientRateLimit?: { limit: number; windowMs: number; safetyMarginMs?: number };
  readonly engine?: Partial<SyncEngineOptions>;
  /** Client retry attempts (1: every 429/5xx reaches the engine at once). @defaultValue 1 */
  readonly clientAttempts?: number;
  /** Connect every tenant before the test. @defaultValue true */
  readonly connect?: boolean;
  readonly storage?: SyncStorage;
  /** Answers a request instead of the emulator when it returns a response (a Fortnox refusal, …). */
  readonly intercept?: (method: string, url: URL) => Response | undefined;
};

export type Harness = {
  readonly emulator: FortnoxEmulatorCore;
  readonly server: EmulatorServer;
  readonly engine: SyncEngine;
  readonly storage: SyncStorage;
  readonly events: SyncEvent[];
  readonly tenants: readonly string[];
  /** A client of the tenant, outside the engine (to change Fortnox behind the engine's back). */
  client(tenantId?: string): FortnoxClient;
  /** Gives a tenant a fresh access token (what a person reconnecting does). */
  reissueToken(tenantId: string): void;
  /** Emulator requests to the customer API since the last `resetRequests`, optionally of one tenant. */
  requests(tenantId?: string): RequestLogEntry[];
  resetRequests(): void;
  /** A new engine on the same storage and emulator (a restarted process). */
  restart(engine?: Partial<SyncEngineOptions>): SyncEngine;
  close(): Promise<void>;
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const tenants = options.tenants ?? ['1000001'];
  const emulator = createEmulatorCore({
    defaultTenantId: tenants[0]!,
    tenants: Object.fromEntries(tenants.map((tenantId) => [tenantId, {}])),
    rateLimit: options.rateLimit ?? false,
    faults: { seed: 11 },
  });
  const server = await emulator.listen({ host: '127.0.0.1', port: 0 });
  const tokens = new Map(
    tenants.map((tenantId) => [tenantId, emulator.issueAccessToken(tenantId)]),
  );
  const rate = options.rateLimit;
  const clientRate =
    options.clientRateLimit ??
    (rate === undefined || rate === false
      ? { limit: 100_000, windowMs: 1_000, safetyMarginMs: 0 }
      : { limit: rate.limit ?? 25, windowMs: rate.windowMs ?? 5_000, safetyMarginMs: 30 });
  const clients = (tenantId: string): FortnoxClient =>
    createFortnoxClient({
      auth: { type: 'access-token', accessToken: tokens.get(tenantId) ?? 'none', tenantId },
      apiBaseUrl: server.url,
      authBaseUrl: server.url,
      rateLimit: clientRate,
      retry: {
        maxAttempts: options.clientAttempts ?? 1,
        baseDelayMs: 5,
        maxDelayMs: 20,
        maxRetryAfterMs: 20,
      },
      // Generous: the emulator shares this event loop, and a loaded machine must not turn a slow
      // answer into a timeout, a retried entry and extra searches (the tests count requests).
      timeoutMs: 60_000,
      fetch: (input, init) => {
        const request = new Request(input, init);
        const answer = options.intercept?.(request.method, new URL(request.url));
        return answer === undefined ? fetch(request) : Promise.resolve(answer);
      },
    });
  const storage = options.storage ?? createMemoryStorage();
  const events: SyncEvent[] = [];
  const engines: SyncEngine[] = [];
  const build = (extra: Partial<SyncEngineOptions> = {}) => {
    const engine = createSyncEngine({
      storage,
      clients,
      backoff: { initialMs: 5, maxMs: 40 },
      saveTimeoutMs: 5_000,
      onEvent: (event) => events.push(event),
      ...options.engine,
      ...extra,
    });
    engines.push(engine);
    return engine;
  };
  const engine = build();
  if (options.connect ?? true) {
    for (const tenantId of tenants) (await engine.connect(tenantId, ADMIN))._unsafeUnwrap();
  }
  let offset = 0;
  return {
    emulator,
    server,
    engine,
    storage,
    events,
    tenants,
    client: (tenantId = tenants[0]!) => clients(tenantId),
    reissueToken: (tenantId) => tokens.set(tenantId, emulator.issueAccessToken(tenantId)),
    requests: (tenantId) =>
      emulator
        .requests()
        .slice(offset)
        .filter((entry) => entry.path.startsWith('/3/'))
        .filter((entry) => tenantId === undefined || entry.tenantId === tenantId),
    resetRequests: () => {
      offset = emulator.requests().length;
    },
    restart: (extra) => build(extra),
    async close() {
      for (const running of engines) await running.stop();
      await storage.close();
      await server.close();
    },
  };
}

/** Counts requests by `METHOD` (e.g. `{ GET: 1, PUT: 1 }`). */
export const countByMethod = (entries: readonly RequestLogEntry[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const entry of entries) counts[entry.method] = (counts[entry.method] ?? 0) + 1;
  return counts;
};

/** Realistic Swedish source customers, seeded: companies with organisation numbers, and persons. */
export function sampleCustomers(count: number, seed = 1, prefix = 'c'): SourceCustomer[] {
  const random = createRandom(seed);
  const streets = ['Storgatan', 'Kungsgatan', 'Drottninggatan', 'Sveavägen', 'Linnégatan'];
  const cities = [
    ['Stockholm', '114 35'],
    ['Göteborg', '411 01'],
    ['Malmö', '211 20'],
    ['Uppsala', '753 20'],
  ] as const;
  const firms = ['Bygg', 'Konsult', 'Måleri', 'Elteknik', 'Redovisning', 'Transport'];
  const firstNames = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Eva', 'Per'];
  const lastNames = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson'];
  const customers: SourceCustomer[] = [];
  for (let i = 0; i < count; i += 1) {
    const [city, postalCode] = random.pick(cities);
    const address = {
      street: `${random.pick(streets)} ${i + 1}`,
      postalCode,
      city,
      countryCode: 'SE',
    };
    if (i % 4 === 3) {
      const first = random.pick(firstNames);
      const last = random.pick(lastNames);
      customers.push({
        id: `${prefix}-${i}`,
        type: 'private',
        name: `${first} ${last} ${i}`,
        email: `${first}.${last}${i}@example.se`.toLowerCase(),
        phone: generateMobileNumber(random),
        address,
        organisationNumber: generatePersonalIdentityNumber(random),
        active: true,
      });
    } else {
      const name = `${random.pick(lastNames)} ${random.pick(firms)} ${i} AB`;
      customers.push({
        id: `${prefix}-${i}`,
        type: 'company',
        name,
        email: `info${i}@${name.split(' ')[0]!.toLowerCase()}${i}.se`,
        phone: generateMobileNumber(random),
        address,
        organisationNumber: generateOrganisationNumber(random, 5),
        active: true,
      });
    }
  }
  return customers;
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
