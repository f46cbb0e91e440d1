import { inject } from 'vitest';
import { workTask } from '../../../src/storage/postgres/postgres-work-queue.js';
import type { CorruptionTarget } from '../../../src/testing/storage-suite/index.js';
import { adminPool } from '../../support/postgres.js';

/**
 * The test run's graphile-worker schema, migrated once before the test files start (see
 * test/support/postgres-global-setup.ts): every storage of the tests gets it as `workerSchema`.
 */
export const WORKER_SCHEMA = inject('postgresWorkerSchema');

/** A storage schema whose default worker schema (`<schema>_worker`) is {@link WORKER_SCHEMA}. */
export const RUN_SCHEMA = inject('postgresRunSchema');

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

/** Every row of every table of the storage's schema, and its jobs in the worker schema, as text. */
export async function postgresRawContents(schema: string): Promise<string> {
  const { rows } = await adminPool().query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
    [schema],
  );
  const parts: string[] = [];
  for (const row of rows) {
    const result = await adminPool().query(
      `SELECT row_to_json(t)::text AS line FROM "${schema}"."${row.table_name}" t`,
    );
    for (const line of result.rows) parts.push(String(line.line));
  }
  // The worker schema is shared by the run's storages: only this storage's jobs (payload included).
  const w = `"${WORKER_SCHEMA}"`;
  const jobs = await adminPool().query(
    `SELECT row_to_json(j)::text AS line FROM ${w}._private_jobs j
     JOIN ${w}._private_tasks t ON t.id = j.task_id WHERE t.identifier = $1`,
    [workTask(schema)],
  );
  for (const line of jobs.rows) parts.push(String(line.line));
  return parts.join('\n');
}

/** The job keys of the storage in `schema`, from the run's worker schema. */
export async function jobKeys(schema: string): Promise<string[]> {
  const { rows } = await adminPool().query<{ key: string }>(
    `SELECT key FROM "${WORKER_SCHEMA}".jobs WHERE task_identifier = $1 ORDER BY key`,
    [workTask(schema)],
  );
  return rows.map((row) => row.key);
}
