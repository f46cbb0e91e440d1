import {
  type FortnoxCustomer,
  OWNED_CUSTOMER_FIELDS,
  type OwnedCustomerField,
} from '../fortnox/index.js';
import { completeness } from '../mapping/index.js';
import {
  blockingKeyHashes,
  blockingKeys,
  externalReferenceKey,
  hashBlockingKey,
} from './blocking-keys.js';
import { type CustomerFeatures, type CustomerKind, extractFeatures } from './customer-features.js';
import type { NameTokenCount } from './household-rule.js';
import type { NameFrequencies } from './name-frequency.js';

/** A Fortnox field the index keeps: every owned field but `Active`, which tells nobody apart. */
export type IndexedField = Exclude<OwnedCustomerField, 'Active'>;

/** Fortnox fields the index keeps of each customer (the owned fields but `Active`). */
export const INDEXED_FIELDS: readonly IndexedField[] = OWNED_CUSTOMER_FIELDS.filter(
  (field): field is IndexedField => field !== 'Active',
);

/**
 * What the index accepts: a full Fortnox customer record or a list item (`Phone` is read as
 * `Phone1`). A field that is absent is unknown; `null` or `""` is known to be empty.
 */
export type IndexableCustomer = { readonly CustomerNumber: string } & Partial<
  Pick<FortnoxCustomer, IndexedField>
> & { readonly Phone?: string | null };

/** An index entry: the values, their features and blocking keys, computed once. */
export type IndexedCustomer = {
  /** The Fortnox customer's number. */
  readonly customerNumber: string;
  /** Known values; a field that is absent was not in the inventory (list items lack some). */
  readonly values: { readonly [F in IndexedField]?: FortnoxCustomer[F] };
  /** The normalised values the resolver compares. */
  readonly features: CustomerFeatures;
  /** Blocking keys, plus `x:` + ExternalReference when it is known (computed when read). */
  readonly keys: readonly string[];
  /** How many informative owned fields are filled (mapping's `completeness`): the more complete wins ties. */
  readonly completeness: number;
};

/** An index of Fortnox customers for duplicate resolution, updated as Fortnox changes. */
export type CustomerIndex = {
  /** Number of customers in the index. */
  readonly size: number;
  /** Adds a customer, replacing any entry with the same customer number. */
  add(customer: IndexableCustomer): void;
  /** Merges newer values into a customer's entry (adds it when absent); absent fields are kept. */
  update(customer: IndexableCustomer): void;
  /** Removes a customer; `false` when it was not in the index. */
  remove(customerNumber: string): boolean;
  /** The entry of a customer number. */
  get(customerNumber: string): IndexedCustomer | undefined;
  /** Every entry, in insertion order. */
  values(): IterableIterator<IndexedCustomer>;
  /**
   * The entries filed under a blocking key (see `IndexedCustomer.keys`). Keys are filed by a
   * 30-bit hash, so now and then a block also holds a customer of another key; the `x:` keys of
   * ExternalReference are filed exactly.
   */
  block(key: string): readonly IndexedCustomer[];
};

/** A block: most keys belong to one customer, kept as the entry itself rather than an array. */
export type Block = IndexedCustomer | IndexedCustomer[];

/** What the resolver reads of an index built by {@link createCustomerIndex}, beyond its type. */
export type IndexInternals = {
  /** The block of a hashed blocking key. */
  blockOf(hash: number): Block | undefined;
  /**
   * How many customers' names hold a folded name token (`'andersson'`): tells common names, which
   * agree by chance and weigh less, from rare ones, and another real name from a typo.
   */
  nameTokenCount(token: string): number;
};

const internals = new WeakMap<CustomerIndex, IndexInternals>();

/** The internals of an index made by {@link createCustomerIndex}; `undefined` for another one. */
export function internalsOf(index: CustomerIndex): IndexInternals | undefined {
  return internals.get(index);
}

const NO_COUNTS: NameTokenCount = () => 0;

/** How common each name token is in the index (no counts for an index made otherwise). */
export function nameTokenCountOf(index: CustomerIndex): NameTokenCount {
  return internals.get(index)?.nameTokenCount ?? NO_COUNTS;
}

/** The name frequencies of the index, for frequency-aware name weights. */
export function nameFrequenciesOf(index: CustomerIndex): NameFrequencies | undefined {
  const inner = internals.get(index);
  return inner === undefined ? undefined : { count: inner.nameTokenCount, total: index.size };
}

/** Options of {@link createCustomerIndex}. */
export type CustomerIndexOptions = {
  /**
   * The moment 10-digit personnummer are read at (decides their century).
   * @defaultValue the current time
   */
  readonly now?: Date;
};

const EMPTY: readonly IndexedCustomer[] = [];

