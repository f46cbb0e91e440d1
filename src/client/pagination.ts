import type { ResultAsync } from 'neverthrow';
import { err, ok, type Result } from 'neverthrow';
import type { FortnoxCustomerListItem } from '../fortnox/index.js';
import type { FortnoxError } from './errors.js';

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

/**
 * Every page, in order, as `Result`s: each successful page is `ok(page)`; a failure is yielded once
 * as `err(error)` and ends the iteration. Stops after the last page, also when `@TotalPages` is 0.
 */
export async function* iteratePages(
  fetchPage: (page: number) => ResultAsync<CustomerPage, FortnoxError>,
): AsyncGenerator<Result<CustomerPage, FortnoxError>, void, undefined> {
  for (let page = 1; ; page += 1) {
    const result = await fetchPage(page);
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
