/**
 * vitest globalSetup: one graphile-worker schema for the whole test run, migrated here, before any
 * test file starts. graphile-worker announces a breaking migration of any schema on one NOTIFY channel
 * for the whole database, and every runner that hears it shuts down; the Postgres tests therefore give
 * every storage this schema (`workerSchema`), already migrated, so no migration happens while tests
 * run. Storages sharing it keep apart by their task identifier (`fortnox_sync_work:<schema>`).
 * Without FORTNOX_SYNC_TEST_POSTGRES_URL it does nothing (the Postgres tests skip).
 */
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { SILENT_LOGGER } from '../../src/storage/postgres/postgres-migrate.js';
import { POSTGRES_URL, schemaFor } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's graphile-worker schema (migrated); empty without the Postgres URL. */
    postgresWorkerSchema: string;
    /** A storage schema whose default worker schema (`<schema>_worker`) is the run's one. */
    postgresRunSchema: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (POSTGRES_URL === undefined || POSTGRES_URL === '') {
    project.provide('postgresWorkerSchema', '');
    project.provide('postgresRunSchema', '');
    return;
  }
  const runSchema = schemaFor(`run_${process.pid}_${Date.now().toString(36)}`);
  const workerSchema = `${runSchema}_worker`;
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await runMigrations({ pgPool: pool, schema: workerSchema, logger: SILENT_LOGGER });
  } catch (error) {
    await pool.end();
    throw error;
  }
  project.provide('postgresWorkerSchema', workerSchema);
  project.provide('postgresRunSchema', runSchema);
  return async () => {
    try {
      await pool.query(
        `DROP SCHEMA IF EXISTS "${runSchema}" CASCADE; DROP SCHEMA IF EXISTS "${workerSchema}" CASCADE`,
      );
    } finally {
      await pool.end();
    }
  };
}
