/**
 * `fortnox-sync/sqlite`: durable sync storage in one SQLite file, on Node's built-in `node:sqlite`.
 * @packageDocumentation
 */

export { StorageError, type StorageErrorCode } from '../storage-error.js';
export {
  createSqliteStorage,
  DEFAULT_SQLITE_STORAGE_OPTIONS,
  type SqliteStorageOptions,
} from './create-sqlite-storage.js';
