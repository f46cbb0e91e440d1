import type { SourceCustomer } from '../mapping/index.js';

/**
 * What the sync engine keeps. Small on purpose (plain `Promise`s, in the spirit of unstorage): the memory
 * adapter is the reference, `fortnox-sync/sqlite` and `fortnox-sync/postgres` are the durable ones, and
 * `describeSyncStorage` (in `fortnox-sync/testing/storage-suite`) is the conformance suite every
 * adapter runs.
 *
 * Data minimisation (only what billing needs is kept): storage holds links, fingerprints (hashes), decisions,
 * checkpoints and connection state. A source customer's data (the outbox payload) is held only until it
 * is delivered to Fortnox, then deleted with its outbox entry.
 *
 * Atomicity an adapter must give: every method is atomic on its own; {@link OutboxStore.complete} writes
 * the link and removes (or releases) the entry as one step; {@link OutboxStore.enqueue} coalesces as one
 * step. Nothing else needs a transaction spanning several calls.
 *
 * A durable adapter validates every row it reads and refuses a damaged one with a `StorageError`
 * (`kind: 'storage'`, `code: 'corrupt-row'`) rather than return garbage.
 */
export type SyncStorage = {
  /** Connection state per tenant. */
  readonly tenants: TenantStore;
  /** Source customer ⇄ Fortnox customer number. */
  readonly links: LinkStore;
  /** Undelivered changes, one coalesced entry per source customer. */
  readonly outbox: OutboxStore;
  /** Pending and settled duplicate decisions. */
  readonly decisions: DecisionStore;
  /** Initial-sync checkpoints and per-tenant cursors (drift polling). */
  readonly checkpoints: CheckpointStore;
  /** Hands due outbox work to the engine (timers in memory, polling in SQLite, a job engine in Postgres). */
  readonly queue: WorkQueue;
  /** Releases connections and timers. */
  close(): Promise<void>;
};

/** A moment, as milliseconds since the epoch (`Date.now()`). */
export type EpochMs = number;

/** An error as storage keeps it: the words for a person and a machine-readable kind, never personal data. */
export type StoredError = {
  /** The error family's `kind` (`'api'`, `'mapping'`, `'network'`, …). */
  readonly kind: string;
  /** A finer code where there is one: a Fortnox error code (`'2000359'`), a mapping issue code. */
  readonly code?: string;
  /** English, for logs and developers; holds no personal data. */
  readonly message: string;
  /** The words for a person. */
  readonly userMessage: { readonly sv: string; readonly en: string };
  /** The field it is about, when it is about one (`'organisationNumber'`, `'Email'`). */
  readonly field?: string;
};

// --- tenants ------------------------------------------------------------------------------------

/** `connected`: work flows. `needs-reconnect`: Fortnox refused our tokens or licence; a person must reconnect. `disconnected`: an admin turned the integration off. Work is queued in both paused states. */
export type ConnectionState = 'connected' | 'needs-reconnect' | 'disconnected';

/** A tenant's connection record. */
export type TenantRecord = {
  readonly tenantId: string;
  readonly connection: ConnectionState;
  /** Why it is paused (for `needs-reconnect`). */
  readonly reason: StoredError | null;
  readonly updatedAt: EpochMs;
};

/** Connection state per tenant. */
export type TenantStore = {
  get(tenantId: string): Promise<TenantRecord | undefined>;
  /** Creates or replaces the record. */
  put(record: TenantRecord): Promise<void>;
  list(): Promise<TenantRecord[]>;
};

// --- links --------------------------------------------------------------------------------------

/** How a link came to be. */
export type LinkOrigin = 'created' | 'matched' | 'decided';

/** A source customer linked to the Fortnox customer it is. */
export type CustomerLink = {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly customerNumber: string;
  /**
   * `fingerprint()` of the owned values as Fortnox held them after our last write or check: a hash,
   * not the data. Drift checks compare it with a fresh read.
   */
  readonly fingerprint: string;
  readonly origin: LinkOrigin;
  readonly syncedAt: EpochMs;
};

/** Source customer ⇄ Fortnox customer number, per tenant. */
export type LinkStore = {
  get(tenantId: string, sourceId: string): Promise<CustomerLink | undefined>;
  /** The link that points at a Fortnox customer, if any. */
  getByCustomerNumber(tenantId: string, customerNumber: string): Promise<CustomerLink | undefined>;
  /**
   * Creates or replaces the link of `(tenantId, sourceId)`. One Fortnox customer is one source
   * customer: when another source id of the tenant is linked to `link.customerNumber`, it rejects with a
   * `StorageError` `link-conflict` and writes nothing — atomically (the check and the write are one
   * step, across processes for a durable adapter), so two customers saved at once cannot both link.
   */
  put(link: CustomerLink): Promise<void>;
  delete(tenantId: string, sourceId: string): Promise<boolean>;
  /** Every link of a tenant, in `sourceId` order. */
  list(tenantId: string): Promise<CustomerLink[]>;
  count(tenantId: string): Promise<number>;
};