/** A field value read defensively: text (numbers as text) or `null`; anything else is unknown. */
function textOf(value: unknown): string | null | undefined {
  if (typeof value === 'string' || value === null) return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function valuesOf(customer: IndexableCustomer): IndexedCustomer['values'] {
  const values: { -readonly [F in IndexedField]?: IndexedCustomer['values'][F] } = {};
  const texts = values as Partial<Record<IndexedField, string | null>>;
  for (const field of INDEXED_FIELDS) {
    // Only Fortnox's two types are kept: an unknown one tells nothing.
    if (field === 'Type') continue;
    const value = textOf(customer[field]);
    if (value !== undefined) texts[field] = value;
  }
  const phone = textOf(customer.Phone);
  if (values.Phone1 === undefined && phone !== undefined) values.Phone1 = phone;
  const type = textOf(customer.Type)?.trim().toUpperCase();
  if (type === 'PRIVATE' || type === 'COMPANY') values.Type = type;
  return values;
}

function kindOf(type: IndexedCustomer['values']['Type']): CustomerKind | undefined {
  if (type === 'COMPANY') return 'company';
  if (type === 'PRIVATE') return 'private';
  return undefined;
}

function entryOf(
  customerNumber: string,
  values: IndexedCustomer['values'],
  now: Date | undefined,
): IndexedCustomer {
  const features = extractFeatures(
    {
      kind: kindOf(values.Type),
      name: values.Name,
      email: values.Email,
      phone: values.Phone1,
      street: values.Address1,
      postalCode: values.ZipCode,
      city: values.City,
      countryCode: values.CountryCode,
      identityNumber: values.OrganisationNumber,
    },
    now,
  );
  return new Entry(customerNumber, values, features, completeness(values).filled.length);
}

/** An index entry; its text keys are computed when asked for (the index files hashes). */
class Entry implements IndexedCustomer {
  constructor(
    readonly customerNumber: string,
    readonly values: IndexedCustomer['values'],
    readonly features: CustomerFeatures,
    readonly completeness: number,
  ) {}

  get keys(): readonly string[] {
    const keys = blockingKeys(this.features);
    const reference = referenceOf(this);
    if (reference !== undefined) keys.push(reference);
    return keys;
  }
}

function referenceOf(entry: IndexedCustomer): string | undefined {
  const reference = entry.values.ExternalReference?.trim();
  return reference ? externalReferenceKey(reference) : undefined;
}

function customerNumberOf(customer: IndexableCustomer): string {
  const number = customer?.CustomerNumber;
  if (typeof number !== 'string' || number.trim() === '') {
    throw new TypeError(
      'fortnox-sync: every indexed customer needs a CustomerNumber, e.g. index.add({ CustomerNumber: "1001", Name: "…" })',
    );
  }
  return number.trim();
}

/**
 * Builds an index of Fortnox customers (list items and/or full records from the inventory):
 * every customer is normalised once and filed under its blocking keys.
 *
 * @example
 * const index = createCustomerIndex(await client.customers.all().unwrapOr([]));
 * index.update(changedCustomer);
 */
export function createCustomerIndex(
  customers: Iterable<IndexableCustomer> = [],
  options: CustomerIndexOptions = {},
): CustomerIndex {
  const entries = new Map<string, IndexedCustomer>();
  const blocks = new Map<number, Block>();
  // ExternalReference decides a link on its own: filed by its exact text, never by a hash.
  const references = new Map<string, Block>();

  const tokenCounts = new Map<string, number>();
  const countTokens = (entry: IndexedCustomer, delta: 1 | -1) => {
    const tokens = entry.features.personNameTokens;
    for (let k = 0; k < tokens.length; k++) {
      const token = tokens[k]!;
      // A token written twice in one name ("Anna Anna") counts once.
      if (tokens.indexOf(token) !== k) continue;
      const count = (tokenCounts.get(token) ?? 0) + delta;
      if (count === 0) tokenCounts.delete(token);
      else tokenCounts.set(token, count);
    }
  };

  const removeFrom = <K>(map: Map<K, Block>, key: K, entry: IndexedCustomer) => {
    const block = map.get(key);
    if (block === entry) map.delete(key);
    if (!Array.isArray(block)) return;
    const rest = block.filter((member) => member !== entry);
    map.set(key, rest.length === 1 ? rest[0]! : rest);
  };
  const addTo = <K>(map: Map<K, Block>, key: K, entry: IndexedCustomer) => {
    const block = map.get(key);
    if (block === undefined) map.set(key, entry);
    else if (Array.isArray(block)) block.push(entry);
    else map.set(key, [block, entry]);
  };

  const unfile = (entry: IndexedCustomer) => {
    countTokens(entry, -1);
    // The keys are recomputed from the features: the same features give the same keys.
    for (const hash of blockingKeyHashes(entry.features).hashes) removeFrom(blocks, hash, entry);
    const reference = referenceOf(entry);
    if (reference !== undefined) removeFrom(references, reference, entry);
  };
  const file = (entry: IndexedCustomer) => {
    const previous = entries.get(entry.customerNumber);
    if (previous !== undefined) unfile(previous);
    entries.set(entry.customerNumber, entry);
    countTokens(entry, 1);
    for (const hash of blockingKeyHashes(entry.features).hashes) addTo(blocks, hash, entry);
    const reference = referenceOf(entry);
    if (reference !== undefined) addTo(references, reference, entry);
  };

  const index: CustomerIndex = {
    get size() {
      return entries.size;
    },
    add(customer) {
      const number = customerNumberOf(customer);
      file(entryOf(number, valuesOf(customer), options.now));
    },
    update(customer) {
      const number = customerNumberOf(customer);
      const merged = { ...entries.get(number)?.values, ...valuesOf(customer) };
      file(entryOf(number, merged, options.now));
    },
    remove(customerNumber) {
      const entry = entries.get(customerNumber);
      if (entry === undefined) return false;
      unfile(entry);
      entries.delete(customerNumber);
      return true;
    },
    get: (customerNumber) => entries.get(customerNumber),
    values: () => entries.values(),
    block(key) {
      const block = key.startsWith('x:') ? references.get(key) : blocks.get(hashBlockingKey(key));
      if (block === undefined) return EMPTY;
      return Array.isArray(block) ? block : [block];
    },
  };
  internals.set(index, {
    blockOf: (hash) => blocks.get(hash),
    nameTokenCount: (token) => tokenCounts.get(token) ?? 0,
  });
  for (const customer of customers) index.add(customer);
  return index;
}
