import { Logger, runMigrations } from 'graphile-worker';
import type { Pool } from 'pg';
import { StorageError } from '../storage-error.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

/** A logger that says nothing (graphile-worker's messages may name jobs; errors reach the caller). */
export const SILENT_LOGGER = new Logger(() => () => undefined);

/**
 * Applies the library's migrations (table `schema_migrations` holds the applied versions), then
 * graphile-worker's, under an advisory lock, so processes starting at once migrate one after another.
 */
export async function migratePostgres(
  pool: Pool,
  schemaName: string,
  workerSchema: string,
): Promise<void> {
  const schema = `"${schemaName}"`;
  const client = await pool.connect();
  const lockKey = `fortnox-sync:migrate:${schemaName}`;
  let locked = false;
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
    locked = true;
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ latest: number | null }>(
      `SELECT max(version) AS latest FROM ${schema}.schema_migrations`,
    );
    const current = rows[0]?.latest ?? 0;
    const latest = POSTGRES_MIGRATIONS.length;
    if (current > latest) {
      throw new StorageError(
        'unsupported-schema',
        `The Postgres schema ${schemaName} has version ${current}; this version of fortnox-sync knows up to ${latest}`,
      );
    }
    for (let version = current + 1; version <= latest; version++) {
      const migration = POSTGRES_MIGRATIONS[version - 1] as (schema: string) => string;
      await client.query(migration(schema));
      await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [
        version,
      ]);
    }
    await client.query('COMMIT');
    await runMigrations({ pgPool: pool, schema: workerSchema, logger: SILENT_LOGGER });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    let broken: Error | undefined;
    if (locked) {
      await client
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey])
        .catch((error: unknown) => {
          broken = error instanceof Error ? error : new Error('unlock failed');
        });
    }
    client.release(broken);
  }
}
