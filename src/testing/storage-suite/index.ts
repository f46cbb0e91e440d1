/**
 * `fortnox-sync/testing/storage-suite`: the conformance suite every `SyncStorage` adapter runs. A
 * separate entry from `fortnox-sync/testing` because it imports vitest (an optional peer dependency):
 * the emulator works without vitest installed.
 * @packageDocumentation
 */

export {
  DEFAULT_DESCRIBE_SYNC_STORAGE_OPTIONS,
  describeSyncStorage,
} from '../describe-sync-storage.js';
export {
  DEFAULT_DESCRIBE_TOKEN_STORE_OPTIONS,
  type DescribeTokenStoreOptions,
  describeTokenStore,
  type TestedTokenStore,
  type TokenStoreFactory,
  type TokenStoreFactoryContext,
} from './describe-token-store.js';
export type {
  CorruptionTarget,
  DescribeSyncStorageOptions,
  SyncStorageFactory,
  SyncStorageFactoryContext,
} from './suite-context.js';
