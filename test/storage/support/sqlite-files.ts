import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { CorruptionTarget } from '../../../src/testing/storage-suite/index.js';

const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync-sqlite-'));

/** The database file of a suite key (a fresh temp directory per test run). */
export const sqlitePath = (key: string): string => path.join(directory, `${key}.db`);

/** Writes a broken value into one row with a second connection, as another program would. */
export function corruptSqliteRow(key: string, target: CorruptionTarget): void {
  const database = new DatabaseSync(sqlitePath(key), { timeout: 5_000 });
  try {
    const statements: Record<CorruptionTarget['store'], string> = {
      outbox: `UPDATE outbox SET customer = '{"id": 12' WHERE tenant_id = $tenant AND source_id = $source`,
      links: `UPDATE links SET origin = 'guessed' WHERE tenant_id = $tenant AND source_id = $source`,
      decisions: `UPDATE decisions SET candidates = '[{"score":"high"}]' WHERE tenant_id = $tenant AND source_id = $source`,
      tenants: `UPDATE tenants SET connection = 'maybe' WHERE tenant_id = $tenant`,
      checkpoints: `UPDATE checkpoints SET value = 'not json' WHERE tenant_id = $tenant AND key = $key`,
    };
    const parameters: Record<string, string> = { $tenant: target.tenantId };
    if ('sourceId' in target) parameters.$source = target.sourceId;
    if ('key' in target) parameters.$key = target.key;
    const result = database.prepare(statements[target.store]).run(parameters);
    if (Number(result.changes) !== 1) throw new Error(`no ${target.store} row to damage`);
  } finally {
    database.close();
  }
}

/** The bytes of the database file (and its WAL, if any), as text. */
export function sqliteRawContents(key: string): string {
  const file = sqlitePath(key);
  return [file, `${file}-wal`]
    .filter((name) => existsSync(name))
    .map((name) => readFileSync(name).toString('latin1'))
    .join('\n');
}
