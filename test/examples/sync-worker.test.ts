import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, waitUntilDelivered } from '../../examples/sync-worker.js';
import { createFortnoxClient, createSyncEngine } from '../../src/index.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { createEmulatorCore, type EmulatorServer } from '../../src/testing/index.js';

const emulator = createEmulatorCore();
const tenantId = emulator.tenant().tenantId;
let server: EmulatorServer;
const directory = mkdtempSync(join(tmpdir(), 'fortnox-sync-worker-test-'));

beforeAll(async () => {
  server = await emulator.listen({ port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('examples/sync-worker.ts', () => {
  it('delivers what another process queued; a stopped worker leaves the rest queued for the next', async () => {
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
      apiBaseUrl: server.url,
    });
    const databasePath = join(directory, 'sync.db');
    const webStorage = createSqliteStorage({ path: databasePath });
    const web = createSyncEngine({
      storage: webStorage,
      clients: () => client,
      autoStart: false,
      saveTimeoutMs: 10,
    });
    (await web.connect(tenantId, { id: 'admin', roles: ['admin'] }))._unsafeUnwrap();
    const save = async (id: string) =>
      (
        await web.customerSaved(tenantId, {
          id,
          type: 'company',
          name: `Firma ${id} AB`,
          active: true,
        })
      )._unsafeUnwrap();
    expect((await save('a')).status).toBe('pending');
    expect((await save('b')).status).toBe('pending');
    expect(emulator.requests().filter((entry) => entry.method === 'POST')).toHaveLength(0);

    const first = startWorker({ databasePath, clients: () => client });
    await waitUntilDelivered(first.engine, tenantId);
    await first.stop();
    expect(emulator.tenant().customers()).toHaveLength(2);

    // Queued while no worker runs: kept in the database, delivered by the next worker.
    expect((await save('c')).status).toBe('pending');
    await webStorage.close();
    const second = startWorker({ databasePath, clients: () => client });
    await waitUntilDelivered(second.engine, tenantId);
    const summary = (await second.engine.summary(tenantId))._unsafeUnwrap();
    expect(summary).toMatchObject({ linked: 3, pending: 0, failed: 0 });
    await second.stop();
    expect(
      emulator
        .tenant()
        .customers()
        .map((customer) => customer.ExternalReference)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
  }, 60_000);
});
