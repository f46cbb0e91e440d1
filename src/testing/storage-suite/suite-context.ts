import type { SourceCustomer } from '../../mapping/source-customer-shape.js';
import type { CustomerLink, StoredError, SyncStorage } from '../../storage/sync-storage.js';

/** What a factory gets: the same `key` must open the same data (for a durable adapter). */
export type SyncStorageFactoryContext = {
  /** Unique per test; a durable adapter derives its file, schema or prefix from it. */
  readonly key: string;
};

/** Opens a storage for a test. Called again with the same key, a durable adapter opens the same data. */
export type SyncStorageFactory = (
  context: SyncStorageFactoryContext,
) => SyncStorage | Promise<SyncStorage>;

/** A stored row the suite asks the adapter to damage behind its back. */
export type CorruptionTarget =
  | {
      readonly store: 'outbox' | 'links' | 'decisions';
      readonly tenantId: string;
      readonly sourceId: string;
    }
  | { readonly store: 'tenants'; readonly tenantId: string }
  | { readonly store: 'checkpoints'; readonly tenantId: string; readonly key: string };

/** Options of `describeSyncStorage`. */
export type DescribeSyncStorageOptions = {
  /**
   * The adapter keeps its data: the factory opens the same data again for the same key, and two
   * storages open on one key at once share it (like two processes on one database). Enables the
   * clauses on restart and on two instances at once.
   * @defaultValue false
   */
  readonly durable?: boolean;
  /**
   * Damages the stored row of `target` (e.g. invalid JSON or an unknown state in one column), without
   * going through the adapter. Enables the clauses "a damaged row is a `StorageError` `corrupt-row`".
   */
  readonly corrupt?: (
    context: SyncStorageFactoryContext,
    target: CorruptionTarget,
  ) => Promise<void> | void;
  /**
   * Everything the adapter has persisted for `key`, as text (e.g. the database file's bytes), read
   * after the storage is closed. Enables the clause "a delivered payload leaves no trace".
   */
  readonly rawContents?: (context: SyncStorageFactoryContext) => Promise<string> | string;
  /**
   * How long the queue clauses wait for an item to be handled (polling adapters need their interval).
   * @defaultValue 5000
   */
  readonly waitMs?: number;
};

/** The suite's handle on the adapter under test. */
export type SuiteContext = {
  /** Opens a storage on a fresh key (or on `key`); closed after the test. */
  open(key?: string): Promise<{ storage: SyncStorage; key: string }>;
  readonly options: Required<Pick<DescribeSyncStorageOptions, 'durable' | 'waitMs'>> &
    DescribeSyncStorageOptions;
};

let counter = 0;

/** A key no other test uses. */
export function freshKey(): string {
  counter += 1;
  return `t${Date.now().toString(36)}${process.pid.toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
}

/** A source customer with a recognisable name (for the "no trace" clause). */
export function sampleCustomer(id: string, name = `Sample ${id} AB`): SourceCustomer {
  return {
    id,
    type: 'company',
    name,
    email: `${id}@example.com`,
    phone: null,
    address: { street: 'Storgatan 1', postalCode: '11122', city: 'Stockholm', countryCode: 'SE' },
    organisationNumber: '556677-8899',
    active: true,
  };
}

/** A link of `(tenantId, sourceId)`. */
export function sampleLink(
  tenantId: string,
  sourceId: string,
  customerNumber: string,
  syncedAt = 1_000,
): CustomerLink {
  return {
    tenantId,
    sourceId,
    customerNumber,
    fingerprint: `fp-${customerNumber}`,
    origin: 'created',
    syncedAt,
  };
}

/** A stored error with every optional field. */
export const SAMPLE_ERROR: StoredError = {
  kind: 'api',
  code: '2000359',
  message: 'Fortnox refused a value',
  userMessage: { sv: 'Fortnox nekade ett värde', en: 'Fortnox refused a value' },
  field: 'Email',
};

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise with its resolve function outside. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Polls `condition` until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
