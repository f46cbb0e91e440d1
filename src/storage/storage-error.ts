import { FortnoxSyncError } from '../fortnox/index.js';
/**
 * Why a storage adapter failed. `corrupt-row`: a stored row is not what this library wrote (edited by
 * hand, another program, a broken disk) — it is refused rather than returned as garbage.
 * `unsupported-runtime`: the runtime lacks what the adapter needs (e.g. `node:sqlite`).
 * `unsupported-schema`: the database was migrated by a newer version of this library.
 * `invalid-argument`: a caller broke the contract (e.g. a link for another customer).
 * `closed`: the storage was closed. `database`: the database itself failed (busy, disk full, …).
 * `token-key`: stored tokens cannot be decrypted with the keys the host gave (a wrong or missing key).
 */
export type StorageErrorCode =
  | 'corrupt-row'
  | 'unsupported-runtime'
  | 'unsupported-schema'
  | 'invalid-argument'
  | 'closed'
  | 'database'
  | 'token-key';

const USER_MESSAGES: Record<StorageErrorCode, { readonly sv: string; readonly en: string }> = {
  'corrupt-row': {
    sv: 'Synkroniseringens lagrade data är skadad. Kontakta supporten.',
    en: 'The sync’s stored data is damaged. Contact support.',
  },
  'unsupported-runtime': {
    sv: 'Synkroniseringen kan inte starta i den här miljön. Kontakta supporten.',
    en: 'The sync cannot start in this environment. Contact support.',
  },
  'unsupported-schema': {
    sv: 'Synkroniseringens databas kommer från en nyare version. Uppdatera programmet.',
    en: 'The sync’s database comes from a newer version. Update the application.',
  },
  'invalid-argument': {
    sv: 'Ett internt fel uppstod i synkroniseringen. Kontakta supporten.',
    en: 'An internal error occurred in the sync. Contact support.',
  },
  closed: {
    sv: 'Synkroniseringen har stängts av.',
    en: 'The sync has been shut down.',
  },
  database: {
    sv: 'Synkroniseringens databas svarar inte just nu. Försök igen om en stund.',
    en: 'The sync’s database is not answering right now. Try again in a while.',
  },
  'token-key': {
    sv: 'Fortnox-kopplingens sparade nycklar kan inte läsas med den konfigurerade krypteringsnyckeln. Kontakta supporten.',
    en: 'The Fortnox connection’s saved keys cannot be read with the configured encryption key. Contact support.',
  },
};

/** Options of {@link StorageError}. */
export type StorageErrorOptions = {
  /** The table or store it is about (`'outbox'`, `'links'`, …). */
  readonly store?: string;
  readonly cause?: unknown;
};

/**
 * An error of a storage adapter, discriminated by `kind: 'storage'` and `code`. Its `message` names
 * the store and the row's key (tenant and source ids), never the row's values.
 *
 * @example
 * if (error instanceof StorageError && error.code === 'corrupt-row') alertOperator(error.message);
 */
export class StorageError extends FortnoxSyncError {
  override readonly name = 'StorageError';
  readonly kind = 'storage';
  readonly code: StorageErrorCode;
  readonly store: string | undefined;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(message, { userMessage: USER_MESSAGES[code], cause: options.cause });
    this.code = code;
    this.store = options.store;
  }
}

/** Whether `value` is a {@link StorageError} (also one from another copy of this library). */
export function isStorageError(value: unknown): value is StorageError {
  return (
    value instanceof StorageError ||
    (value instanceof Error &&
      (value as { kind?: unknown }).kind === 'storage' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}
