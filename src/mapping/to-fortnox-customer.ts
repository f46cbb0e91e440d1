import { err, ok, type Result } from 'neverthrow';
import {
  API_BLANK,
  type FortnoxCustomerWrite,
  FortnoxCustomerWriteSchema,
  OWNED_CUSTOMER_FIELDS,
  type OwnedCustomerField,
} from '../fortnox/index.js';
import {
  createMappingError,
  createMappingIssue,
  type MappingError,
  type MappingIssue,
} from './mapping-error.js';
import type { MappingWarning } from './mapping-warning.js';
import { normalizeSourceCustomer, normalizeWithWarnings } from './normalize-source-customer.js';
import type { MappingOptions, NormalizedCustomer } from './normalized-customer.js';
import { OWNED_FIELD_SOURCES } from './owned-fields.js';
import { isRecord, type SourceCustomer } from './source-customer-shape.js';

/**
 * Options of {@link toFortnoxCustomer}. Without `transliterate`: a transliterated name must come
 * with its warning, so only {@link mapCustomer} (which returns warnings) takes that option.
 */
export type ToFortnoxCustomerOptions = Omit<MappingOptions, 'transliterate'> & {
  /**
   * The customer as it was last synced to Fortnox: the {@link SourceCustomer} as it was then, or its
   * {@link NormalizedCustomer} (what to store after a sync). When given, the write holds only the
   * owned fields whose normalised value changed, and `API_BLANK` for those cleared since. A previous
   * state that no longer passes validation is treated as unknown: every owned field is sent, empty
   * ones as `API_BLANK`.
   * @defaultValue absent: a full write, as for a create
   */
  readonly previous?: SourceCustomer | NormalizedCustomer;
  /**
   * Without `previous`: send `API_BLANK` for every empty owned field, so that the Fortnox record ends
   * up equal to the source. Off by default: a create or a first link then sends only the fields that
   * have a value and never erases what the bookkeeper entered.
   * @defaultValue false
   */
  readonly clearEmptyFields?: boolean;
};

/** Options of {@link mapCustomer}: those of {@link toFortnoxCustomer} and `transliterate`. */
export type MapCustomerOptions = ToFortnoxCustomerOptions & Pick<MappingOptions, 'transliterate'>;

/** What {@link mapCustomer} made of a source customer. */
export type MappedCustomer = {
  /** The body of the Fortnox create or update, as {@link toFortnoxCustomer} returns it. */
  readonly write: FortnoxCustomerWrite;
  /** Changes a person should check (a transliterated name), in field order; usually empty. */
  readonly warnings: readonly MappingWarning[];
};

/**
 * Maps a source customer to the body of a Fortnox customer create (POST) or update (PUT): owned
 * fields only, normalised, checked against Fortnox's strict write schema. Never writes a field that
 * belongs to the bookkeeper.
 *
 * Letters of other alphabets are rejected (Fortnox error 2000359); the issue says that
 * {@link mapCustomer} can transliterate them. This is `mapCustomer(source, options)` without
 * `transliterate`, keeping only the write.
 *
 * @example
 * const write = toFortnoxCustomer(customer, { previous: lastSynced });
 * if (write.isOk()) await client.customers.update(customerNumber, write.value);
 */
export function toFortnoxCustomer(
  source: SourceCustomer,
  options: ToFortnoxCustomerOptions = {},
): Result<FortnoxCustomerWrite, MappingError> {
  const withoutTransliteration = isRecord(options) ? { ...options, transliterate: false } : {};
  return mapCustomer(source, withoutTransliteration).map(({ write }) => write);
}

/**
 * {@link toFortnoxCustomer} with the warnings a person should see: with `transliterate: true`, a
 * name, street or city in another alphabet is written in Latin letters (`Иван Петров` →
 * `Ivan Petrov`) and reported as a `transliterated` warning, because a name is identity.
 *
 * @example
 * const mapped = mapCustomer(customer, { transliterate: true });
 * if (mapped.isOk()) {
 *   for (const warning of mapped.value.warnings) showToUser(warning.userMessage.sv);
 *   await client.customers.create(mapped.value.write);
 * }
 */
export function mapCustomer(
  source: SourceCustomer,
  options: MapCustomerOptions = {},
): Result<MappedCustomer, MappingError> {
  const resolved: MapCustomerOptions = isRecord(options) ? options : {};
  const mapped = normalizeWithWarnings(source, resolved);
  if (mapped.isErr()) return err(mapped.error);
  const { normalized: current, warnings } = mapped.value;
  const previous = readPrevious(resolved);
  const clearEmpty = previous !== undefined || resolved.clearEmptyFields === true;
  const write: Partial<Record<OwnedCustomerField, string | boolean>> = {};
  for (const field of OWNED_CUSTOMER_FIELDS) {
    const value = current[field];
    if (previous !== 'unknown' && previous !== undefined && previous[field] === value) continue;
    if (value !== null) write[field] = value;
    else if (clearEmpty) write[field] = API_BLANK;
  }
  return checkWrite(write).map((checked) => ({ write: checked, warnings }));
}

/** The previous owned values; `'unknown'` when given but unreadable. */
function readPrevious(
  options: MapCustomerOptions,
): Readonly<Record<string, unknown>> | 'unknown' | undefined {
  const { previous } = options;
  if (previous === undefined) return undefined;
  if (!isRecord(previous)) return 'unknown';
  if ('ExternalReference' in previous && 'Name' in previous) return previous;
  const normalized = normalizeSourceCustomer(previous as SourceCustomer, options);
  return normalized.isOk() ? normalized.value : 'unknown';
}

/** The last guard: the write must pass the strict schema the client sends with. */
function checkWrite(
  write: Readonly<Record<string, unknown>>,
): Result<FortnoxCustomerWrite, MappingError> {
  const checked = FortnoxCustomerWriteSchema.safeParse(write);
  if (checked.success) return ok(checked.data);
  const issues: MappingIssue[] = checked.error.issues.map((issue) => {
    const fortnoxField = issue.path[0];
    const owned = OWNED_CUSTOMER_FIELDS.find((field) => field === fortnoxField);
    return owned === undefined
      ? createMappingIssue('customer', 'rejected-by-fortnox-schema')
      : createMappingIssue(OWNED_FIELD_SOURCES[owned], 'rejected-by-fortnox-schema', {
          fortnoxField: owned,
        });
  });
  const [first, ...rest] = issues;
  return err(
    createMappingError([
      first ?? createMappingIssue('customer', 'rejected-by-fortnox-schema'),
      ...rest,
    ]),
  );
}
