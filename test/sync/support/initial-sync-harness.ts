/**
 * An initial sync against the emulator over real HTTP with the real client: a sample (source +
 * Fortnox customers with the known truth), a host source in memory, memory storage shared by every
 * engine started on it, and engines that can be killed mid-run like a crashed process.
 */
import { createFortnoxClient, type FortnoxClient } from '../../../src/client/index.js';
import type { SourceCustomer } from '../../../src/mapping/index.js';
import { createMemoryStorage } from '../../../src/storage/index.js';
import type { SyncStorage } from '../../../src/storage/sync-storage.js';
import { createEngineCore, type EngineCore } from '../../../src/sync/engine-core.js';
import { processEntry } from '../../../src/sync/process-entry.js';
import type { SyncEvent, SyncSource } from '../../../src/sync/sync-engine-types.js';
import {
  createEmulatorCore,
  type EmulatorServer,
  type FortnoxEmulatorCore,
  generateSampleSource,
  type SampleSource,
  type SampleSourceOptions,
  seedSampleFortnox,
} from '../../../src/testing/index.js';

export const TENANT = '1000001';
export const TOKEN = 'initial-sync-token';

/** The host's customers in memory, recording what the engine tells it. */
export type SampleHost = SyncSource & {
  readonly customers: Map<string, SourceCustomer>;
  /** Every `linked` call, in order. */
  readonly linkedCalls: Array<{ sourceId: string; customerNumber: string }>;
  readonly updates: Array<{ sourceId: string; patch: Partial<SourceCustomer> }>;
};

export function createSampleHost(customers: readonly SourceCustomer[]): SampleHost {
  const byId = new Map(customers.map((customer) => [customer.id, structuredClone(customer)]));
  const linkedCalls: SampleHost['linkedCalls'] = [];
  const updates: SampleHost['updates'] = [];
  return {
    customers: byId,
    linkedCalls,
    updates,
    list: () => [...byId.values()].map((customer) => structuredClone(customer)),
    get: (_tenantId, sourceId) => structuredClone(byId.get(sourceId)),
    linked(_tenantId, sourceId, customerNumber) {
      linkedCalls.push({ sourceId, customerNumber });
    },
    update(_tenantId, sourceId, patch) {
      updates.push({ sourceId, patch });
      const current = byId.get(sourceId);
      if (current !== undefined) byId.set(sourceId, { ...current, ...patch });
    },
  };
}

/** A storage whose every call fails once killed: what a dead process can no longer write. */
function killable(storage: SyncStorage): { storage: SyncStorage; kill(): void } {
  let killed = false;
  const guard = <T extends object>(store: T): T =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (killed) return Promise.reject(new Error('process killed'));
          return value.apply(target, args);
        };
      },
    });
  let running: { stop(): Promise<void> } | undefined;
  const wrapped: SyncStorage = {
    tenants: guard(storage.tenants),
    links: guard(storage.links),
    outbox: guard(storage.outbox),
    decisions: guard(storage.decisions),
    checkpoints: guard(storage.checkpoints),
    queue: {
      schedule: (item, runAt) =>
        killed ? Promise.reject(new Error('process killed')) : storage.queue.schedule(item, runAt),
      start(handler, options) {
        running = storage.queue.start(async (item) => {
          if (killed) throw new Error('process killed');
          await handler(item);
        }, options);
        return running;
      },
    },
    close: () => storage.close(),
  };
  return {
    storage: wrapped,
    kill() {
      killed = true;
      // The queue stops handing work to this engine; what runs now fails on storage and comes back.
      void running?.stop();
    },
  };
}

/** One engine on the shared storage: its context, its events, and a way to kill it. */
export type TestEngine = {
  readonly ctx: EngineCore;
  readonly events: SyncEvent[];
  readonly client: FortnoxClient;
  stop(): Promise<void>;
  /** Like `kill -9`: from now on it sends nothing and writes nothing. */
  kill(): void;
};

