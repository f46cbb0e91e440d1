import type { StoredCandidate, StoredError } from '../storage/sync-storage.js';

/*
 * The initial sync's plan, progress and report (re-exported by sync-engine-types.ts with the rest of
 * the engine's public types).
 */

/** One action of the initial-sync plan. */
export type PlanAction =
  | { readonly action: 'create'; readonly sourceId: string }
  | { readonly action: 'link'; readonly sourceId: string; readonly customerNumber: string }
  | {
      readonly action: 'update';
      readonly sourceId: string;
      readonly customerNumber: string;
      /** Owned Fortnox fields the source will write. */
      readonly fields: readonly string[];
    }
  | {
      readonly action: 'ask';
      readonly sourceId: string;
      readonly candidates: readonly StoredCandidate[];
    }
  | { readonly action: 'failed'; readonly sourceId: string; readonly error: StoredError }
  | {
      readonly action: 'already-linked';
      readonly sourceId: string;
      readonly customerNumber: string;
    };

/**
 * Something in the plan a person should look at. `duplicate-in-source`: these source customers (none
 * of them in Fortnox) look like the same company or person. Each is created (the source is the
 * master: two source customers are two Fortnox customers, as two saves would be), so merge them in the
 * source if they are one. Ids and words only, no personal data.
 */
export type PlanWarning = {
  readonly code: 'duplicate-in-source';
  readonly sourceIds: readonly string[];
  /** What the plan found, in English, for developers and logs (no personal data). */
  readonly message: string;
  /** The words for a person, in Swedish and English (no personal data). */
  readonly userMessage: { readonly sv: string; readonly en: string };
};

/** A dry run: what the initial sync would do. Writes nothing anywhere. */
export type InitialSyncPlan = {
  readonly tenantId: string;
  readonly fortnoxCustomers: number;
  readonly sourceCustomers: number;
  readonly counts: Readonly<Record<PlanAction['action'], number>>;
  readonly actions: readonly PlanAction[];
  /** Requests the plan itself used (inventory pages, full records fetched for decisions). */
  readonly requestsUsed: number;
  /** What a person should look at (the run also sends each as a `plan-warning` event). */
  readonly warnings: readonly PlanWarning[];
};

/**
 * Progress while Fortnox's customer register is read (phase `inventory`): one list request per page
 * of 500, ⌈active/500⌉ + ⌈inactive/500⌉ pages (at least one each). 20 000 customers are 40 pages,
 * 8 s at Fortnox's 25 requests per 5 s. Reported once before the first page (`pagesRead` and
 * `totalPages` 0: not known yet), then after every page in order; `totalPages` is Fortnox's count
 * for both filters from the first report after a page on.
 */
export type InitialSyncInventoryProgress = {
  readonly tenantId: string;
  readonly phase: 'inventory';
  /** Inventory pages read so far. */
  readonly pagesRead: number;
  /** Inventory pages in all (both filters); never below `pagesRead`. */
  readonly totalPages: number;
  /** Source customers done: none yet in this phase. */
  readonly done: 0;
  /** Source customers: not known yet in this phase (0). */
  readonly total: 0;
  readonly counts: Readonly<Record<PlanAction['action'], number>>;
};

/**
 * Progress over the source customers: `planning` (the plan is made, `total` is known), `executing`
 * (after every finished customer), `done`.
 */
export type InitialSyncCustomerProgress = {
  readonly tenantId: string;
  readonly phase: 'planning' | 'executing' | 'done';
  /** Source customers finished. */
  readonly done: number;
  /** Source customers in the plan. */
  readonly total: number;
  /** Finished source customers per action. */
  readonly counts: Readonly<Record<PlanAction['action'], number>>;
};

/**
 * Progress of `runInitialSync` (also sent as `progress` events) and of `planInitialSync` (its
 * `inventory` phase only, as a callback). Phases in order: `inventory` (pages of Fortnox's register
 * read), `planning`, `executing`, `done`. Narrow on `phase`:
 * @example
 * const onProgress = (p: InitialSyncProgress) =>
 *   p.phase === 'inventory'
 *     ? console.log(`reading Fortnox: page ${p.pagesRead}/${p.totalPages}`)
 *     : console.log(`${p.phase}: ${p.done}/${p.total} customers`);
 */
export type InitialSyncProgress = InitialSyncInventoryProgress | InitialSyncCustomerProgress;

/**
 * Options of `runInitialSync` and `planInitialSync`.
 */
export type InitialSyncProgressOptions = {
  /**
   * Called with every step of progress, in order, never after the call's promise has settled
   * (whatever its outcome, an abort included). A throwing callback is ignored: it never breaks
   * the sync.
   */
  readonly onProgress?: (progress: InitialSyncProgress) => void;
  /** Stops the work: the call answers `aborted` (a run resumes from where it stopped). */
  readonly signal?: AbortSignal;
};

/** The result of `runInitialSync`. */
export type InitialSyncReport = Omit<InitialSyncCustomerProgress, 'phase'> & {
  readonly phase: 'done';
  /** Requests sent to Fortnox by this run. */
  readonly requests: number;
  readonly durationMs: number;
  /** Whether this run resumed an earlier, interrupted one. */
  readonly resumed: boolean;
};
