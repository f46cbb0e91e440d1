import type { StoredCustomer } from './tenant-state.js';

/** The orders Fortnox can sort a customer list in (`sortby`). */
export type CustomerSortKey = 'customernumber' | 'name';

/** Customers sorted ascending by a key; what a list query reads from. */
export type SortedCustomers = {
  /** Every stored customer, ascending by `key`. The array must not be changed. */
  sorted(key: CustomerSortKey): readonly StoredCustomer[];
};

type Compare = (a: StoredCustomer, b: StoredCustomer) => number;

const collator = new Intl.Collator('sv', { numeric: true, sensitivity: 'base' });

const numberOf = (stored: StoredCustomer) => String(stored.record.CustomerNumber);

/** Numeric-aware and case-insensitive; numbers differing only in case fall back to code units. */
const byNumber: Compare = (a, b) => {
  const left = numberOf(a);
  const right = numberOf(b);
  return collator.compare(left, right) || (left < right ? -1 : left > right ? 1 : 0);
};

const byName: Compare = (a, b) =>
  collator.compare(String(a.record.Name), String(b.record.Name)) || byNumber(a, b);

const COMPARE: Readonly<Record<CustomerSortKey, Compare>> = {
  customernumber: byNumber,
  name: byName,
};

/**
 * Sorts ascending by `key`, in Swedish collation (å ä ö after z, case-insensitive) and numeric-aware
 * (customer number 9 before 10); names that compare equal fall back to the customer number, so the
 * order is total.
 */
export function sortCustomers(
  stored: readonly StoredCustomer[],
  key: CustomerSortKey,
): StoredCustomer[] {
  return [...stored].sort(COMPARE[key]);
}

/** First index whose element is not before `item`. */
function lowerBound(view: readonly StoredCustomer[], item: StoredCustomer, compare: Compare) {
  let low = 0;
  let high = view.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const candidate = view[middle];
    if (candidate !== undefined && compare(candidate, item) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Sorted views of a changing set of customers, kept sorted as customers change. */
export type CustomerOrder = SortedCustomers & {
  /** Records a write: `previous` leaves the views, `next` enters them (either may be absent). */
  replace(previous: StoredCustomer | undefined, next: StoredCustomer | undefined): void;
  /** Forgets every view (after clearing the tenant). */
  invalidate(): void;
};

/**
 * Sorts `all()` once per key, then keeps each view sorted with a binary search per write, so paging
 * through a large tenant never sorts again (sorting 100 000 names with a collator takes seconds).
 */
export function createCustomerOrder(all: () => readonly StoredCustomer[]): CustomerOrder {
  const views = new Map<CustomerSortKey, StoredCustomer[]>();
  return {
    sorted(key) {
      let view = views.get(key);
      if (view === undefined) {
        view = sortCustomers(all(), key);
        views.set(key, view);
      }
      return view;
    },
    replace(previous, next) {
      for (const [key, view] of views) {
        const compare = COMPARE[key];
        if (previous !== undefined) {
          const at = lowerBound(view, previous, compare);
          if (view[at] === previous) view.splice(at, 1);
          else views.delete(key); // not where it should be: rebuild on the next read
        }
        if (next !== undefined && views.has(key)) {
          view.splice(lowerBound(view, next, compare), 0, next);
        }
      }
    },
    invalidate: () => views.clear(),
  };
}
