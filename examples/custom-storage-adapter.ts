/**
 * A storage adapter of your own: the whole `SyncStorage` contract on top of a plain key-value store
 * (strings in, strings out, each call atomic), such as an embedded KV database your host already has.
 * It passes the conformance suite (`describeSyncStorage` from `fortnox-sync/testing/storage-suite`;
 * see test/examples/custom-storage-adapter.test.ts), which is how you know an adapter is right.
 *
 * The KV store here is a `Map` in memory, so this adapter is not durable (the suite runs it with
 * `durable: false`). Over a durable KV store, the queue below would also need to take over the items of
 * a process that died (a lease) and be shared between processes; see the SQLite adapter for that.
 *
 *   npx tsx examples/custom-storage-adapter.ts
 *     syncs two customers to an emulator it starts itself, with this adapter under the engine.
 */
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CheckpointStore,
  type CustomerLink,
  createFortnoxClient,
  createSyncEngine,
  type DecisionRecord,
  type DecisionStore,
  type EpochMs,
  type LinkStore,
  type OutboxEntry,
  type OutboxState,
  type OutboxStore,
  readWorkDeferral,
  StorageError,
  type SyncStorage,
  type TenantRecord,
  type TenantStore,
  type WorkHandler,
  type WorkItem,
  type WorkQueue,
} from 'fortnox-sync';
import { createEmulatorCore } from 'fortnox-sync/testing';

/** The key-value store the adapter is written against: every call is atomic on its own. */
export type KeyValueStore = {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): boolean;
  /** Every key starting with `prefix`, in key order. */
  keys(prefix: string): string[];
};

/** A `KeyValueStore` over a `Map` (for the example and tests). */
export function createMapKeyValueStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    delete: (key) => map.delete(key),
    keys: (prefix) => [...map.keys()].filter((key) => key.startsWith(prefix)).sort(),
  };
}

/** Options of {@link createKeyValueStorage}. */
export type KeyValueStorageOptions = {
  /** How often the queue looks for due work. @defaultValue 20 */
  readonly pollIntervalMs?: number;
  /** First back-off after a handler threw (doubled per failure, capped at a minute). @defaultValue 200 */
  readonly retryMs?: number;
};

// Keys are `kind/tenant/source` with both ids URI-encoded, so no id can break the layout.
const key = (kind: string, tenantId: string, sourceId = ''): string =>
  `${kind}/${encodeURIComponent(tenantId)}/${encodeURIComponent(sourceId)}`;
const prefix = (kind: string, tenantId: string): string =>
  `${kind}/${encodeURIComponent(tenantId)}/`;

/**
 * A `SyncStorage` on a {@link KeyValueStore}. Every method runs synchronously against the store
 * before it returns its promise, so each one is a single atomic step (the contract asks nothing more).
 */
