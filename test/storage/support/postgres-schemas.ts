import pg from 'pg';
import type { CorruptionTarget } from '../../../src/testing/storage-suite/index.js';

/** The test database's URL, from the environment (`.ci/run` sets it). */
export const POSTGRES_URL = process.env.FORTNOX_SYNC_TEST_POSTGRES_URL;

/**
 * Whether the Postgres tests run. Without the URL they skip with a visible message, except in CI
 * (`CI` set), where a missing URL is a failure: CI must never pass by skipping them.
 */
export function postgresAvailable(): boolean {
  if (POSTGRES_URL !== undefined && POSTGRES_URL !== '') return true;
  if (process.env.CI) {
    throw new Error('FORTNOX_SYNC_TEST_POSTGRES_URL is not set: CI must run the Postgres tests');
  }
  console.warn(
    'Skipping the Postgres tests: set FORTNOX_SYNC_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
  return false;
}

/** A schema name of this test run for a suite key (lower-case, unique per process and key). */
export function schemaFor(key: string): string {
  return `fst_${key.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 50);
}

let admin: pg.Pool | undefined;

/** A small pool for the tests' own statements (dropping schemas, damaging rows). */
export function adminPool(): pg.Pool {
  admin ??= new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  return admin;
}

/** Drops the schemas of the given names (and their graphile-worker schemas). */
export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  for (const schema of schemas) {
    await adminPool().query(
      `DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_worker" CASCADE`,
    );
  }
}

export async function closeAdmin(): Promise<void> {
  await admin?.end();
  admin = undefined;
}

/** Writes a broken value into one row behind the adapter's back, as another program would. */
export async function corruptPostgresRow(schema: string, target: CorruptionTarget): Promise<void> {
  const s = `"${schema}"`;
  const statements: Record<CorruptionTarget['store'], string> = {
    outbox: `UPDATE ${s}.outbox SET customer = '{"id": 12' WHERE tenant_id = $1 AND source_id = $2`,
    links: `UPDATE ${s}.links SET origin = 'guessed' WHERE tenant_id = $1 AND source_id = $2`,
    decisions: `UPDATE ${s}.decisions SET candidates = '[{"score":"high"}]' WHERE tenant_id = $1 AND source_id = $2`,
    tenants: `UPDATE ${s}.tenants SET connection = 'maybe' WHERE tenant_id = $1`,
    checkpoints: `UPDATE ${s}.checkpoints SET value = 'not json' WHERE tenant_id = $1 AND key = $2`,
  };
  const values: string[] = [target.tenantId];
  if ('sourceId' in target) values.push(target.sourceId);
  if ('key' in target) values.push(target.key);
  const result = await adminPool().query(statements[target.store], values);
  if (result.rowCount !== 1) throw new Error(`no ${target.store} row to damage`);
}

/** Every row of every table of the adapter's two schemas, as text. */
export async function postgresRawContents(schema: string): Promise<string> {
  const { rows } = await adminPool().query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
     WHERE table_schema IN ($1, $2) AND table_type = 'BASE TABLE'`,
    [schema, `${schema}_worker`],
  );
  const parts: string[] = [];
  for (const row of rows) {
    const result = await adminPool().query(
      `SELECT row_to_json(t)::text AS line FROM "${row.table_schema}"."${row.table_name}" t`,
    );
    for (const line of result.rows) parts.push(String(line.line));
  }
  return parts.join('\n');
}
