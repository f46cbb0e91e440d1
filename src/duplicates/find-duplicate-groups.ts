import { compareFeatures } from './compare-features.js';
import type { CustomerKind } from './customer-features.js';
import {
  type CustomerIndex,
  createCustomerIndex,
  type IndexableCustomer,
  type IndexedCustomer,
  nameFrequenciesOf,
  nameTokenCountOf,
} from './customer-index.js';
import { type DuplicateOptions, normalizeDuplicateOptions } from './duplicate-options.js';
import { autoLinkReason, type LinkReason } from './link-rules.js';
import {
  compareCustomerNumbers,
  compareSurvivorship,
  searchCandidates,
} from './match-candidates.js';
import { createWeightTable, type MatchEvidence, type WeightTable } from './score-match.js';
import { createUnionFind } from './union-find.js';

/** Two Fortnox customers that are the same customer, and why. */
export type DuplicatePair = {
  /** The two customer numbers, lower first. */
  readonly customerNumbers: readonly [string, string];
  readonly reason: Exclude<LinkReason, 'external-reference'>;
  readonly evidence: MatchEvidence;
};

/** Fortnox customers that are likely one customer, with the evidence that ties them. */
export type DuplicateGroup = {
  /** Every customer number of the group, in customer-number order. */
  readonly customerNumbers: readonly string[];
  /** The one to keep: the most complete, then the lowest customer number. */
  readonly survivor: string;
  /** The strong matches that joined the group (a group of n has at least n − 1). */
  readonly pairs: readonly DuplicatePair[];
};

/** A strong match between the entries at two ordinals, lower customer number first. */
type Edge = DuplicatePair & { readonly first: number; readonly second: number };

const IDENTITY_REASONS: readonly LinkReason[] = ['organisation-number', 'personal-identity-number'];

/** Identity-number matches first, then the best score, then customer numbers: a fixed order. */
function compareEdges(a: Edge, b: Edge): number {
  const rank = (edge: Edge) => (IDENTITY_REASONS.includes(edge.reason) ? 0 : 1);
  return (
    rank(a) - rank(b) ||
    b.evidence.score - a.evidence.score ||
    comparePairs(a.customerNumbers, b.customerNumbers)
  );
}

function comparePairs(a: readonly [string, string], b: readonly [string, string]): number {
  return compareCustomerNumbers(a[0], b[0]) || compareCustomerNumbers(a[1], b[1]);
}

/** The strong pair of two entries, judged from the lower customer number's side (order-free). */
function edgeOf(
  entries: readonly IndexedCustomer[],
  i: number,
  j: number,
  weights: WeightTable,
  linkThreshold: number,
  index: CustomerIndex,
): Edge | undefined {
  const [first, second] =
    compareCustomerNumbers(entries[i]!.customerNumber, entries[j]!.customerNumber) < 0
      ? [i, j]
      : [j, i];
  const a = entries[first]!;
  const b = entries[second]!;
  const frequencies = nameFrequenciesOf(index);
  const evidence = compareFeatures(a.features, b.features, weights, frequencies);
  const reason = autoLinkReason(
    a.features,
    b.features,
    evidence,
    linkThreshold,
    nameTokenCountOf(index),
  );
  if (reason === undefined || reason === 'external-reference') return undefined;
  const customerNumbers = [a.customerNumber, b.customerNumber] as const;
  return { customerNumbers, reason, evidence, first, second };
}

/**
 * Groups the likely duplicates that already exist inside Fortnox (created there by hand): the
 * resolver's blocking and scoring over every pair that shares a blocking key, the same link rules
 * (a name alone never joins two customers), and union-find over the strong pairs, strongest
 * first. A pair that would put two different identity numbers, or a company and a private
 * person, into one group is left out, so a chain through a customer lacking them cannot.
 * The result does not depend on the order of the inventory.
 *
 * @example
 * for (const group of findDuplicateGroups(inventory)) console.log(group.survivor, group.customerNumbers);
 */
export function findDuplicateGroups(
  customers: Iterable<IndexableCustomer> | CustomerIndex,
  options?: DuplicateOptions,
): DuplicateGroup[] {
  const resolved = normalizeDuplicateOptions(options);
  const weights = createWeightTable(resolved.probabilities);
  const index =
    'block' in customers
      ? customers
      : createCustomerIndex(customers, resolved.now === undefined ? {} : { now: resolved.now });
  const entries = [...index.values()];
  const ordinal = new Map(entries.map((entry, i) => [entry, i]));
  const edges = new Map<string, Edge | undefined>();
  entries.forEach((entry, i) => {
    const search = searchCandidates(entry.features, index, weights, {
      maxBlockSize: resolved.maxBlockSize,
      minScore: resolved.linkThreshold,
      exclude: entry.customerNumber,
    });
    for (const { entry: other } of search.candidates) {
      const j = ordinal.get(other)!;
      const key = i < j ? `${i}:${j}` : `${j}:${i}`;
      if (!edges.has(key))
        edges.set(key, edgeOf(entries, i, j, weights, resolved.linkThreshold, index));
    }
  });

  const sets = createUnionFind(entries.length);
  // What each set is known to be, kept at its root: no set may hold two identities or kinds.
  const identities: (string | undefined)[] = entries.map((e) => e.features.identity?.slice(2));
  const kinds: (CustomerKind | undefined)[] = entries.map((e) => e.features.kind);
  const clash = <T>(a: T | undefined, b: T | undefined) =>
    a !== undefined && b !== undefined && a !== b;
  const kept: Edge[] = [];
  for (const edge of [...edges.values()].filter((e) => e !== undefined).sort(compareEdges)) {
    const rootA = sets.find(edge.first);
    const rootB = sets.find(edge.second);
    if (rootA !== rootB) {
      if (clash(identities[rootA], identities[rootB]) || clash(kinds[rootA], kinds[rootB]))
        continue;
      sets.union(rootA, rootB);
      const root = sets.find(rootA);
      identities[root] = identities[rootA] ?? identities[rootB];
      kinds[root] = kinds[rootA] ?? kinds[rootB];
    }
    kept.push(edge);
  }

  const members = new Map<number, IndexedCustomer[]>();
  entries.forEach((entry, i) => {
    const root = sets.find(i);
    const group = members.get(root);
    if (group === undefined) members.set(root, [entry]);
    else group.push(entry);
  });
  const pairsByRoot = new Map<number, DuplicatePair[]>();
  for (const { first, second: _second, ...pair } of kept.sort((a, b) =>
    comparePairs(a.customerNumbers, b.customerNumbers),
  )) {
    const root = sets.find(first);
    const pairs = pairsByRoot.get(root);
    if (pairs === undefined) pairsByRoot.set(root, [pair]);
    else pairs.push(pair);
  }
  const groups: DuplicateGroup[] = [];
  for (const [root, group] of members) {
    if (group.length < 2) continue;
    groups.push({
      customerNumbers: group.map((entry) => entry.customerNumber).sort(compareCustomerNumbers),
      survivor: [...group].sort(compareSurvivorship)[0]!.customerNumber,
      pairs: pairsByRoot.get(root) ?? [],
    });
  }
  return groups.sort((a, b) => compareCustomerNumbers(a.survivor, b.survivor));
}
