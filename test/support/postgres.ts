/**
 * The test database of the Postgres tests and benchmarks: its URL, schema names of this run, and an
 * admin pool to drop them.
 */
import pg from 'pg';

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

/** A schema name for a key (lower-case identifier; put the process id in the key to make it unique). */
export function schemaFor(key: string): string {
  return `fst_${key.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 50);
}

/**
 * Fresh schema names for one test file: `fresh(name)` gives a new one (the process id and the time in
 * it), `created` holds every name given, for {@link dropSchemas} after the file.
 */
export function freshSchemas(prefix = ''): {
  fresh(name: string): string;
  readonly created: Set<string>;
} {
  const created = new Set<string>();
  return {
    fresh(name) {
      const schema = schemaFor(`${prefix}${name}_${process.pid}_${Date.now().toString(36)}`);
      created.add(schema);
      return schema;
    },
    created,
  };
}

let admin: pg.Pool | undefined;

/** A small pool for the tests' own statements (dropping schemas, damaging rows). */
export function adminPool(): pg.Pool {
  admin ??= new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  return admin;
}

/** Drops the schemas of the given names, and their default graphile-worker schemas (`<name>_worker`). */
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
