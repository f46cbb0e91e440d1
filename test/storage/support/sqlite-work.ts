import { appendFileSync } from 'node:fs';
import type { SyncStorage, WorkHandler } from '../../../src/storage/sync-storage.js';

/** Settings a worker process gets through the environment (JSON in `SQLITE_WORKER`). */
export type WorkerSettings = {
  readonly path: string;
  readonly log: string;
  readonly leaseMs: number;
  readonly handleMs: number;
  readonly concurrency: number;
};

/**
 * The work every process does on an item: read its outbox entry, "deliver" it (a pause), complete it
 * with a link naming the process. Each step is a line in this process's log file.
 */
export function deliveryHandler(storage: SyncStorage, log: string, handleMs: number): WorkHandler {
  return async ({ tenantId, sourceId }) => {
    const entry = await storage.outbox.get(tenantId, sourceId);
    if (entry === undefined) return;
    appendFileSync(log, `start ${process.pid} ${tenantId}/${sourceId}\n`);
    await new Promise((resolve) => setTimeout(resolve, handleMs));
    const link = {
      tenantId,
      sourceId,
      customerNumber: `${process.pid}`,
      fingerprint: 'fp',
      origin: 'created' as const,
      syncedAt: Date.now(),
    };
    const result = await storage.outbox.complete(
      tenantId,
      sourceId,
      entry.version,
      link,
      Date.now(),
    );
    appendFileSync(log, `${result} ${process.pid} ${tenantId}/${sourceId}\n`);
  };
}

/** Parsed log lines: what each process did to which item. */
export function readLogLines(text: string): { step: string; pid: string; item: string }[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [step = '', pid = '', item = ''] = line.split(' ');
      return { step, pid, item };
    });
}
