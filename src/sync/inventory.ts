import type { CustomerPagesQuery, FortnoxClient, FortnoxError } from '../client/index.js';
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

/**
 * Reads the whole register at the minimum: the `filter=active` pages, then the `filter=inactive`
 * pages — ⌈A/500⌉ + ⌈I/500⌉ requests (at least one each). One unfiltered walk would cost ⌈F/500⌉,
 * at most one page less, but list items carry no `Active`: without the second filter the sync could
 * not know it short of one GET per customer.
 */
export async function readInventory(
  client: FortnoxClient,
  onPage?: (pages: number) => void,
  signal?: AbortSignal,
): Promise<Inventory> {
  const customers = new Map<string, InventoryEntry>();
  let pages = 0;
  for (const filter of ['active', 'inactive'] as const) {
    pages += await walkPages(
      client,
      { filter },
      (item) => customers.set(item.CustomerNumber, { item, active: filter === 'active' }),
      signal,
    );
    onPage?.(pages);
  }
  return { customers, pages };
}