// --- outbox -------------------------------------------------------------------------------------

/** What a source customer's change asks for. */
export type OutboxOperation = 'upsert' | 'delete';

/**
 * Where an entry stands. `pending`: to be delivered (now, or at `notBefore` after a transient error).
 * `failed`: Fortnox or the mapping refused the data; waits for a new save. `needs-decision`: a person
 * must settle a possible duplicate; waits for `resolveDecision`.
 */
export type OutboxState = 'pending' | 'failed' | 'needs-decision';

/** One source customer's undelivered change (changes of one customer coalesce into one entry). */
export type OutboxEntry = {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly operation: OutboxOperation;
  /**
   * The customer to deliver (`null` for a delete, unless the delete must first reconcile a create
   * that may have reached Fortnox), kept as the host gave it (a JSON round trip: an `undefined` key
   * is dropped) even when it breaks the shape rules — the engine queues such data and parks it
   * `failed` with the field's reason. Deleted with the entry once delivered.
   */
  readonly customer: SourceCustomer | null;
  /**
   * Bumped by every enqueue; `complete` removes the entry only if no newer change came meanwhile. Never
   * reused for the same customer, not even after the entry was removed and re-created, so a stale
   * `complete` cannot remove a newer entry.
   */
  readonly version: number;
  readonly state: OutboxState;
  /** Delivery attempts since the last enqueue. */
  readonly attempts: number;
  /** Not to be tried before this moment (backoff). */
  readonly notBefore: EpochMs;
  /**
   * A create (POST) may have reached Fortnox without us seeing the answer: reconcile (look the
   * customer up by its ExternalReference) before any new POST. Survives enqueue, cleared by complete.
   */
  readonly createAttempted: boolean;
  /**
   * When `createAttempted: true` was last written (just before the POST), `null` while
   * `createAttempted` is false. The engine waits `createSettleMs` from it before it reconciles a
   * create it did not see settle. Its own moment, not `updatedAt`: every enqueue and update moves
   * `updatedAt`, and a customer saved again more often than `createSettleMs` would never be
   * reconciled. Set by every write of `createAttempted: true` (stale version or not), kept by enqueue
   * and by updates that do not write `createAttempted`, cleared with `createAttempted`.
   */
  readonly createAttemptedAt: EpochMs | null;
  readonly lastError: StoredError | null;
  /**
   * Already matched: the initial sync found no Fortnox customer that is the same against a full
   * inventory, or a person chose "create new". The engine creates without asking the resolver again
   * (which would cost look-up requests). Kept by enqueue; cleared by complete.
   */
  readonly skipMatching: boolean;
  /** When the first change of this entry was enqueued (for "oldest first" and age). */
  readonly enqueuedAt: EpochMs;
  /** When the entry last changed (any enqueue or update, including a stale `createAttempted: true`). */
  readonly updatedAt: EpochMs;
};

/** A change to enqueue. */
export type OutboxChange =
  | {
      readonly operation: 'upsert';
      readonly customer: SourceCustomer;
      /** Sets {@link OutboxEntry.skipMatching} (an enqueue without it keeps the stored flag). */
      readonly skipMatching?: boolean;
    }
  | {
      readonly operation: 'delete';
      /**
       * Only when a create may have reached Fortnox unseen (`createAttempted`): the customer as last
       * saved, so the delete can find (reconcile) and deactivate it. Otherwise absent: a delete keeps
       * no customer data.
       */
      readonly customer?: SourceCustomer | null;
    };

/** The fields of an entry the engine changes while it works on one version. */
export type OutboxEntryPatch = Partial<
  Pick<
    OutboxEntry,
    'state' | 'attempts' | 'notBefore' | 'createAttempted' | 'lastError' | 'skipMatching'
  >
>;