export function createKeyValueStorage(
  kv: KeyValueStore,
  options: KeyValueStorageOptions = {},
): SyncStorage {
  const read = <T>(k: string): T | undefined => {
    const json = kv.get(k);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  };
  const write = (k: string, value: unknown): void => kv.set(k, JSON.stringify(value));
  const all = <T>(p: string): T[] => kv.keys(p).map((k) => read<T>(k) as T);

  const tenants: TenantStore = {
    get: async (tenantId) => read<TenantRecord>(key('tenant', tenantId)),
    put: async (record) => write(key('tenant', record.tenantId), record),
    list: async () => all<TenantRecord>('tenant/'),
  };

  const putLink = (link: CustomerLink): void => {
    // One Fortnox customer is one source customer: refuse, before writing anything, a number another holds.
    const holder = kv.get(key('link-by-number', link.tenantId, link.customerNumber));
    if (holder !== undefined && holder !== link.sourceId) {
      throw new StorageError(
        'link-conflict',
        'Another source customer of the tenant is already linked to this Fortnox customer number',
        { store: 'links' },
      );
    }
    const old = read<CustomerLink>(key('link', link.tenantId, link.sourceId));
    if (old !== undefined) kv.delete(key('link-by-number', link.tenantId, old.customerNumber));
    write(key('link', link.tenantId, link.sourceId), link);
    kv.set(key('link-by-number', link.tenantId, link.customerNumber), link.sourceId);
  };
  const links: LinkStore = {
    get: async (tenantId, sourceId) => read<CustomerLink>(key('link', tenantId, sourceId)),
    async getByCustomerNumber(tenantId, customerNumber) {
      const sourceId = kv.get(key('link-by-number', tenantId, customerNumber));
      return sourceId === undefined ? undefined : read(key('link', tenantId, sourceId));
    },
    put: async (link) => putLink(link),
    async delete(tenantId, sourceId) {
      const old = read<CustomerLink>(key('link', tenantId, sourceId));
      if (old === undefined) return false;
      kv.delete(key('link-by-number', tenantId, old.customerNumber));
      return kv.delete(key('link', tenantId, sourceId));
    },
    list: async (tenantId) =>
      all<CustomerLink>(prefix('link', tenantId)).sort((a, b) =>
        a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0,
      ),
    count: async (tenantId) => kv.keys(prefix('link', tenantId)).length,
  };

  // A counter per customer that outlives its entry: a version is never used twice.
  const nextVersion = (tenantId: string, sourceId: string): number => {
    const version = Number(kv.get(key('version', tenantId, sourceId)) ?? '0') + 1;
    kv.set(key('version', tenantId, sourceId), String(version));
    return version;
  };
  // A global sequence keeps "oldest first" stable when two entries share a millisecond.
  const nextSequence = (): number => {
    const sequence = Number(kv.get('sequence') ?? '0') + 1;
    kv.set('sequence', String(sequence));
    return sequence;
  };
  type StoredEntry = OutboxEntry & { readonly sequence: number };
  const withoutSequence = ({ sequence: _, ...entry }: StoredEntry): OutboxEntry => entry;

  const outbox: OutboxStore = {
    async enqueue(tenantId, sourceId, change, now) {
      const k = key('outbox', tenantId, sourceId);
      const old = read<StoredEntry>(k);
      const entry: StoredEntry = {
        tenantId,
        sourceId,
        operation: change.operation,
        customer: change.customer ?? null,
        version: nextVersion(tenantId, sourceId),
        state: 'pending',
        attempts: 0,
        notBefore: now,
        createAttempted: old?.createAttempted ?? false,
        createAttemptedAt: old?.createAttemptedAt ?? null,
        lastError: null,
        skipMatching:
          change.operation === 'upsert' && change.skipMatching !== undefined
            ? change.skipMatching
            : (old?.skipMatching ?? false),
        enqueuedAt: old?.enqueuedAt ?? now,
        updatedAt: now,
        sequence: old?.sequence ?? nextSequence(),
      };
      write(k, entry);
      return withoutSequence(read<StoredEntry>(k) as StoredEntry);
    },
    async get(tenantId, sourceId) {
      const entry = read<StoredEntry>(key('outbox', tenantId, sourceId));
      return entry === undefined ? undefined : withoutSequence(entry);
    },
    async update(tenantId, sourceId, version, patch, now) {
      const k = key('outbox', tenantId, sourceId);
      const entry = read<StoredEntry>(k);
      if (entry === undefined) return false;
      if (entry.version !== version) {
        // A POST that may have reached Fortnox is never forgotten, whatever the version;
        // `createAttemptedAt` says when it was sent (the engine waits `createSettleMs` from it before
        // it looks it up, however often the customer is saved meanwhile).
        if (patch.createAttempted === true) {
          write(k, { ...entry, createAttempted: true, createAttemptedAt: now, updatedAt: now });
        }
        return false;
      }
      const defined = Object.fromEntries(
        Object.entries(patch).filter(([, value]) => value !== undefined),
      );
      // Writing createAttempted writes its moment: a new attempt for true, none for false.
      const attempted =
        patch.createAttempted === undefined
          ? {}
          : { createAttemptedAt: patch.createAttempted ? now : null };
      write(k, { ...entry, ...defined, ...attempted, updatedAt: now });
      return true;
    },
    async complete(tenantId, sourceId, version, link, now) {
      if (link !== null && (link.tenantId !== tenantId || link.sourceId !== sourceId)) {
        throw new Error('complete: the link belongs to another customer');
      }
      const k = key('outbox', tenantId, sourceId);
      const entry = read<StoredEntry>(k);
      if (link !== null) putLink(link);
      if (entry === undefined) return 'done';
      if (entry.version === version) {
        kv.delete(k);
        return 'done';
      }
      const cleared =
        link === null
          ? {}
          : { createAttempted: false, createAttemptedAt: null, skipMatching: false };
      write(k, { ...entry, ...cleared, state: 'pending', notBefore: now, updatedAt: now });
      return 'superseded';
    },
    remove: async (tenantId, sourceId) => kv.delete(key('outbox', tenantId, sourceId)),
    async list(tenantId, filter) {
      return all<StoredEntry>(prefix('outbox', tenantId))
        .filter((entry) => filter?.state === undefined || entry.state === filter.state)
        .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.sequence - b.sequence)
        .map(withoutSequence);
    },
    async countByState(tenantId) {
      const counts: Record<OutboxState, number> = { pending: 0, failed: 0, 'needs-decision': 0 };
      for (const entry of all<StoredEntry>(prefix('outbox', tenantId))) counts[entry.state] += 1;
      return counts;
    },
  };

  type StoredDecision = DecisionRecord & { readonly sequence: number };
  const withoutDecisionSequence = ({ sequence: _, ...record }: StoredDecision): DecisionRecord =>
    record;
  const decisions: DecisionStore = {
    async get(tenantId, sourceId) {
      const record = read<StoredDecision>(key('decision', tenantId, sourceId));
      return record === undefined ? undefined : withoutDecisionSequence(record);
    },
    async ask(question) {
      const k = key('decision', question.tenantId, question.sourceId);
      const old = read<StoredDecision>(k);
      if (old !== undefined && old.resolution !== null) return withoutDecisionSequence(old);
      const record: StoredDecision = {
        ...question,
        askedAt: old?.askedAt ?? question.askedAt,
        resolution: null,
        resolvedAt: null,
        resolvedBy: null,
        sequence: old?.sequence ?? nextSequence(),
      };
      write(k, record);
      return withoutDecisionSequence(read<StoredDecision>(k) as StoredDecision);
    },
    async settle(tenantId, sourceId, resolution, resolvedBy, now) {
      const k = key('decision', tenantId, sourceId);
      const old = read<StoredDecision>(k);
      if (old === undefined) return undefined;
      if (old.resolution !== null) return withoutDecisionSequence(old);
      write(k, { ...old, resolution, resolvedAt: now, resolvedBy });
      return withoutDecisionSequence(read<StoredDecision>(k) as StoredDecision);
    },
    async list(tenantId, filter) {
      return all<StoredDecision>(prefix('decision', tenantId))
        .filter(
          (record) =>
            filter?.pending === undefined || (record.resolution === null) === filter.pending,
        )
        .sort((a, b) => a.askedAt - b.askedAt || a.sequence - b.sequence)
        .map(withoutDecisionSequence);
    },
  };

  const checkpoints: CheckpointStore = {
    get: async (tenantId, name) => read(key('checkpoint', tenantId, name)),
    async put(tenantId, name, value) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError(`checkpoint "${name}" is not JSON-serialisable`);
      kv.set(key('checkpoint', tenantId, name), json);
    },
    delete: async (tenantId, name) => void kv.delete(key('checkpoint', tenantId, name)),
  };

  const queue = createPollingQueue(kv, options);
  return {
    tenants,
    links,
    outbox,
    decisions,
    checkpoints,
    queue,
    close: () => queue.close(),
  };
}

