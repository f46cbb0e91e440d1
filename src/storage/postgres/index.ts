/**
 * `fortnox-sync/postgres`: durable sync storage, a shared rate budget and a shared token store in
 * PostgreSQL, for many workers on many machines. Needs the peer dependencies `pg` and
 * `graphile-worker`, and Node.js ≥ 22.18.
 * @packageDocumentation
 */

export { StorageError, type StorageErrorCode } from '../storage-error.js';
export {
  createPostgresStorage,
  DEFAULT_POSTGRES_STORAGE_OPTIONS,
  type PostgresConnection,
  type PostgresStorageOptions,
} from './create-postgres-storage.js';