/** Undelivered changes. */
export type OutboxStore = {
  /**
   * `true`: {@link OutboxStore.enqueue} also makes the item due now in this storage's {@link WorkQueue},
   * as one atomic step with the entry (a transactional outbox, as the SQLite and Postgres adapters
   * do), so the engine does not call {@link WorkQueue.schedule} after it (one storage round trip less
   * per save). An adapter that claims it must make the item due now whatever was scheduled before (the
   * earlier time wins) and, while the item runs, run it again after (as `schedule` does);
   * `describeSyncStorage` checks it. Absent or `false` (the memory adapter, custom adapters written
   * before it existed): the engine schedules the item itself after every enqueue.
   */
  readonly enqueueMakesDue?: boolean;
  /**
   * Adds a change, coalesced with the customer's entry: operation and customer replaced, `version`
   * bumped, `state` back to `pending`, `attempts` 0, `notBefore` = `now`, `lastError` null;
   * `createAttempted`, `createAttemptedAt`, `skipMatching` (unless the change sets it) and `enqueuedAt`
   * kept. Returns the entry as stored.
   */
  enqueue(
    tenantId: string,
    sourceId: string,
    change: OutboxChange,
    now: EpochMs,
  ): Promise<OutboxEntry>;
  get(tenantId: string, sourceId: string): Promise<OutboxEntry | undefined>;
  /**
   * Changes an entry if its version is still `version`; `false` (nothing written) when a newer change
   * came or the entry is gone. `createAttempted: true` is the exception: it is written whatever the
   * version (alone with `createAttemptedAt` and `updatedAt` = `now`, the rest of a stale patch is
   * dropped, and the answer is still `false`), since a POST that may have been sent must never be
   * forgotten. A written `createAttempted` sets `createAttemptedAt` too: `now` for `true` (each
   * attempt anew), `null` for `false`; a patch without it keeps both.
   */
  update(
    tenantId: string,
    sourceId: string,
    version: number,
    patch: OutboxEntryPatch,
    now: EpochMs,
  ): Promise<boolean>;
  /**
   * Delivered: one atomic step that writes `link` (when given) and removes the entry if its version is
   * still `version`. When a newer change came meanwhile, the entry stays (`pending`, due now) with
   * `createAttempted` (and `createAttemptedAt`) and `skipMatching` cleared if a link was written, and
   * the answer is `'superseded'`.
   * When the entry is gone, the link is written and the answer is `'done'`. `link` must be this
   * customer's (same `tenantId` and `sourceId`); otherwise it rejects and writes nothing. A link whose
   * customer number another source id of the tenant holds rejects with `link-conflict` (as
   * {@link LinkStore.put}) and writes nothing: the entry stays as it was.
   */
  complete(
    tenantId: string,
    sourceId: string,
    version: number,
    link: CustomerLink | null,
    now: EpochMs,
  ): Promise<'done' | 'superseded'>;
  /**
   * Removes an entry whatever its version. Not for a handler finishing its work: a change enqueued
   * meanwhile would be lost; use {@link OutboxStore.complete} with `link: null`, which is version-guarded.
   */
  remove(tenantId: string, sourceId: string): Promise<boolean>;
  /** A tenant's entries, oldest `enqueuedAt` first, optionally only those in `state`. */
  list(tenantId: string, filter?: { readonly state?: OutboxState }): Promise<OutboxEntry[]>;
  /** How many entries a tenant has in each state. */
  countByState(tenantId: string): Promise<Record<OutboxState, number>>;
};

// --- decisions ----------------------------------------------------------------------------------

/** A Fortnox customer offered to a person, with why (no personal data beyond the customer number). */
export type StoredCandidate = {
  readonly customerNumber: string;
  readonly score: number;
  /** Field name → how it compared (`'agree' | 'similar' | 'disagree' | 'missing'`, resolver's words). */
  readonly evidence: Readonly<Record<string, string>>;
};

/** How a person settled a decision. */
export type DecisionResolution = { readonly use: string } | { readonly createNew: true };

/** A duplicate decision: asked (pending) or settled. Settled decisions are never asked again. */
export type DecisionRecord = {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly candidates: readonly StoredCandidate[];
  readonly askedAt: EpochMs;
  readonly resolution: DecisionResolution | null;
  readonly resolvedAt: EpochMs | null;
  /** Who settled it (the actor's id). */
  readonly resolvedBy: string | null;
};

/** Duplicate decisions. */
export type DecisionStore = {
  get(tenantId: string, sourceId: string): Promise<DecisionRecord | undefined>;
  /**
   * Records a question; keeps an existing settled record untouched (returns it), never asks twice.
   * Asked again while pending: the new candidates replace the old, `askedAt` stays the first question's.
   */
  ask(
    record: Omit<DecisionRecord, 'resolution' | 'resolvedAt' | 'resolvedBy'>,
  ): Promise<DecisionRecord>;
  /** Settles a pending decision; `undefined` when there is none, the existing record when already settled. */
  settle(
    tenantId: string,
    sourceId: string,
    resolution: DecisionResolution,
    resolvedBy: string,
    now: EpochMs,
  ): Promise<DecisionRecord | undefined>;
  /** A tenant's decisions, oldest first; `{ pending: true }` only the pending ones, `false` only the settled. */
  list(tenantId: string, filter?: { readonly pending?: boolean }): Promise<DecisionRecord[]>;
};

