import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { describeSyncStorage } from '../../src/testing/storage-suite/index.js';
import { corruptSqliteRow, sqlitePath, sqliteRawContents } from './support/sqlite-files.js';

describeSyncStorage(
  'sqlite',
  ({ key }) => createSqliteStorage({ path: sqlitePath(key), pollIntervalMs: 50, backoffMs: 200 }),
  {
    durable: true,
    corrupt: ({ key }, target) => corruptSqliteRow(key, target),
    rawContents: ({ key }) => sqliteRawContents(key),
  },
);
