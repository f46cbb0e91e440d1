import type { ResultAsync } from 'neverthrow';
import type { FortnoxClient } from '../client/index.js';
import type { DuplicateResolver } from '../duplicates/index.js';
import type { SourceCustomer } from '../mapping/index.js';
import type {
  ConnectionState,
  DecisionResolution,
  StoredCandidate,
  StoredError,
  SyncStorage,
} from '../storage/sync-storage.js';
import type {
  InitialSyncPlan,
  InitialSyncProgress,
  InitialSyncProgressOptions,
  InitialSyncReport,
  PlanWarning,
} from './initial-sync-types.js';

export type {
  InitialSyncCustomerProgress,
  InitialSyncInventoryProgress,
  InitialSyncPlan,
  InitialSyncProgress,
  InitialSyncProgressOptions,
  InitialSyncReport,
  PlanAction,
  PlanWarning,
} from './initial-sync-types.js';

/** Someone acting on the integration (a user of the host application). */
export type SyncActor = {
  /** The host's user id (stored with settled decisions; never sent to Fortnox). */
  readonly id: string;
  /** The host's roles for that user; the default policy lets `'admin'` connect and disconnect. */
  readonly roles: readonly string[];
};

/** What an actor may want to do. */
export type SyncAction = 'connect' | 'disconnect' | 'resolve-decision' | 'initial-sync';

/** The host's access policy: may `actor` do `action` for `tenantId`? Default: admins connect/disconnect, anyone else may resolve decisions and run syncs. */
export type AuthorizeFunction = (
  actor: SyncActor,
  action: SyncAction,
  tenantId: string,
) => boolean | Promise<boolean>;

/**
 * The host application's side: its customers. The engine reads them for the initial sync and tells the
 * host what it learned. Methods return plain values or `Promise`s; the engine wraps them.
 */
export type SyncSource = {
  /** Every source customer of a tenant, for the initial sync (streamed; any order). */
  list(tenantId: string): AsyncIterable<SourceCustomer> | Iterable<SourceCustomer>;
  /** One source customer as it is now (drift checks compare Fortnox with it); `undefined` if gone. */
  get?(
    tenantId: string,
    sourceId: string,
  ): Promise<SourceCustomer | undefined> | SourceCustomer | undefined;
  /** A source customer is now linked to a Fortnox customer number (store it, show it). */
  linked?(tenantId: string, sourceId: string, customerNumber: string): Promise<void> | void;
  /**
   * Fortnox held more complete data for a linked customer: these source fields should take Fortnox's
   * values (only fields the source had empty).
   */
  update?(tenantId: string, sourceId: string, patch: Partial<SourceCustomer>): Promise<void> | void;
};

/** What became of a save, as far as it is known when `customerSaved` resolves. */
export type SaveOutcome =
  | { readonly status: 'synced'; readonly customerNumber: string }
  | {
      readonly status: 'pending';
      readonly reason: SaveWaitReason;
      readonly lastError: StoredError | null;
    }
  | { readonly status: 'failed'; readonly error: StoredError }
  | { readonly status: 'needs-decision'; readonly candidates: readonly StoredCandidate[] }
  /**
   * A delete went through: the Fortnox customer was deactivated (`onDelete: 'deactivate'`) or deleted,
   * or there was nothing to send (`customerNumber: null`, the customer was never linked).
   */
  | { readonly status: 'deleted'; readonly customerNumber: string | null };

/** Why a save is still pending: offline/retrying, tenant paused, or it took longer than the wait. */
export type SaveWaitReason = 'retrying' | 'paused' | 'timeout';

/** A customer's sync status. */
export type CustomerSyncState = 'synced' | 'pending' | 'failed' | 'needs-decision' | 'paused';

/** `status(tenantId, sourceId)`. */
export type CustomerStatus = {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly state: CustomerSyncState;
  /** Known once linked. */
  readonly customerNumber: string | null;
  readonly lastError: StoredError | null;
  /** Pending decision candidates (for `needs-decision`). */
  readonly candidates: readonly StoredCandidate[];
};

/** `summary(tenantId)`: counts for a dashboard. */
export type SyncSummary = {
  readonly tenantId: string;
  readonly connection: ConnectionState;
  readonly linked: number;
  readonly pending: number;
  readonly failed: number;
  readonly needsDecision: number;
};

/** An owned field changed directly in Fortnox. */
export type DriftEntry = {
  readonly sourceId: string;
  readonly customerNumber: string;
  /** Fortnox field names whose value differs from the source. */
  readonly fields: readonly string[];
};

/** A group of Fortnox customers that are likely the same, with the one to keep. */
export type DuplicateAuditGroup = {
  readonly customerNumbers: readonly string[];
  /** The member that came from the source (linked), the one to keep (customers should be created in the source); `null` if none is. */
  readonly keep: string | null;
  /** Source id of each linked member. */
  readonly linkedSourceIds: Readonly<Record<string, string>>;
};

