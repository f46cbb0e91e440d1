import type { ResultAsync } from 'neverthrow';
import { err, ok, type Result } from 'neverthrow';
import type { FortnoxCustomerListItem } from '../fortnox/index.js';
import type { FortnoxError } from './errors.js';
import type { CallOptions } from './request-pipeline.js';

/** One page of `GET /3/customers`. */
export type CustomerPage = {
  /** The list items of this page. */
  readonly customers: readonly FortnoxCustomerListItem[];
  /** Matching customers in all pages. */
  readonly totalResources: number;
  /** Pages in all (0 when nothing matched). */
  readonly totalPages: number;
  /** This page's number (1-based). */
  readonly currentPage: number;
};

/** How far a walk over every page has come, after each page. */
export type ListProgress = {
  /** Pages read so far (the page just read is `pagesRead`). */
  readonly pagesRead: number;
  /** Pages in all, as Fortnox counted them at the first page (`@TotalPages`). */
  readonly totalPages: number;
  /** List items read so far. */
  readonly itemsRead: number;
  /** Matching customers in all (`@TotalResources`). */
  readonly totalItems: number;
};

/** Options of a walk over every page (`pages`, `all`, `listAll`): a call's options plus progress. */
export type ListCallOptions = CallOptions & {
  /**
   * Called after every page read, with how far the walk has come (e.g. for a progress bar). A
   * throwing callback is ignored: it never breaks the walk.
   * @example
   * await client.customers.listAll({}, {
   *   onProgress: ({ pagesRead, totalPages }) => console.log(`page ${pagesRead}/${totalPages}`),
   * });
   */
  readonly onProgress?: (progress: ListProgress) => void;
};

/**
 * Every page, in order, as `Result`s: each successful page is `ok(page)`; a failure is yielded once
 * as `err(error)` and ends the iteration. Stops after the last page, also when `@TotalPages` is 0.
 */
export async function* iteratePages(
  fetchPage: (page: number) => ResultAsync<CustomerPage, FortnoxError>,
  onProgress?: (progress: ListProgress) => void,
): AsyncGenerator<Result<CustomerPage, FortnoxError>, void, undefined> {
  let itemsRead = 0;
  for (let page = 1; ; page += 1) {
    const result = await fetchPage(page);
    if (result.isOk() && onProgress !== undefined) {
      itemsRead += result.value.customers.length;
      const { totalPages, totalResources } = result.value;
      try {
        onProgress({
          pagesRead: page,
          totalPages: Math.max(totalPages, page),
          itemsRead,
          totalItems: Math.max(totalResources, itemsRead),
        });
      } catch {
        // A broken progress callback must not break the read it reports on.
      }
    }
    yield result;
    if (result.isErr()) return;
    const { totalPages, customers } = result.value;
    // An empty page ends the walk too, so a miscounting server cannot loop us forever.
    if (page >= totalPages || customers.length === 0) return;
  }
}

/** Every item of every page as `ok(item)`; a failure is yielded once as `err(error)` and ends it. */
export async function* iterateItems(
  pages: AsyncIterable<Result<CustomerPage, FortnoxError>>,
): AsyncGenerator<Result<FortnoxCustomerListItem, FortnoxError>, void, undefined> {
  for await (const page of pages) {
    if (page.isErr()) {
      yield err(page.error);
      return;
    }
    for (const customer of page.value.customers) yield ok(customer);
  }
}

/** Collects every item, or the first error. */
export async function collectItems(
  items: AsyncIterable<Result<FortnoxCustomerListItem, FortnoxError>>,
): Promise<Result<FortnoxCustomerListItem[], FortnoxError>> {
  const collected: FortnoxCustomerListItem[] = [];
  for await (const item of items) {
    if (item.isErr()) return err(item.error);
    collected.push(item.value);
  }
  return ok(collected);
}
