/**
 * What makes `fortnox-sync sync` repeatable on an edited file: after the initial sync, a linked
 * customer whose row changed since the last run is saved through the engine (save = sync, one PUT);
 * an unchanged row costs nothing. The CLI remembers a hash of each row it has seen synced (a
 * checkpoint in the same storage; hashes only, no customer data). Rows gone from the file are counted,
 * never deleted: a missing row is more often an export filter than a deletion.
 */
import { createHash } from 'node:crypto';
import type { SourceCustomer } from '../mapping/index.js';
import type { SyncStorage } from '../storage/sync-storage.js';
import type { SaveOutcome, SyncEngine } from '../sync/sync-engine-types.js';

/** Checkpoint key of the rows' hashes (per tenant). */
export const SOURCE_HASHES_CHECKPOINT = 'cli-source-hashes';

/** What pushing the changed rows did. */
export type PushedChanges = {
  /** Linked rows that changed since the last run and were saved. */
  readonly changed: number;
  /** Outcomes of those saves by status (`synced`, `failed`, `pending`, …). */
  readonly outcomes: Readonly<Partial<Record<SaveOutcome['status'], number>>>;
  /** Rows seen in an earlier run that the file no longer has (nothing is deleted). */
  readonly missing: number;
};

/** A stable hash of a row: keys sorted at every level, so the order in the file does not matter. */
export function hashSourceCustomer(customer: SourceCustomer): string {
  const stable = (value: unknown): unknown =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([, part]) => part !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([key, part]) => [key, stable(part)]),
        )
      : value;
  return createHash('sha256')
    .update(JSON.stringify(stable(customer)))
    .digest('base64url');
}

/** Saves every linked row that changed since the last run, then remembers the rows now synced. */
export async function pushChangedCustomers(
  engine: SyncEngine,
  storage: SyncStorage,
  tenantId: string,
  customers: readonly SourceCustomer[],
): Promise<PushedChanges> {
  const stored = (await storage.checkpoints.get(tenantId, SOURCE_HASHES_CHECKPOINT)) as
    | Record<string, string>
    | undefined;
  const previous = typeof stored === 'object' && stored !== null ? stored : {};
  const next: Record<string, string> = {};
  const outcomes: Partial<Record<SaveOutcome['status'], number>> = {};
  let changed = 0;
  for (const customer of customers) {
    const hash = hashSourceCustomer(customer);
    const link = await storage.links.get(tenantId, customer.id);
    if (link === undefined) continue;
    const before = previous[customer.id];
    if (before !== undefined && before !== hash) {
      changed += 1;
      const saved = await engine.customerSaved(tenantId, customer);
      const status = saved.isOk() ? saved.value.status : 'failed';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      // A row that did not go through keeps its old hash, so the next run saves it again.
      if (status !== 'synced') {
        next[customer.id] = before;
        continue;
      }
    }
    next[customer.id] = hash;
  }
  const inFile = new Set(customers.map((customer) => customer.id));
  const missing = Object.keys(previous).filter((id) => !inFile.has(id)).length;
  for (const id of Object.keys(previous)) if (!inFile.has(id)) next[id] = previous[id] as string;
  await storage.checkpoints.put(tenantId, SOURCE_HASHES_CHECKPOINT, next);
  return { changed, outcomes, missing };
}
