/**
 * `fortnox-sync/postgres`: durable sync storage, a shared rate budget and a shared token store in
 * PostgreSQL, for many workers on many machines. Needs the peer dependencies `pg` and
 * `graphile-worker` (and `@types/pg` with TypeScript), and Node.js ≥ 22.18.
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
  createPostgresStorage,
  DEFAULT_POSTGRES_STORAGE_OPTIONS,
  type PostgresConnection,
  type PostgresStorageOptions,
} from './create-postgres-storage.js';
export type { Queryable } from './postgres-database.js';
export {
  type EnqueueCustomerDeletedOptions,
  type EnqueueCustomerSavedOptions,
  enqueueCustomerDeleted,
  enqueueCustomerSaved,
  type HostTransactionTarget,
} from './postgres-host-transaction.js';
export {
  createPostgresRateLimiter,
  type PostgresRateLimiter,
  type PostgresRateLimiterOptions,
} from './postgres-rate-limiter.js';
export {
  createPostgresTokenStore,
  type PostgresTokenStore,
  type PostgresTokenStoreOptions,
} from './postgres-token-store.js';
