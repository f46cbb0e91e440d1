import type { CustomerIndex } from './customer-index.js';
import type { ResolveResult } from './duplicate-decision.js';
import { createDuplicateWarning } from './duplicate-warning.js';
import type { ResolvableCustomer } from './resolvable-customer.js';

function linkedNumber({ decision }: ResolveResult): string | undefined {
  return decision.kind === 'link' || decision.kind === 'update-existing'
    ? decision.customerNumber
    : undefined;
}

/**
 * Resolves many source customers with any `resolve` function, in order, and adds a
 * `shared-target` warning where several of them link to the same Fortnox customer. The default
 * resolver's `resolveAll` is this; use it for a resolver you write or wrap, so batches go through
 * your `resolve` too.
 *
 * @example
 * const base = createDuplicateResolver();
 * const resolve = (source, index) => (isVip(source) ? { decision: { kind: 'create' }, warnings: [] } : base.resolve(source, index));
 * const resolver = { resolve, resolveAll: (sources, index) => resolveAllWith(resolve, sources, index) };
 */
export function resolveAllWith(
  resolve: (source: ResolvableCustomer, index: CustomerIndex) => ResolveResult,
  sources: Iterable<ResolvableCustomer>,
  index: CustomerIndex,
): ResolveResult[] {
  const results = Array.from(sources, (source) => resolve(source, index));
  const linksPerTarget = new Map<string, number>();
  for (const result of results) {
    const number = linkedNumber(result);
    if (number !== undefined) linksPerTarget.set(number, (linksPerTarget.get(number) ?? 0) + 1);
  }
  return results.map((result) => {
    const number = linkedNumber(result);
    if (number === undefined || (linksPerTarget.get(number) ?? 0) < 2) return result;
    const warning = createDuplicateWarning('shared-target', [number]);
    return { decision: result.decision, warnings: [...result.warnings, warning] };
  });
}
