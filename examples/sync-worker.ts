/**
 * A standalone sync worker: a process of its own that delivers the outbox to Fortnox. Your web
 * process calls `engine.customerSaved(...)` on the same SQLite file (and answers its user at once or
 * after a short wait); this worker picks the queued work up, pushes it within Fortnox's rate limit,
 * retries what failed for a passing reason, and stops cleanly on SIGINT/SIGTERM without losing a change.
 *
 *   npx tsx examples/sync-worker.ts
 *     starts the emulator, queues three customers as a web process would, then runs the worker until
 *     the outbox is empty and prints the summary.
 *   FORTNOX_API_URL=http://127.0.0.1:4010 FORTNOX_ACCESS_TOKEN=<token> FORTNOX_TENANT_ID=1000001 \
 *     FORTNOX_SYNC_DB=./fortnox-sync.db npx tsx examples/sync-worker.ts
 *     runs as a long-lived worker on that database until Ctrl-C.
 */
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFortnoxClient,
  createSyncEngine,
  type FortnoxClient,
  type SyncEngine,
  type SyncEvent,
} from 'fortnox-sync';
import { createSqliteStorage } from 'fortnox-sync/sqlite';
import { createEmulatorCore } from 'fortnox-sync/testing';

/** What the worker needs: where the outbox lives and how to reach each tenant's Fortnox. */
export type WorkerOptions = {
  /** The SQLite file shared with the web process. */
  readonly databasePath: string;
  /** The Fortnox client of a tenant (built with your token store in production). */
  readonly clients: (tenantId: string) => FortnoxClient;
  /** Receives every event (ids, numbers and counts only: no personal data). */
  readonly onEvent?: (event: SyncEvent) => void;
};

/** A running worker. */
export type Worker = {
  readonly engine: SyncEngine;
  /** Stops taking work, lets running deliveries finish, closes the database. */
  stop(): Promise<void>;
};

/** Starts delivering every tenant's queued work. */
export function startWorker(options: WorkerOptions): Worker {
  const storage = createSqliteStorage({ path: options.databasePath });
  const engine = createSyncEngine({
    storage,
    clients: options.clients,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  return {
    engine,
    async stop() {
      await engine.stop();
      await storage.close();
    },
  };
}

/** Resolves once a tenant has nothing left to deliver (nothing pending). */
export async function waitUntilDelivered(
  engine: SyncEngine,
  tenantId: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const summary = await engine.summary(tenantId);
    if (summary.isErr()) throw summary.error;
    if (summary.value.pending === 0) return;
    if (Date.now() > deadline) throw new Error(`still ${summary.value.pending} pending`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ADMIN = { id: 'worker-example', roles: ['admin'] };

async function main(): Promise<void> {
  const given = process.env.FORTNOX_API_URL;
  if (given !== undefined) {
    // Long-lived worker on an existing database.
    const tenantId = process.env.FORTNOX_TENANT_ID ?? '1000001';
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: process.env.FORTNOX_ACCESS_TOKEN ?? '' },
      apiBaseUrl: given,
    });
    const worker = startWorker({
      databasePath: process.env.FORTNOX_SYNC_DB ?? './fortnox-sync.db',
      clients: () => client,
      onEvent: (event) => console.log(JSON.stringify(event)),
    });
    (await worker.engine.connect(tenantId, ADMIN))._unsafeUnwrap();
    console.log('worker running; Ctrl-C stops it (queued work is kept)');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await worker.stop();
    return;
  }

  // Self-contained run: an emulator, a web process that only queues, and the worker.
  const emulator = createEmulatorCore();
  const server = await emulator.listen({ port: 0 });
  const tenantId = emulator.tenant().tenantId;
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
    apiBaseUrl: server.url,
  });
  const directory = mkdtempSync(join(tmpdir(), 'fortnox-sync-worker-'));
  const databasePath = join(directory, 'sync.db');
  try {
    // The web process: its engine does not deliver (autoStart: false) and answers after 50 ms.
    const webStorage = createSqliteStorage({ path: databasePath });
    const web = createSyncEngine({
      storage: webStorage,
      clients: () => client,
      autoStart: false,
      saveTimeoutMs: 50,
    });
    (await web.connect(tenantId, ADMIN))._unsafeUnwrap();
    for (const [id, name, organisationNumber] of [
      ['shop-1', 'Verkstaden i Lund AB', '556036-0793'],
      ['shop-2', 'Bageriet Norrland AB', '556677-8899'],
      ['shop-3', 'Ekonomi & Revision HB', '969784-7524'],
    ] as const) {
      const outcome = await web.customerSaved(tenantId, {
        id,
        type: 'company',
        name,
        organisationNumber,
        active: true,
      });
      console.log(
        `web: saved ${id} → ${outcome.isOk() ? outcome.value.status : outcome.error.kind}`,
      );
    }
    await webStorage.close();

    // The worker process: delivers what the web process queued.
    const worker = startWorker({ databasePath, clients: () => client });
    await waitUntilDelivered(worker.engine, tenantId);
    const summary = (await worker.engine.summary(tenantId))._unsafeUnwrap();
    console.log(
      `worker: linked ${summary.linked}, pending ${summary.pending}, failed ${summary.failed}`,
    );
    for (const id of ['shop-1', 'shop-2', 'shop-3']) {
      const status = (await worker.engine.status(tenantId, id))._unsafeUnwrap();
      console.log(
        status.state === 'failed'
          ? `${id}: failed: ${status.lastError?.userMessage.en}`
          : `${id}: ${status.state} as customer ${status.customerNumber}`,
      );
    }
    await worker.stop();
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
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
