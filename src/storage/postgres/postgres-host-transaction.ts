import type { SourceCustomer } from '../../mapping/index.js';
import { readOutboxEntry } from '../sqlite/sqlite-rows.js';
import { StorageError } from '../storage-error.js';
import type { OutboxChange, OutboxEntry } from '../sync-storage.js';
import { DEFAULT_POSTGRES_STORAGE_OPTIONS } from './create-postgres-storage.js';
import { checkSchemaName, type Queryable } from './postgres-database.js';
import {
  changeCustomerText,
  enqueueChangeInHostTransaction,
  OUTBOX_COLUMNS,
} from './postgres-enqueue.js';

/**
 * Where the library's tables are: the same `schema` and `workerSchema` the host gave
 * `createPostgresStorage` (whose migrations must have run once, e.g. at the host's start).
 */
export type HostTransactionTarget = {
  /** @defaultValue 'fortnox_sync' */
  readonly schema?: string;
  /** @defaultValue `${schema}_worker` */
  readonly workerSchema?: string;
};

/** What {@link enqueueCustomerSaved} queues: the tenant and the customer as the host saved it. */
export type EnqueueCustomerSavedOptions = HostTransactionTarget & {
  readonly tenantId: string;
  /** The source customer, as `engine.customerSaved` takes it (a non-empty string `id`). */
  readonly customer: SourceCustomer;
};

/** What {@link enqueueCustomerDeleted} queues: the tenant and the deleted customer's id. */
export type EnqueueCustomerDeletedOptions = HostTransactionTarget & {
  readonly tenantId: string;
  readonly sourceId: string;
};

/**
 * Queues a saved customer inside the host's own open transaction (a transactional outbox): the outbox
 * entry and its graphile-worker job are written with `client`, and they commit or roll back with the
 * host's row. Nothing is committed here and no other connection is used. The entry coalesces exactly
 * as `engine.customerSaved` does (one entry per customer, a newer save replaces an older undelivered
 * one); after the host's COMMIT a running engine (in this process or another) picks the job up at
 * once (LISTEN/NOTIFY), and `engine.waitForOutcome(tenantId, customer.id)` tells what came of it.
 *
 * Bad input (an empty tenant id, a customer without a non-empty string `id`, a bad schema name) is a
 * `StorageError` `invalid-argument` before anything is written. The writes run under a savepoint: when
 * one fails (`StorageError` `database`; `invalid-argument` when the schema was never migrated or the
 * client is not inside `BEGIN`), none of them stays, and the host's transaction is usable again.
 *
 * @param client - The host's `pg` client (e.g. from `pool.connect()`) after `BEGIN`.
 * @returns The outbox entry as it stands inside the transaction (its `version` identifies this save).
 *
 * @example
 * import { enqueueCustomerSaved } from 'fortnox-sync/postgres';
 * const client = await pool.connect();
 * try {
 *   await client.query('BEGIN');
 *   await client.query('UPDATE app.customers SET data = $2 WHERE id = $1', [customer.id, customer]);
 *   await enqueueCustomerSaved(client, { tenantId, customer });
 *   await client.query('COMMIT');
 * } catch (error) {
 *   await client.query('ROLLBACK');
 *   throw error;
 * } finally {
 *   client.release();
 * }
 * const outcome = await engine.waitForOutcome(tenantId, customer.id);
 */
export function enqueueCustomerSaved(
  client: Queryable,
  options: EnqueueCustomerSavedOptions,
): Promise<OutboxEntry> {
  return enqueueInHostTransaction(client, options, () => {
    const customer = (options as { customer?: unknown }).customer;
    const id = (customer as { id?: unknown } | null | undefined)?.id;
    if (typeof customer !== 'object' || customer === null || !nonEmpty(id)) {
      throw invalid('enqueueCustomerSaved needs a customer object with a non-empty string id');
    }
    const change: OutboxChange = { operation: 'upsert', customer: customer as SourceCustomer };
    return { sourceId: id.trim(), change: async () => change };
  });
}

/**
 * Queues the delete of a customer inside the host's own open transaction, as
 * {@link enqueueCustomerSaved} does a save: it coalesces as `engine.customerDeleted` does (a pending
 * save is replaced by the delete; the customer is kept only when a create may have reached Fortnox
 * unseen, so the delete can find it), and it commits or rolls back with the host's delete.
 */
