import { describe, expect, it } from 'vitest';
import {
  createCustomerIndex,
  createDuplicateResolver,
  DEFAULT_DUPLICATE_OPTIONS,
  type ResolveResult,
} from '../../src/duplicates/index.js';
import { nameAgreementWeight } from '../../src/duplicates/name-frequency.js';
import { listItem, source } from './fixtures.js';

const nameWeight = ({ decision }: ResolveResult) => {
  const evidence =
    decision.kind === 'link' || decision.kind === 'update-existing'
      ? decision.evidence
      : decision.kind === 'ask'
        ? decision.candidates[0]?.evidence
        : undefined;
  return evidence?.fields.find((field) => field.field === 'name');
};

describe('frequency-aware name weights (estimated from the index)', () => {
  const { agree } = DEFAULT_DUPLICATE_OPTIONS.probabilities.name;
  const configured = Math.log2(agree.m / agree.u);

  it('weighs an agreeing common name less than a rare one', () => {
    const given = ['Anna', 'Erik', 'Lars', 'Maria', 'Karin', 'Per', 'Eva', 'Johan'];
    const index = createCustomerIndex([
      ...Array.from({ length: 400 }, (_, k) =>
        listItem(String(1000 + k), {
          Name: `${given[k % given.length]} Andersson`,
          Phone: `070-${String(1_000_000 + k).slice(1)}`,
        }),
      ),
      listItem('1', { Name: 'Ebba Hedqvist', Phone: '070-999 11 22' }),
    ]);
    const resolver = createDuplicateResolver();
    const common = nameWeight(
      resolver.resolve(
        source({ type: 'private', name: 'Anna Andersson', phone: '070-000 000' }),
        index,
      ),
    );
    const rare = nameWeight(
      resolver.resolve(
        source({ type: 'private', name: 'Ebba Hedqvist', phone: '070-999 11 22' }),
        index,
      ),
    );
    expect(common?.level).toBe('agree');
    expect(rare?.level).toBe('agree');
    expect(common!.weight).toBeLessThan(configured);
    expect(rare!.weight).toBeGreaterThan(configured);
  });

  it('is the configured weight without counts, and shrinks towards it in a small index', () => {
    expect(nameAgreementWeight(['anna', 'andersson'], agree, undefined)).toBeCloseTo(configured);
    expect(
      nameAgreementWeight(['anna', 'andersson'], agree, { count: () => 0, total: 0 }),
    ).toBeCloseTo(configured);
    const small = nameAgreementWeight(['anna', 'andersson'], agree, { count: () => 1, total: 3 });
    expect(Math.abs(small - configured)).toBeLessThan(0.2);
  });
});
