import { z } from 'zod';
import type { SourceCustomer } from '../../mapping/source-customer-shape.js';
import { StorageError } from '../storage-error.js';
import type {
  CustomerLink,
  DecisionRecord,
  OutboxEntry,
  StoredError,
  TenantRecord,
} from '../sync-storage.js';

const JSON_INVALID = Symbol('invalid JSON');

/** A TEXT column holding JSON that must match `schema`. */
function jsonColumn<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.issues.push({ code: 'custom', message: 'not JSON', input: JSON_INVALID });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const epochMs = z.number().int();
const flag = z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1);

const StoredErrorSchema = z.object({
  kind: z.string(),
  code: z.string().optional(),
  message: z.string(),
  userMessage: z.object({ sv: z.string(), en: z.string() }),
  field: z.string().optional(),
});

const TenantRow = z.object({
  tenant_id: z.string(),
  connection: z.enum(['connected', 'needs-reconnect', 'disconnected']),
  reason: jsonColumn(StoredErrorSchema).nullable(),
  updated_at: epochMs,
});

const LinkRow = z.object({
  tenant_id: z.string(),
  source_id: z.string(),
  customer_number: z.string().min(1),
  fingerprint: z.string(),
  origin: z.enum(['created', 'matched', 'decided']),
  synced_at: epochMs,
});

/**
 * The outbox keeps a customer as the host gave it, even one breaking the shape rules (the engine parks
 * it `failed` with the field's reason), so only "an object with a string id" is checked here.
 */
export const StoredCustomerSchema = z.looseObject({ id: z.string() });

const OutboxRow = z
  .object({
    tenant_id: z.string(),
    source_id: z.string(),
    operation: z.enum(['upsert', 'delete']),
    customer: jsonColumn(StoredCustomerSchema).nullable(),
    version: z.number().int().positive(),
    state: z.enum(['pending', 'failed', 'needs-decision']),
    attempts: z.number().int().nonnegative(),
    not_before: epochMs,
    create_attempted: flag,
    create_attempted_at: epochMs.nullable(),
    last_error: jsonColumn(StoredErrorSchema).nullable(),
    skip_matching: flag,
    enqueued_at: epochMs,
    updated_at: epochMs,
  })
  // A delete may carry the customer too (to reconcile a create that may have reached Fortnox).
  .refine((row) => row.operation === 'delete' || row.customer !== null, {
    message: 'an upsert carries a customer',
    path: ['customer'],
  });

const CandidateSchema = z.object({
  customerNumber: z.string(),
  score: z.number(),
  evidence: z.record(z.string(), z.string()),
});

const ResolutionSchema = z.union([
  z.strictObject({ use: z.string().min(1) }),
  z.strictObject({ createNew: z.literal(true) }),
]);

const DecisionRow = z.object({
  tenant_id: z.string(),
  source_id: z.string(),
  candidates: jsonColumn(z.array(CandidateSchema)),
  asked_at: epochMs,
  resolution: jsonColumn(ResolutionSchema).nullable(),
  resolved_at: epochMs.nullable(),
  resolved_by: z.string().nullable(),
});

const CheckpointRow = z.object({ value: jsonColumn(z.unknown()) });

function read<T extends z.ZodType>(
  schema: T,
  row: unknown,
  store: string,
  key: string,
): z.output<T> {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  // Paths and codes only: the row's values may be personal data.
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.code}`)
    .join(', ');
  throw new StorageError(
    'corrupt-row',
    `A stored ${store} row (${key}) is unreadable: ${problems}`,
    { store, cause: parsed.error },
  );
}

/** Validates a `tenants` row. */
export function readTenant(row: unknown): TenantRecord {
  const value = read(TenantRow, row, 'tenants', keyOf(row, 'tenant_id'));
  return {
    tenantId: value.tenant_id,
    connection: value.connection,
    reason: value.reason as StoredError | null,
    updatedAt: value.updated_at,
  };
}

/** Validates a `links` row. */
export function readLink(row: unknown): CustomerLink {
  const value = read(LinkRow, row, 'links', keyOf(row, 'tenant_id', 'source_id'));
  return {
    tenantId: value.tenant_id,
    sourceId: value.source_id,
    customerNumber: value.customer_number,
    fingerprint: value.fingerprint,
    origin: value.origin,
    syncedAt: value.synced_at,
  };
}

/** Validates an `outbox` row. */
export function readOutboxEntry(row: unknown): OutboxEntry {
  const value = read(OutboxRow, row, 'outbox', keyOf(row, 'tenant_id', 'source_id'));
  return {
    tenantId: value.tenant_id,
    sourceId: value.source_id,
    operation: value.operation,
    customer: value.customer as SourceCustomer | null,
    version: value.version,
    state: value.state,
    attempts: value.attempts,
    notBefore: value.not_before,
    createAttempted: value.create_attempted,
    // The flag decides, not refused as damaged: a process of an older release still running on the
    // migrated schema writes the flag without the moment (the engine then waits from `updatedAt`)
    // and clears it leaving the moment behind (no attempt, so no moment).
    createAttemptedAt: value.create_attempted ? value.create_attempted_at : null,
    lastError: value.last_error as StoredError | null,
    skipMatching: value.skip_matching,
    enqueuedAt: value.enqueued_at,
    updatedAt: value.updated_at,
  };
}

/** Validates a `decisions` row. */
export function readDecision(row: unknown): DecisionRecord {
  const value = read(DecisionRow, row, 'decisions', keyOf(row, 'tenant_id', 'source_id'));
  return {
    tenantId: value.tenant_id,
    sourceId: value.source_id,
    candidates: value.candidates,
    askedAt: value.asked_at,
    resolution: value.resolution,
    resolvedAt: value.resolved_at,
    resolvedBy: value.resolved_by,
  };
}

/** Validates a `checkpoints` row and returns its value. */
export function readCheckpoint(row: unknown, tenantId: string, key: string): unknown {
  return read(CheckpointRow, row, 'checkpoints', `tenant ${tenantId}, key ${key}`).value;
}

/** A stored error as JSON text (or `null`). */
export function storedErrorText(error: StoredError | null | undefined): string | null {
  return error == null ? null : JSON.stringify(StoredErrorSchema.parse(error));
}

function keyOf(row: unknown, ...columns: string[]): string {
  const record = (row ?? {}) as Record<string, unknown>;
  return columns
    .map((column) => `${column.replace('_id', '')} ${String(record[column])}`)
    .join(', ');
}