export function enqueueCustomerDeleted(
  client: Queryable,
  options: EnqueueCustomerDeletedOptions,
): Promise<OutboxEntry> {
  return enqueueInHostTransaction(client, options, (s) => {
    const { sourceId, tenantId } = options as { sourceId?: unknown; tenantId: string };
    if (!nonEmpty(sourceId)) {
      throw invalid('enqueueCustomerDeleted needs a non-empty string sourceId');
    }
    const id = sourceId.trim();
    return {
      sourceId: id,
      change: async (): Promise<OutboxChange> => {
        // Locked until the host commits: a worker cannot complete the entry between read and write.
        const { rows } = await client.query(
          `SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE tenant_id = $1 AND source_id = $2
           FOR UPDATE`,
          [tenantId, id],
        );
        const queued = rows[0] === undefined ? undefined : readOutboxEntry(rows[0]);
        const reconcileWith = queued?.createAttempted === true ? queued.customer : null;
        return {
          operation: 'delete',
          ...(reconcileWith === null ? {} : { customer: reconcileWith }),
        };
      },
    };
  });
}

const SAVEPOINT = 'fortnox_sync_enqueue';

async function enqueueInHostTransaction(
  client: Queryable,
  options: HostTransactionTarget & { readonly tenantId: string },
  prepare: (schema: string) => { sourceId: string; change: () => Promise<OutboxChange> },
): Promise<OutboxEntry> {
  if (typeof client !== 'object' || client === null || typeof client.query !== 'function') {
    throw invalid('the first argument must be the pg client of the open transaction');
  }
  if (typeof options !== 'object' || options === null) {
    throw invalid('the options ({ tenantId, … }) are missing');
  }
  const schemaName = checkSchemaName(
    options.schema ?? DEFAULT_POSTGRES_STORAGE_OPTIONS.schema,
    'schema',
  );
  const workerSchema = checkSchemaName(
    options.workerSchema ?? `${schemaName}_worker`,
    'workerSchema',
  );
  if (!nonEmpty(options.tenantId)) throw invalid('tenantId must be a non-empty string');
  const s = `"${schemaName}"`;
  const { sourceId, change: readChange } = prepare(s);

  try {
    await client.query(`SAVEPOINT ${SAVEPOINT}`);
  } catch (cause) {
    if (sqlState(cause) === '25P01') {
      throw invalid(
        "the client is not inside a transaction: call it after client.query('BEGIN'), before COMMIT",
        cause,
      );
    }
    throw new StorageError('database', 'Postgres failed to enqueue in the host transaction', {
      store: 'outbox',
      cause,
    });
  }
  try {
    const change = await readChange();
    // Validated before the first write of the change (a customer that is not an object with an id).
    const customer = changeCustomerText(change);
    const entry = await enqueueChangeInHostTransaction(
      client,
      s,
      { schema: schemaName, workerSchema },
      options.tenantId,
      sourceId,
      change,
      customer,
      Date.now(),
    );
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return entry;
  } catch (cause) {
    // Takes back what this call wrote; the host's own writes before it stay, for the host to decide.
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`).catch(() => undefined);
    if (cause instanceof StorageError) throw cause;
    if (sqlState(cause) === '42P01' || sqlState(cause) === '3F000') {
      throw invalid(
        `no fortnox-sync tables in schema ${schemaName} (worker schema ${workerSchema}): create the storage once with createPostgresStorage({ schema: '${schemaName}' }) before enqueueing`,
        cause,
      );
    }
    // Tables without this release's functions or columns: an older release migrated the schema (this
    // path does not migrate; deploy order: a process of this release opens the storage first).
    if (sqlState(cause) === '42883' || sqlState(cause) === '42703') {
      throw invalid(
        `schema ${schemaName} was migrated by an older release of fortnox-sync: open it once with this release's createPostgresStorage({ schema: '${schemaName}' }) (it migrates) before enqueueing`,
        cause,
      );
    }
    throw new StorageError('database', 'Postgres failed to enqueue in the host transaction', {
      store: 'outbox',
      cause,
    });
  }
}

const nonEmpty = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

const invalid = (what: string, cause?: unknown): StorageError =>
  new StorageError('invalid-argument', `fortnox-sync/postgres: ${what}`, {
    store: 'outbox',
    ...(cause === undefined ? {} : { cause }),
  });

const sqlState = (error: unknown): string | undefined =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;
