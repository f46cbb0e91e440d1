import { createMemoryTokenStore } from '../../src/client/index.js';
import { createSqliteTokenStore } from '../../src/storage/sqlite/index.js';
import { describeTokenStore } from '../../src/testing/storage-suite/index.js';
import { sqlitePath, sqliteRawContents } from './support/sqlite-files.js';

describeTokenStore('memory (client)', () => createMemoryTokenStore());

describeTokenStore(
  'sqlite',
  ({ key, encryptionKeys }) =>
    createSqliteTokenStore({ path: sqlitePath(key), encryptionKeys, lockPollMs: 10 }),
  {
    durable: true,
    encrypted: true,
    rawContents: ({ key }) => sqliteRawContents(key),
  },
);
