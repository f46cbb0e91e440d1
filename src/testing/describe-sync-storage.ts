import { afterEach, describe } from 'vitest';
import type { SyncStorage } from '../storage/sync-storage.js';
import { describeCreateAttemptedClauses } from './storage-suite/create-attempted-clauses.js';
import { describeDurabilityClauses } from './storage-suite/durability-clauses.js';
import { describeOutboxClauses } from './storage-suite/outbox-clauses.js';
import { describeQueueClauses } from './storage-suite/queue-clauses.js';
import { describeRecordClauses } from './storage-suite/record-clauses.js';
import {
  type DescribeSyncStorageOptions,
  freshKey,
  type SuiteContext,
  type SyncStorageFactory,
} from './storage-suite/suite-context.js';

/** The defaults of {@link DescribeSyncStorageOptions}. */
export const DEFAULT_DESCRIBE_SYNC_STORAGE_OPTIONS = { durable: false, waitMs: 5_000 } as const;

/**
 * The conformance suite of the `SyncStorage` contract (`src/storage/sync-storage.ts`), in the style of
 * unstorage's driver tests: call it at the top of a vitest test file with a factory of your adapter,
 * and every clause of the contract becomes a test. Each test opens a storage on a fresh key and closes
 * it afterwards. Needs vitest (an optional peer dependency of this entry).
 *
 * @example
 * import { describeSyncStorage } from 'fortnox-sync/testing/storage-suite';
 * import { createSqliteStorage } from 'fortnox-sync/sqlite';
 *
 * describeSyncStorage('sqlite', ({ key }) => createSqliteStorage({ path: `/tmp/${key}.db` }), {
 *   durable: true,
 * });
 */
export function describeSyncStorage(
  name: string,
  factory: SyncStorageFactory,
  options: DescribeSyncStorageOptions = {},
): void {
  const opened: SyncStorage[] = [];
  const context: SuiteContext = {
    options: { ...DEFAULT_DESCRIBE_SYNC_STORAGE_OPTIONS, ...options },
    async open(key = freshKey()) {
      const storage = await factory({ key });
      opened.push(storage);
      return { storage, key };
    },
  };
  describe(`SyncStorage conformance: ${name}`, () => {
    afterEach(async () => {
      const storages = opened.splice(0);
      await Promise.allSettled(storages.map((storage) => storage.close()));
    });
    describeOutboxClauses(context);
    describeCreateAttemptedClauses(context);
    describeRecordClauses(context);
    describeQueueClauses(context);
    describeDurabilityClauses(context);
  });
}
