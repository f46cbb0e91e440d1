import { afterAll, describe, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { describeSyncStorage } from '../../src/testing/storage-suite/index.js';
import {
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../support/postgres.js';
import {
  corruptPostgresRow,
  postgresRawContents,
  WORKER_SCHEMA,
} from './support/postgres-schemas.js';

if (postgresAvailable()) {
  const schemas = new Set<string>();
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });
  describeSyncStorage(
    'postgres',
    ({ key }) => {
      const schema = schemaFor(key);
      schemas.add(schema);
      return createPostgresStorage({
        connectionString: POSTGRES_URL as string,
        schema,
        workerSchema: WORKER_SCHEMA,
        pollIntervalMs: 50,
        leaseMs: 2_000,
      });
    },
    {
      durable: true,
      corrupt: ({ key }, target) => corruptPostgresRow(schemaFor(key), target),
      rawContents: ({ key }) => postgresRawContents(schemaFor(key)),
    },
  );
} else {
  describe.skip('SyncStorage conformance: postgres (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
