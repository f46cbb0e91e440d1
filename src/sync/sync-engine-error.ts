import { FortnoxSyncError } from '../fortnox/index.js';
import type { LocalizedMessage } from '../mapping/index.js';
import type { SyncError, SyncErrorKind } from './sync-engine-types.js';

/** What {@link SyncEngineError} is built from. */
export type SyncEngineErrorInit = {
  readonly kind: SyncErrorKind;
  /** English, for logs and developers; no personal data. */
  readonly message: string;
  /** The words for a person. */
  readonly userMessage: LocalizedMessage;
  readonly cause?: unknown;
};

/**
 * Every failure of a sync engine call: an `Error` discriminated by `kind`, with an English `message`,
 * the words for a person in `userMessage`, and the underlying error as `cause`. Holds no personal data.
 *
 * @example
 * const result = await engine.connect(tenantId, actor);
 * if (result.isErr() && result.error.kind === 'forbidden') show(result.error.userMessage.sv);
 */
export class SyncEngineError extends FortnoxSyncError implements SyncError {
  override readonly name = 'SyncEngineError';
  readonly kind: SyncErrorKind;

  constructor(init: SyncEngineErrorInit) {
    super(init.message, {
      userMessage: { sv: init.userMessage.sv, en: init.userMessage.en },
      cause: init.cause,
    });
    this.kind = init.kind;
  }
}

/** True when `value` is a {@link SyncEngineError}. */
export const isSyncEngineError = (value: unknown): value is SyncEngineError =>
  value instanceof SyncEngineError;

/** Builders of the engine's errors, one per situation, with their words. */
export const syncErrors = {
  invalidInput: (what: string, userMessage: LocalizedMessage, cause?: unknown) =>
    new SyncEngineError({ kind: 'invalid-input', message: what, userMessage, cause }),

  forbidden: (action: string) =>
    new SyncEngineError({
      kind: 'forbidden',
      message: `The actor may not ${action} for this tenant.`,
      userMessage: {
        sv: 'Du har inte behörighet att göra detta. Be en administratör om hjälp.',
        en: 'You are not allowed to do this. Ask an administrator.',
      },
    }),

  notFound: (what: string) =>
    new SyncEngineError({
      kind: 'not-found',
      message: `${what} is not known to the sync.`,
      userMessage: {
        sv: 'Kunden är inte känd av synkroniseringen. Spara kunden för att synkronisera den.',
        en: 'The sync does not know this customer. Save the customer to sync it.',
      },
    }),

  storage: (cause: unknown) =>
    new SyncEngineError({
      kind: 'storage',
      message: `The sync storage failed: ${cause instanceof Error ? cause.name : typeof cause}.`,
      userMessage: {
        sv: 'Synkroniseringen kunde inte spara sitt läge. Försök igen om en stund.',
        en: 'The sync could not save its state. Try again in a while.',
      },
      cause,
    }),

  noSource: () =>
    new SyncEngineError({
      kind: 'no-source',
      message: 'This needs the `source` option of createSyncEngine (the host’s customers).',
      userMessage: {
        sv: 'Synkroniseringen är inte kopplad till kundregistret.',
        en: 'The sync is not connected to the customer register.',
      },
    }),

  clientFactory: (cause: unknown) =>
    new SyncEngineError({
      kind: 'client-factory',
      message: `The host's clients(tenantId) factory failed (${cause instanceof Error ? cause.name : typeof cause}; see cause). Fix the factory passed to createSyncEngine.`,
      userMessage: {
        sv: 'Kopplingen till Fortnox kunde inte startas. Kontakta den som sköter integrationen.',
        en: 'The connection to Fortnox could not be started. Contact whoever runs the integration.',
      },
      cause,
    }),

  aborted: (cause?: unknown) =>
    new SyncEngineError({
      kind: 'aborted',
      message: 'The operation was aborted; it can be resumed.',
      userMessage: {
        sv: 'Synkroniseringen avbröts. Den fortsätter där den slutade när du startar den igen.',
        en: 'The sync was stopped. It continues where it stopped when you start it again.',
      },
      cause,
    }),
} as const;

/** Any thrown value as a {@link SyncEngineError}: engine errors pass, anything else is a storage failure. */
export const toSyncEngineError = (thrown: unknown): SyncEngineError =>
  isSyncEngineError(thrown) ? thrown : syncErrors.storage(thrown);