// --- checkpoints --------------------------------------------------------------------------------

/** Small JSON documents keyed per tenant: initial-sync progress, the drift cursor. No customer data. */
export type CheckpointStore = {
  get(tenantId: string, key: string): Promise<unknown>;
  /** Replaces the value (JSON-serialisable; a value JSON cannot hold, like `undefined`, is refused). */
  put(tenantId: string, key: string, value: unknown): Promise<void>;
  delete(tenantId: string, key: string): Promise<void>;
};

// --- work queue ---------------------------------------------------------------------------------

/** A unit of work: one source customer's outbox entry. */
export type WorkItem = { readonly tenantId: string; readonly sourceId: string };

/**
 * What a handler may answer instead of finishing: "not now, give my slot to other work and offer me
 * the item again at `deferUntil`". The engine defers an item of a tenant that already has as many items
 * in flight as its rate limit can use, so one tenant's backlog never holds every slot. A deferral is
 * not a failure: the queue runs the item again at `deferUntil` (or earlier, when it is scheduled for
 * an earlier time meanwhile: the earlier time wins) without counting an attempt or backing off.
 */
export type WorkDeferral = { readonly deferUntil: EpochMs };

/**
 * How the engine handles one work item. Resolving with nothing: done. Resolving with a
 * {@link WorkDeferral}: run it again at `deferUntil`. A throw means "try again later" (the queue
 * backs off); so does an answer that is neither (a deferral whose `deferUntil` is not a finite number).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler written as `async (item) => {}` must still fit.
export type WorkHandler = (item: WorkItem) => Promise<void | WorkDeferral>;

/** Options of {@link WorkQueue.start}. */
export type WorkQueueStartOptions = {
  /** Work items handled at once, across tenants (the per-tenant rate limit still governs Fortnox). */
  readonly concurrency: number;
};

/**
 * Hands due outbox work to the engine. The memory adapter uses timers, SQLite polls with a wake-up in
 * process, Postgres runs a job engine (graphile-worker). Guarantees: an item is handled by at most one
 * handler at a time (across processes for the durable adapters); an item scheduled again while it is
 * being handled runs again after; scheduling an item that is already scheduled keeps the earlier time;
 * a handler that throws gets its item again later (with back-off); a handler that answers a
 * {@link WorkDeferral} gets it again at `deferUntil`, with no back-off (see {@link readWorkDeferral}).
 * Scheduled items outlive `stop()`:
 * a later `start()` picks them up. `close()` of the storage stops the queue.
 *
 * Durable adapters keep scheduled items across a restart, and make an enqueued outbox entry due even
 * if `schedule` never came (a crash between `enqueue` and `schedule` loses nothing); an item whose
 * handler's process died is taken over (lease expiry).
 */
export type WorkQueue = {
  /** Makes `item` due at `runAt` (now when omitted). */
  schedule(item: WorkItem, runAt?: EpochMs): Promise<void>;
  /**
   * Optional: `schedule` for each item, except one being handled (which `schedule` would run again
   * after). The engine's start uses it for every stored pending change, in every process: the change
   * being handled elsewhere then is not run a second time. Absent: the engine calls `schedule`.
   */
  scheduleMissing?(items: readonly (WorkItem & { readonly runAt: EpochMs })[]): Promise<void>;
  /**
   * Starts handing due items to `handler`, at most `concurrency` at once. The returned `stop` hands
   * out nothing more and resolves once the running handlers have settled.
   */
  start(handler: WorkHandler, options: WorkQueueStartOptions): { stop(): Promise<void> };
};

/**
 * What a queue makes of its handler's answer: `null` when the item is done, the time to run it again
 * when the handler deferred it. Throws a `TypeError` for anything else (a handler that broke the
 * contract), which the queue treats as a failure: the item is tried again later, with back-off.
 */
export function readWorkDeferral(answer: unknown): EpochMs | null {
  if (answer === undefined || answer === null) return null;
  if (typeof answer === 'object' && 'deferUntil' in answer) {
    const { deferUntil } = answer as { deferUntil: unknown };
    if (typeof deferUntil === 'number' && Number.isFinite(deferUntil)) return deferUntil;
  }
  throw new TypeError(
    'A work handler resolved with something other than nothing or { deferUntil: <epoch ms> }',
  );
}