/**
 * The work queue: due times live in the KV store (`queue/…` → `runAt`); a poller hands out due items
 * not already running. Scheduled again while running, an item's key is written anew and it runs again
 * after. A handler that throws gets its item back after a growing delay; one that defers it
 * (`{ deferUntil }`) gets it back at that time (or earlier, if it is scheduled earlier meanwhile).
 */
function createPollingQueue(
  kv: KeyValueStore,
  options: KeyValueStorageOptions,
): WorkQueue & { close(): Promise<void> } {
  const pollIntervalMs = options.pollIntervalMs ?? 20;
  const retryMs = options.retryMs ?? 200;
  const running = new Map<string, Promise<void>>();
  const failures = new Map<string, number>();
  const workers = new Set<{ stop(): Promise<void> }>();

  const schedule = async (item: WorkItem, runAt: EpochMs = Date.now()): Promise<void> => {
    const k = key('queue', item.tenantId, item.sourceId);
    const earlier = kv.get(k);
    if (earlier === undefined || runAt < Number(JSON.parse(earlier).runAt)) {
      write(k, { item, runAt });
    }
  };
  const write = (k: string, value: unknown): void => kv.set(k, JSON.stringify(value));

  const start = (handler: WorkHandler, { concurrency }: { concurrency: number }) => {
    let stopped = false;
    const mine = new Set<Promise<void>>();
    const poll = (): void => {
      if (stopped) return;
      const now = Date.now();
      for (const k of kv.keys('queue/')) {
        if (running.size >= concurrency) break;
        if (running.has(k)) continue;
        const { item, runAt } = JSON.parse(kv.get(k) as string) as {
          item: WorkItem;
          runAt: number;
        };
        if (runAt > now) continue;
        kv.delete(k); // taken; a schedule from now on writes it again and it runs again after
        const run = (async () => {
          try {
            // Deferred ({ deferUntil }): due again then, neither a failure nor done.
            const deferUntil = readWorkDeferral(await handler(item));
            if (deferUntil === null) failures.delete(k);
            else await schedule(item, deferUntil);
          } catch {
            const failed = (failures.get(k) ?? 0) + 1;
            failures.set(k, failed);
            await schedule(item, Date.now() + Math.min(retryMs * 2 ** (failed - 1), 60_000));
          }
        })().finally(() => {
          running.delete(k);
          mine.delete(run);
        });
        running.set(k, run);
        mine.add(run);
      }
    };
    const timer = setInterval(poll, pollIntervalMs);
    queueMicrotask(poll);
    const worker = {
      async stop() {
        stopped = true;
        clearInterval(timer);
        workers.delete(worker);
        await Promise.allSettled([...mine]);
      },
    };
    workers.add(worker);
    return worker;
  };

  return {
    schedule,
    start,
    async close() {
      await Promise.all([...workers].map((worker) => worker.stop()));
    },
  };
}