/** Events, for UIs and telemetry. None carries personal data: ids, numbers, counts and error kinds only. */
export type SyncEvent =
  | {
      readonly type: 'enqueued';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly operation: 'upsert' | 'delete';
    }
  | {
      readonly type: 'pushed';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly request: 'create' | 'update';
    }
  | {
      readonly type: 'created';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly customerNumber: string;
    }
  | {
      readonly type: 'linked';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly customerNumber: string;
      readonly origin: 'matched' | 'decided' | 'reconciled';
    }
  | {
      readonly type: 'updated';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly customerNumber: string;
      readonly fields: readonly string[];
    }
  | {
      /** The linked Fortnox customer is gone (deleted in Fortnox): the link was dropped, the save creates it again. */
      readonly type: 'unlinked';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly customerNumber: string;
    }
  | {
      readonly type: 'retrying';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly errorKind: string;
    }
  | {
      readonly type: 'failed';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly error: StoredError;
    }
  | {
      readonly type: 'decision-needed';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly candidates: number;
    }
  | { readonly type: 'decision-resolved'; readonly tenantId: string; readonly sourceId: string }
  | {
      readonly type: 'paused';
      readonly tenantId: string;
      readonly connection: ConnectionState;
      readonly reason: StoredError | null;
    }
  | { readonly type: 'resumed'; readonly tenantId: string }
  | {
      /**
       * The host's `source.linked` or `source.update` threw. The sync stands (the link is stored and
       * `status()` tells the customer number); `errorName` is the thrown error's `name`, never its message.
       */
      readonly type: 'host-callback-failed';
      readonly tenantId: string;
      readonly sourceId: string;
      readonly callback: 'linked' | 'update';
      readonly errorName: string;
    }
  | { readonly type: 'progress'; readonly progress: InitialSyncProgress }
  | { readonly type: 'plan-warning'; readonly tenantId: string; readonly warning: PlanWarning };

/** Kinds of {@link SyncError}. */
export type SyncErrorKind =
  | 'invalid-input'
  | 'forbidden'
  | 'storage'
  | 'fortnox'
  | 'not-found'
  | 'aborted'
  | 'no-source'
  | 'client-factory';

/** Options of `createSyncEngine`; only `storage` and `clients` are required. */
export type SyncEngineOptions = {
  readonly storage: SyncStorage;
  /** The Fortnox client of a tenant (the host builds it with its token store). Called once per tenant and cached. */
  readonly clients: (tenantId: string) => FortnoxClient | Promise<FortnoxClient>;
  /** The host's customers (needed for the initial sync and drift checks). */
  readonly source?: SyncSource;
  /** @defaultValue `createDuplicateResolver()` */
  readonly resolver?: DuplicateResolver;
  /** @defaultValue admins connect/disconnect; everyone may resolve decisions and run syncs */
  readonly authorize?: AuthorizeFunction;
  /** Same organisation number: write the source's more complete data (`update-existing`), or ask a person. @defaultValue 'update-existing' */
  readonly companyMatch?: 'update-existing' | 'ask';
  /** A delete in the source: deactivate the Fortnox customer (`Active=false`) or delete it for good. @defaultValue 'deactivate' */
  readonly onDelete?: 'deactivate' | 'delete';
  /** How long `customerSaved` waits for an outcome before answering `pending`. @defaultValue 10_000 */
  readonly saveTimeoutMs?: number;
  /**
   * Work items handled at once across tenants (the queue's handlers). An item over its tenant's
   * `tenantConcurrency` waits in its handler while one stays free for other work, so with a backlog
   * more handlers than `tenants × tenantConcurrency` save storage round trips (README, "Many tenants").
   * @defaultValue 32
   */
  readonly concurrency?: number;
  /**
   * Work items of one tenant handled at once (in this process), so that one tenant's backlog (an
   * initial sync, a bulk import) cannot take every `concurrency` slot while its requests wait in that
   * tenant's rate limiter. An item over the cap waits in its handler (parked: the tenant's next free
   * slot passes to it) while a handler stays free for other work; otherwise it gives its handler back
   * and is offered again when it can run or park. The default follows Fortnox's limit of 25 requests per 5 s per tenant:
   * 5 a second, so 5 items in flight keep a tenant's whole budget busy while a request takes under a
   * second, and more would only wait in its limiter holding slots other tenants could use. Scale it
   * with a client's limit (e.g. 50 for 250 per 5 s), and raise it when answers take over a second.
   * Each worker process applies its own cap.
   * @defaultValue 5
   */
  readonly tenantConcurrency?: number;
  /** Backoff of transient errors: first delay and cap. @defaultValue { initialMs: 1_000, maxMs: 300_000 } */
  /**
   * How long a customer's create (POST) may still land in Fortnox after it was attempted, when this
   * process did not see its answer: the item was taken over from another worker process whose lease
   * ran out while it stalled (event loop, GC, VM pause), or this process restarted. Until then the
   * engine neither looks the customer up (it would not find one still being created) nor POSTs again
   * (that would make a duplicate): it defers the item to `createSettleMs` after the attempt (storage's
   * `createAttemptedAt`; saving the customer again meanwhile does not restart the wait). A create
   * whose POST this process saw settle (an answer, an error, the client's timeout) is looked up at
   * once. The default is the client's default per-attempt timeout (30 s; the client aborts a POST
   * after it) plus 15 s, since Fortnox may still finish a request it received a few seconds after the
   * client gave up. Raise it with the client's `timeoutMs`, or when your clients' requests can wait
   * long in a rate limiter shared across processes (the window starts before that wait).
   * @defaultValue 45_000
   */
  readonly createSettleMs?: number;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Receives every {@link SyncEvent}. */
  readonly onEvent?: (event: SyncEvent) => void;
  /** Start delivering queued work at once. @defaultValue true */
  readonly autoStart?: boolean;
  /** @defaultValue Date.now */
  readonly now?: () => number;
};

