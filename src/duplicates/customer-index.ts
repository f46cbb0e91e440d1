import {
  type FortnoxCustomer,
  OWNED_CUSTOMER_FIELDS,
  type OwnedCustomerField,
} from '../fortnox/index.js';
import { completeness } from '../mapping/index.js';
import { blockingKeys, externalReferenceKey } from './blocking-keys.js';
import { type CustomerFeatures, type CustomerKind, extractFeatures } from './customer-features.js';

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
  /** Blocking keys, plus `x:` + ExternalReference when it is known. */
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
  /** The entries that share a blocking key. */
  block(key: string): readonly IndexedCustomer[];
  /**
   * How many customers' names hold a folded name token (`'andersson'`): tells common names, which
   * agree by chance and weigh less, from rare ones, and another real name from a typo.
   */
  nameTokenCount(token: string): number;
};

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
  const values: { -readonly [F in IndexedField]?: string | null } = {};
  for (const field of INDEXED_FIELDS) {
    const value = textOf(customer[field]);
    if (value !== undefined) values[field] = value;
  }
  const phone = textOf(customer.Phone);
  if (values.Phone1 === undefined && phone !== undefined) values.Phone1 = phone;
  const type = values.Type?.trim().toUpperCase();
  // Only Fortnox's two types are kept: an unknown one tells nothing.
  if (type === 'PRIVATE' || type === 'COMPANY') return { ...values, Type: type };
  const { Type: _ignored, ...rest } = values;
  return rest;
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
  const keys = blockingKeys(features);
  const reference = values.ExternalReference?.trim();
  if (reference) keys.push(externalReferenceKey(reference));
  return {
    customerNumber,
    values,
    features,
    keys,
    completeness: completeness(values).filled.length,
  };
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
  // Most keys belong to one customer: such a block is the entry itself, not a one-element array.
  const blocks = new Map<string, IndexedCustomer | IndexedCustomer[]>();

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

  const unfile = (entry: IndexedCustomer) => {
    countTokens(entry, -1);
    for (const key of entry.keys) {
      const block = blocks.get(key);
      if (block === entry) blocks.delete(key);
      if (!Array.isArray(block)) continue;
      const rest = block.filter((member) => member !== entry);
      blocks.set(key, rest.length === 1 ? rest[0]! : rest);
    }
  };
  const file = (entry: IndexedCustomer) => {
    const previous = entries.get(entry.customerNumber);
    if (previous !== undefined) unfile(previous);
    entries.set(entry.customerNumber, entry);
    countTokens(entry, 1);
    for (const key of entry.keys) {
      const block = blocks.get(key);
      if (block === undefined) blocks.set(key, entry);
      else if (Array.isArray(block)) block.push(entry);
      else blocks.set(key, [block, entry]);
    }
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
      const block = blocks.get(key);
      if (block === undefined) return EMPTY;
      return Array.isArray(block) ? block : [block];
    },
    nameTokenCount: (token) => tokenCounts.get(token) ?? 0,
  };
  for (const customer of customers) index.add(customer);
  return index;
}
