import type { Result } from 'neverthrow';
import type {
  CustomerPage,
  CustomerPagesQuery,
  FortnoxClient,
  FortnoxError,
} from '../client/index.js';
import type { FortnoxCustomerListItem } from '../fortnox/index.js';
import { classifyFortnoxError } from './classify-error.js';
import { SyncEngineError } from './sync-engine-error.js';

/** A Fortnox customer as the inventory knows it: its list item and whether it is active. */
export type InventoryEntry = {
  readonly item: FortnoxCustomerListItem;
  /** Learnt from which filter's pages it came: list items carry no `Active`. */
  readonly active: boolean;
};

/** Every Fortnox customer of a tenant, by customer number, and what reading them cost. */
export type Inventory = {
  readonly customers: ReadonlyMap<string, InventoryEntry>;
  /** List requests sent (one per page of 500). */
  readonly pages: number;
};

/** A client failure as the engine's error (kind `fortnox`), with the classified words for a person. */
export function fortnoxFailure(error: FortnoxError): SyncEngineError {
  const { error: stored } = classifyFortnoxError(error);
  return new SyncEngineError({
    kind: 'fortnox',
    message: `Fortnox request failed (${error.kind}${stored.code === undefined ? '' : ` ${stored.code}`}): ${error.message}`,
    userMessage: stored.userMessage,
    cause: error,
  });
}

/**
 * Walks every page of one list query (500 per page), calling `onItem` per item; returns the pages
 * read. A failure throws a `fortnox` {@link SyncEngineError}.
 */
export async function walkPages(
  client: FortnoxClient,
  query: CustomerPagesQuery,
  onItem: (item: FortnoxCustomerListItem) => void,
  signal?: AbortSignal,
): Promise<number> {
  let pages = 0;
  for await (const page of client.customers.pages(query, signal === undefined ? {} : { signal })) {
    pages += 1;
    if (page.isErr()) throw fortnoxFailure(page.error);
    for (const item of page.value.customers) onItem(item);
  }
  return pages;
}

/** How far the inventory has come: pages read of the pages of both filters. */
export type InventoryPageProgress = {
  readonly pagesRead: number;
  readonly totalPages: number;
};

/** The next page of a walk, or `undefined` after the last; a failure throws. */
async function nextPage(
  walk: AsyncIterator<Result<CustomerPage, FortnoxError>>,
): Promise<CustomerPage | undefined> {
  const next = await walk.next();
  if (next.done === true) return undefined;
  if (next.value.isErr()) throw fortnoxFailure(next.value.error);
  return next.value.value;
}

/**
 * Reads the whole register at the minimum: the `filter=active` pages, then the `filter=inactive`
 * pages — ⌈A/500⌉ + ⌈I/500⌉ requests (at least one each). One unfiltered walk would cost ⌈F/500⌉,
 * at most one page less, but list items carry no `Active`: without the second filter the sync could
 * not know it short of one GET per customer.
 *
 * `onPage` hears after every page how many pages are read of how many. The first page of each
 * filter is read before the rest, so that the total of both is known from the first report on (a
 * page of the inactive filter comes second; the register's order is kept all the same).
 */
export async function readInventory(
  client: FortnoxClient,
  onPage?: (progress: InventoryPageProgress) => void,
  signal?: AbortSignal,
): Promise<Inventory> {
  const call = signal === undefined ? {} : { signal };
  const customers = new Map<string, InventoryEntry>();
  const walks = (['active', 'inactive'] as const).map((filter) => ({
    active: filter === 'active',
    pages: client.customers.pages({ filter }, call)[Symbol.asyncIterator](),
  }));
  let pagesRead = 0;
  let totalPages = 0;
  const report = () => onPage?.({ pagesRead, totalPages: Math.max(totalPages, pagesRead) });
  // A walk always yields its first page (Fortnox answers page 1 even when nothing matches).
  const firsts: (CustomerPage | undefined)[] = [];
  for (const walk of walks) {
    const first = await nextPage(walk.pages);
    firsts.push(first);
    totalPages += Math.max(first?.totalPages ?? 0, 1);
  }
  for (const _ of firsts) {
    pagesRead += 1;
    report();
  }
  for (const [index, walk] of walks.entries()) {
    let page = firsts[index];
    while (page !== undefined) {
      for (const item of page.customers) {
        customers.set(item.CustomerNumber, { item, active: walk.active });
      }
      page = await nextPage(walk.pages);
      if (page !== undefined) {
        pagesRead += 1;
        report();
      }
    }
  }
  return { customers, pages: pagesRead };
}