/** Options of `SyncEngine.waitForOutcome`. */
export type WaitForOutcomeOptions = {
  /** How long to wait before answering `pending`. @defaultValue the engine's `saveTimeoutMs` */
  readonly timeoutMs?: number;
  /** How often storage is looked at for a delivery by another process. @defaultValue 250 */
  readonly pollIntervalMs?: number;
};

/** The sync engine: one for many tenants; every call names the tenant. */
export type SyncEngine = {
  /** A source customer was created or changed: queue it and push it at once. */
  customerSaved(tenantId: string, customer: SourceCustomer): ResultAsync<SaveOutcome, SyncError>;
  /** A source customer was deleted: deactivate (default) or delete it in Fortnox. */
  customerDeleted(tenantId: string, sourceId: string): ResultAsync<SaveOutcome, SyncError>;
  /**
   * What became of the customer's queued change: for a change the host queued itself, e.g. with
   * `enqueueCustomerSaved` from `fortnox-sync/postgres` inside its own transaction (call it after the
   * COMMIT). Answers as `customerSaved` does: `synced` with the customer number, `deleted`, `failed`,
   * `needs-decision`, or `pending` (`paused`; `retrying`/`timeout` when the wait ends first). It
   * resolves at once when this engine's worker delivers the change; when a worker in another process
   * does, it sees it in storage (looked at every `pollIntervalMs`). With nothing queued it answers
   * from the link: `synced` with its number, or `deleted` (no number) when there is none.
   */
  waitForOutcome(
    tenantId: string,
    sourceId: string,
    options?: WaitForOutcomeOptions,
  ): ResultAsync<SaveOutcome, SyncError>;
  /** Settles a pending duplicate decision. */
  resolveDecision(
    tenantId: string,
    sourceId: string,
    resolution: DecisionResolution,
    actor: SyncActor,
  ): ResultAsync<SaveOutcome, SyncError>;
  /** Pending decisions of a tenant. */
  decisions(tenantId: string): ResultAsync<readonly CustomerStatus[], SyncError>;
  connect(tenantId: string, actor: SyncActor): ResultAsync<void, SyncError>;
  disconnect(tenantId: string, actor: SyncActor): ResultAsync<void, SyncError>;
  status(tenantId: string, sourceId: string): ResultAsync<CustomerStatus, SyncError>;
  summary(tenantId: string): ResultAsync<SyncSummary, SyncError>;
  /**
   * The initial sync as a dry run (writes nothing). `onProgress` hears the inventory's pages
   * (phase `inventory`); `signal` aborts it (`aborted`).
   */
  planInitialSync(
    tenantId: string,
    options?: InitialSyncProgressOptions,
  ): ResultAsync<InitialSyncPlan, SyncError>;
  /**
   * Runs the initial sync. `onProgress` hears every phase (see {@link InitialSyncProgress}), never
   * after the result has settled; `signal` aborts it (`aborted`, resumable).
   */
  runInitialSync(
    tenantId: string,
    options?: InitialSyncProgressOptions & { readonly actor?: SyncActor },
  ): ResultAsync<InitialSyncReport, SyncError>;
  checkDrift(tenantId: string): ResultAsync<readonly DriftEntry[], SyncError>;
  auditDuplicates(tenantId: string): ResultAsync<readonly DuplicateAuditGroup[], SyncError>;
  /** Starts delivering queued work (called by `createSyncEngine` unless `autoStart: false`). */
  start(): void;
  /** Stops delivering; in-flight work finishes. */
  stop(): Promise<void>;
};

/** An engine error: an `Error` discriminated by `kind`, with words for a person. */
export type SyncError = Error & {
  readonly kind: SyncErrorKind;
  readonly userMessage: { readonly sv: string; readonly en: string };
  readonly cause?: unknown;
};
