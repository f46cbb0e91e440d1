import { afterAll, describe, it } from 'vitest';
import { createPostgresTokenStore } from '../../src/storage/postgres/index.js';
import { describeTokenStore } from '../../src/testing/storage-suite/index.js';
import {
  adminPool,
  closeAdmin,
  dropSchemas,
  POSTGRES_URL,
  postgresAvailable,
  schemaFor,
} from '../support/postgres.js';
import { WORKER_SCHEMA } from './support/postgres-schemas.js';

/** This run's schemas: unique per process and run, so parallel runs never share tokens. */
const RUN = `tok_${process.pid.toString(36)}_${Date.now().toString(36)}`;
const schemaOf = (key: string): string => schemaFor(`${RUN}_${key.slice(-12)}`);

if (postgresAvailable()) {
  const schemas = new Set<string>();
  afterAll(async () => {
    await dropSchemas(schemas);
    await closeAdmin();
  });
  describeTokenStore(
    'postgres',
    ({ key, encryptionKeys }) => {
      const schema = schemaOf(key);
      schemas.add(schema);
      return createPostgresTokenStore({
        connectionString: POSTGRES_URL as string,
        schema,
        workerSchema: WORKER_SCHEMA,
        encryptionKeys,
      });
    },
    {
      durable: true,
      encrypted: true,
      rawContents: async ({ key }) => {
        const { rows } = await adminPool().query(
          `SELECT row_to_json(t)::text AS line FROM "${schemaOf(key)}".tokens t`,
        );
        return rows.map((row) => String(row.line)).join('\n');
      },
    },
  );
} else {
  describe.skip('TokenStore conformance: postgres (FORTNOX_SYNC_TEST_POSTGRES_URL not set)', () => {
    it('needs a Postgres URL', () => undefined);
  });
}
