import type { CustomerIndex } from './customer-index.js';
import type { ResolveResult } from './duplicate-decision.js';
import type { ResolvableCustomer } from './resolvable-customer.js';

/**
 * Decides who a source customer already is in Fortnox. Pluggable: pass your own to the sync
 * engine, or wrap the one {@link createDuplicateResolver} builds.
 */
export type DuplicateResolver = {
  /** Resolves one source customer against the index (pure, synchronous). */
  resolve(source: ResolvableCustomer, index: CustomerIndex): ResolveResult;
  /**
   * Resolves many source customers, in order; warns `shared-target` where several of them link to
   * the same Fortnox customer (`resolveAllWith` implements this for any `resolve`).
   */
  resolveAll(sources: Iterable<ResolvableCustomer>, index: CustomerIndex): ResolveResult[];
};
