/**
 * `fortnox-sync/sqlite`: durable sync storage in one SQLite file, on Node's built-in `node:sqlite`.
 * @packageDocumentation
 */

export { StorageError, type StorageErrorCode } from '../storage-error.js';
export {
  createTokenCipher,
  type SealedValue,
  type TokenCipher,
  type TokenEncryptionKey,
} from '../token-cipher.js';
export {
  createSqliteStorage,
  DEFAULT_SQLITE_STORAGE_OPTIONS,
  type SqliteStorageOptions,
} from './create-sqlite-storage.js';
export {
  createSqliteTokenStore,
  DEFAULT_SQLITE_TOKEN_STORE_OPTIONS,
  type SqliteTokenStore,
  type SqliteTokenStoreOptions,
} from './sqlite-token-store.js';
