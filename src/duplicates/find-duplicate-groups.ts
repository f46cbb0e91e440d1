import {
  type CustomerIndex,
  createCustomerIndex,
  type IndexableCustomer,
  type IndexedCustomer,
} from './customer-index.js';
import { type DuplicateOptions, normalizeDuplicateOptions } from './duplicate-options.js';
import { autoLinkReason, type LinkReason } from './link-rules.js';
import {
  compareCustomerNumbers,
  compareSurvivorship,
  searchCandidates,
} from './match-candidates.js';
import { createWeightTable, type MatchEvidence } from './score-match.js';
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

/**
 * Groups the likely duplicates that already exist inside Fortnox (created there by hand): the
 * resolver's blocking and scoring over every pair that shares a blocking key, the same link rules
 * (a name alone never joins two customers), and union-find over the strong pairs.
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
  const sets = createUnionFind(entries.length);
  const pairs = new Map<string, DuplicatePair & { readonly first: number }>();
  entries.forEach((entry, i) => {
    const { features } = entry;
    const search = searchCandidates(features, index, weights, {
      maxBlockSize: resolved.maxBlockSize,
      minScore: resolved.linkThreshold,
      exclude: entry.customerNumber,
    });
    for (const { entry: other, evidence } of search.candidates) {
      const j = ordinal.get(other)!;
      const key = i < j ? `${i}:${j}` : `${j}:${i}`;
      if (pairs.has(key)) continue;
      const reason = autoLinkReason(
        features.kind,
        features.identity,
        evidence,
        resolved.linkThreshold,
      );
      if (reason === undefined || reason === 'external-reference') continue;
      sets.union(i, j);
      const numbers = [entry.customerNumber, other.customerNumber].sort(compareCustomerNumbers) as [
        string,
        string,
      ];
      pairs.set(key, { customerNumbers: numbers, reason, evidence, first: Math.min(i, j) });
    }
  });
  const members = new Map<number, IndexedCustomer[]>();
  entries.forEach((entry, i) => {
    const root = sets.find(i);
    const group = members.get(root);
    if (group === undefined) members.set(root, [entry]);
    else group.push(entry);
  });
  const pairsByRoot = new Map<number, DuplicatePair[]>();
  for (const { first, ...pair } of pairs.values()) {
    const root = sets.find(first);
    const list = pairsByRoot.get(root);
    if (list === undefined) pairsByRoot.set(root, [pair]);
    else list.push(pair);
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
