import type { ResultAsync } from 'neverthrow';
import type { FortnoxError } from '../client/index.js';
import type { DuplicateCandidate } from '../duplicates/index.js';
import type { FortnoxCustomer } from '../fortnox/index.js';
import { fingerprint, type MappingError, normalizeFortnoxCustomer } from '../mapping/index.js';
import { isStorageError } from '../storage/storage-error.js';
import type {
  CustomerLink,
  EpochMs,
  LinkOrigin,
  OutboxEntry,
  StoredCandidate,
  StoredError,
} from '../storage/sync-storage.js';
import type { EngineCore } from './engine-core.js';
import { callHost } from './host-callback.js';

/** What became of one delivery of an outbox entry. */
export type Delivered =
  | { readonly kind: 'synced'; readonly customerNumber: string }
  | { readonly kind: 'deleted'; readonly customerNumber: string | null }
  | { readonly kind: 'needs-decision'; readonly candidates: readonly StoredCandidate[] }
  /** Not now: an attempted create may still land in Fortnox (see `createSettleMs`); run again then. */
  | { readonly kind: 'deferred'; readonly deferUntil: EpochMs };

/** Fortnox refused or did not answer a call; classified by the pipeline. */
export class ClientFailure extends Error {
  override readonly name = 'ClientFailure';
  constructor(readonly error: FortnoxError) {
    super(error.message);
  }
}

/** The customer cannot be mapped to what Fortnox accepts: parked `failed` with the field's reason. */
export class MappingFailure extends Error {
  override readonly name = 'MappingFailure';
  constructor(readonly error: MappingError) {
    super('The customer cannot be mapped to Fortnox.');
  }
}

/** The Fortnox customer is linked to another source customer of the tenant (storage said `link-conflict`). */
export class LinkTaken extends Error {
  override readonly name = 'LinkTaken';
  constructor(readonly customerNumber: string) {
    super('The Fortnox customer is already linked to another source customer.');
  }
}

/** A refusal the engine itself decides (not Fortnox, not the mapping): parked `failed` with `error`. */
export class ParkedFailure extends Error {
  override readonly name = 'ParkedFailure';
  constructor(readonly error: StoredError) {
    super(error.message);
  }
}

/** Whether storage refused a link because another source id holds the customer number. */
export const isLinkConflict = (error: unknown): boolean =>
  isStorageError(error) && error.code === 'link-conflict';

/** The value of a client call, or a thrown {@link ClientFailure}. */
export async function call<T>(result: ResultAsync<T, FortnoxError>): Promise<T> {
  const settled = await result;
  if (settled.isErr()) throw new ClientFailure(settled.error);
  return settled.value;
}

/** The link to store after a write or read of `record`: its owned values' fingerprint, not the data. */
export const linkOf = (
  core: EngineCore,
  entry: OutboxEntry,
  record: FortnoxCustomer,
  origin: LinkOrigin,
): CustomerLink => ({
  tenantId: entry.tenantId,
  sourceId: entry.sourceId,
  customerNumber: record.CustomerNumber,
  fingerprint: fingerprint(normalizeFortnoxCustomer(record)),
  origin,
  syncedAt: core.now(),
});

/** Tells the host of a new link; a host that fails to store it does not undo the sync (an event says so). */
export async function tellLinked(
  core: EngineCore,
  entry: OutboxEntry,
  customerNumber: string,
): Promise<void> {
  const source = core.source;
  if (source?.linked === undefined) return;
  await callHost(core, entry.tenantId, entry.sourceId, 'linked', () =>
    source.linked?.(entry.tenantId, entry.sourceId, customerNumber),
  );
}

/** A resolver candidate as storage keeps it: number, score and how each field compared. */
export const storedCandidate = (candidate: DuplicateCandidate): StoredCandidate => ({
  customerNumber: candidate.customerNumber,
  score: Math.round(candidate.score * 100) / 100,
  evidence: Object.fromEntries(
    candidate.evidence.fields.map((field) => [field.field, field.level]),
  ),
});