async function main(): Promise<void> {
  const emulator = createEmulatorCore();
  const server = await emulator.listen({ port: 0 });
  const tenantId = emulator.tenant().tenantId;
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
    apiBaseUrl: server.url,
  });
  const kv = createMapKeyValueStore();
  const storage = createKeyValueStorage(kv);
  const engine = createSyncEngine({ storage, clients: () => client });
  try {
    (await engine.connect(tenantId, { id: 'example', roles: ['admin'] }))._unsafeUnwrap();
    for (const [id, name] of [
      ['kv-1', 'Verkstaden i Lund AB'],
      ['kv-2', 'Bageriet Norrland AB'],
    ] as const) {
      const outcome = (
        await engine.customerSaved(tenantId, { id, type: 'company', name, active: true })
      )._unsafeUnwrap();
      console.log(
        `${id}: ${outcome.status}${outcome.status === 'synced' ? ` as ${outcome.customerNumber}` : ''}`,
      );
    }
    console.log(`keys in the KV store: ${kv.keys('').join(', ')}`);
  } finally {
    await engine.stop();
    await storage.close();
    await server.close();
  }
}

// Run main only when this file is the entry point (works from any path, spaces included).
if (isEntryPoint(import.meta.url)) await main();

/** Whether this module is the script node was started with (paths with spaces and symlinks included). */
function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = realpathSync(fileURLToPath(moduleUrl));
  // `npx tsx examples/<name>` may leave out the extension, as tsx allows.
  return [script, `${script}.ts`].some((file) => existsSync(file) && realpathSync(file) === self);
}