export type Harness = {
  readonly sample: SampleSource;
  readonly emulator: FortnoxEmulatorCore;
  readonly server: EmulatorServer;
  readonly storage: SyncStorage;
  readonly host: SampleHost;
  /** A new engine on the same storage, emulator and host. */
  startEngine(options?: EngineOptions): TestEngine;
  /** Emulator requests since the last `mark()`, counted by method (and 429s). */
  requestsSince(mark: number): {
    GET: number;
    POST: number;
    PUT: number;
    DELETE: number;
    429: number;
  };
  mark(): number;
  close(): Promise<void>;
};

/** Options of {@link Harness.startEngine}. */
export type EngineOptions = {
  readonly companyMatch?: 'update-existing' | 'ask';
  /** Called after each POST this engine sent got its answer, before the engine sees it. */
  readonly afterPost?: (count: number, engine: TestEngine) => void;
};

export const RATE = { limit: 250, windowMs: 5_000 } as const;

export async function startHarness(options: SampleSourceOptions): Promise<Harness> {
  const sample = generateSampleSource(options);
  const emulator = createEmulatorCore({
    rateLimit: { ...RATE },
    staticTokens: { [TOKEN]: TENANT },
  });
  seedSampleFortnox(emulator.tenant(TENANT), sample);
  const server = await emulator.listen();
  const storage = createMemoryStorage();
  await storage.tenants.put({
    tenantId: TENANT,
    connection: 'connected',
    reason: null,
    updatedAt: Date.now(),
  });
  const host = createSampleHost(sample.sourceCustomers);
  const engines: TestEngine[] = [];

  const startEngine = ({ afterPost, ...engineOptions }: EngineOptions = {}) => {
    const { storage: guarded, kill } = killable(storage);
    let dead = false;
    let posts = 0;
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: TOKEN, tenantId: TENANT },
      apiBaseUrl: server.url,
      rateLimit: { ...RATE },
      fetch: async (input, init) => {
        if (dead) throw new TypeError('process killed');
        const response = await fetch(input, init);
        const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
        if (method.toUpperCase() === 'POST') afterPost?.(++posts, engine);
        if (dead) throw new TypeError('process killed');
        return response;
      },
    });
    const events: SyncEvent[] = [];
    const ctx = createEngineCore({
      storage: guarded,
      clients: () => client,
      source: host,
      onEvent: (event) => events.push(event),
      backoff: { initialMs: 50, maxMs: 500 },
      // A killed engine's creates are taken over by a new one: their POSTs went to the emulator in
      // this process (answered in milliseconds), so a second is ample and keeps the resume quick.
      createSettleMs: 1_000,
      ...engineOptions,
    });
    const running = guarded.queue.start((item) => processEntry(ctx, item), { concurrency: 16 });
    const engine: TestEngine = {
      ctx,
      events,
      client,
      stop: () => running.stop(),
      kill() {
        dead = true;
        kill();
      },
    };
    engines.push(engine);
    return engine;
  };

  const requestsSince = (mark: number) => {
    const counts = { GET: 0, POST: 0, PUT: 0, DELETE: 0, 429: 0 };
    for (const entry of emulator.requests().slice(mark)) {
      if (entry.status === 429) counts[429] += 1;
      else if (entry.method in counts) counts[entry.method as 'GET'] += 1;
    }
    return counts;
  };

  return {
    sample,
    emulator,
    server,
    storage,
    host,
    startEngine,
    requestsSince,
    mark: () => emulator.requests().length,
    async close() {
      for (const engine of engines) engine.kill();
      await server.close();
      await storage.close();
    },
  };
}

/** Fortnox customers per ExternalReference (the source id), for "nothing doubled". */
export function customersByReference(emulator: FortnoxEmulatorCore): Map<string, string[]> {
  const byReference = new Map<string, string[]>();
  for (const customer of emulator.tenant(TENANT).customers()) {
    const reference = customer.ExternalReference;
    if (typeof reference !== 'string' || reference === '') continue;
    byReference.set(reference, [
      ...(byReference.get(reference) ?? []),
      customer.CustomerNumber as string,
    ]);
  }
  return byReference;
}
