import { describe, expect, it } from 'vitest';
import { DEMO_SAMPLE } from '../../scripts/demo-sample.js';
import { createCustomerIndex, createDuplicateResolver } from '../../src/duplicates/index.js';
import { CUSTOMER_LIST_FIELDS } from '../../src/fortnox/index.js';
import { normalizeSourceCustomer } from '../../src/mapping/index.js';
import {
  createEmulatorCore,
  generateSampleSource,
  SAMPLE_CASE_SHARES,
  type SampleSource,
  seedSampleFortnox,
} from '../../src/testing/index.js';

/** The Fortnox customers as list items carry them (what an initial sync's inventory sees). */
function listItems(sample: SampleSource) {
  return sample.fortnoxCustomers.map((customer) => {
    const record: Record<string, unknown> = { ...customer, Phone: customer.Phone1 ?? '' };
    return Object.fromEntries(
      CUSTOMER_LIST_FIELDS.filter((field) => field !== '@url').map((field) => [
        field,
        record[field] ?? '',
      ]),
    ) as { CustomerNumber: string };
  });
}

describe('generateSampleSource', () => {
  const sample = generateSampleSource({ sourceCustomers: 400, fortnoxCustomers: 300, seed: 3 });

  it('is deterministic by seed', () => {
    const again = generateSampleSource({ sourceCustomers: 400, fortnoxCustomers: 300, seed: 3 });
    expect(again.sourceCustomers).toEqual(sample.sourceCustomers);
    expect(again.fortnoxCustomers).toEqual(sample.fortnoxCustomers);
    const other = generateSampleSource({ sourceCustomers: 400, fortnoxCustomers: 300, seed: 4 });
    expect(other.sourceCustomers).not.toEqual(sample.sourceCustomers);
  });

  it('has the asked sizes, unique ids and customer numbers, and a truth for every source customer', () => {
    expect(sample.sourceCustomers).toHaveLength(400);
    expect(sample.fortnoxCustomers).toHaveLength(300);
    const ids = new Set(sample.sourceCustomers.map((customer) => customer.id));
    expect(ids.size).toBe(400);
    expect(new Set(sample.fortnoxCustomers.map((c) => c.CustomerNumber)).size).toBe(300);
    expect([...sample.truth.keys()].sort()).toEqual([...ids].sort());
    const counts = Object.values(sample.expectedCounts).reduce((a, b) => a + b, 0);
    expect(counts).toBe(400);
  });

  it('holds every case in its share', () => {
    const perCase = new Map<string, number>();
    for (const truth of sample.truth.values())
      perCase.set(truth.case, (perCase.get(truth.case) ?? 0) + 1);
    for (const [kind, share] of Object.entries(SAMPLE_CASE_SHARES)) {
      expect(perCase.get(kind) ?? 0).toBeGreaterThanOrEqual(Math.floor(share * 400));
    }
  });

  it('the invalid rows fail the mapping on the named field, every other row maps', () => {
    for (const source of sample.sourceCustomers) {
      const truth = sample.truth.get(source.id);
      const mapped = normalizeSourceCustomer(source);
      if (truth?.action === 'failed') {
        expect(mapped.isErr()).toBe(true);
        expect(mapped.isErr() && mapped.error.issues.map((issue) => issue.field)).toEqual([
          truth.field,
        ]);
      } else expect(mapped.isOk()).toBe(true);
    }
  });

  it.each([
    [600, 450, 1],
    [600, 450, 2],
    [600, 450, 9],
    // What `npm run demo` shows by default: its outcome must equal the truth it prints.
    [DEMO_SAMPLE.sourceCustomers, DEMO_SAMPLE.fortnoxCustomers, DEMO_SAMPLE.seed],
  ])(
    'the default resolver over a list-item inventory agrees with the truth (%i source, %i Fortnox, seed %i)',
    (sourceCustomers, fortnoxCustomers, seed) => {
      const other = generateSampleSource({ sourceCustomers, fortnoxCustomers, seed });
      const index = createCustomerIndex(listItems(other));
      const valid = other.sourceCustomers.filter((s) => normalizeSourceCustomer(s).isOk());
      const results = createDuplicateResolver().resolveAll(valid, index);
      const wrong = valid.flatMap((source, i) => {
        const { decision } = results[i]!;
        const truth = other.truth.get(source.id)!;
        // `Active` is not in a list item: the initial sync learns it from the inactive pages.
        const expected =
          truth.action === 'update' && truth.fields.join() === 'Active'
            ? { kind: 'link', customerNumber: truth.customerNumber }
            : truth.action === 'update'
              ? {
                  kind: 'update-existing',
                  customerNumber: truth.customerNumber,
                  fields: truth.fields,
                }
              : truth.action === 'ask'
                ? { kind: 'ask', customerNumber: truth.customerNumber }
                : truth.action === 'link'
                  ? { kind: 'link', customerNumber: truth.customerNumber }
                  : { kind: 'create' };
        const got =
          decision.kind === 'ask'
            ? { kind: 'ask', customerNumber: decision.candidates[0]?.customerNumber }
            : decision.kind === 'update-existing'
              ? {
                  kind: decision.kind,
                  customerNumber: decision.customerNumber,
                  fields: decision.fields,
                }
              : decision.kind === 'link'
                ? { kind: 'link', customerNumber: decision.customerNumber }
                : { kind: 'create' };
        return JSON.stringify(got) === JSON.stringify(expected) ? [] : [{ truth, got }];
      });
      expect(wrong).toEqual([]);
    },
  );

  it('misspells each person-typo surname once (a slip seen three times reads as a real name)', () => {
    // Seed 7 at this size drew "Perssno" and "Larsosn" three times each before the misspellings were kept apart.
    const large = generateSampleSource({ sourceCustomers: 2000, fortnoxCustomers: 1500, seed: 7 });
    const byNumber = new Map(large.fortnoxCustomers.map((c) => [c.CustomerNumber, c.Name]));
    const misspelt = [...large.truth.values()].flatMap((truth) =>
      truth.case === 'person-typo' && truth.action === 'link'
        ? [byNumber.get(truth.customerNumber)?.split(' ')[1]]
        : [],
    );
    expect(misspelt.length).toBeGreaterThan(50);
    expect(new Set(misspelt).size).toBe(misspelt.length);
  });

  it('plants hand-made duplicate groups inside Fortnox', () => {
    expect(sample.fortnoxDuplicateGroups.length).toBeGreaterThan(0);
    const numbers = new Set(sample.fortnoxCustomers.map((c) => c.CustomerNumber));
    for (const group of sample.fortnoxDuplicateGroups) {
      expect(group).toHaveLength(2);
      for (const number of group) expect(numbers.has(number)).toBe(true);
    }
  });

  it('refuses too few Fortnox customers for the overlap, and bad counts', () => {
    expect(() => generateSampleSource({ sourceCustomers: 100, fortnoxCustomers: 10 })).toThrow(
      /fortnoxCustomers must be an integer ≥ 5\d/,
    );
    expect(() => generateSampleSource({ sourceCustomers: -1 })).toThrow(RangeError);
  });
});

describe('seedSampleFortnox', () => {
  it('inserts every Fortnox customer of the sample with its number into an emulator tenant', () => {
    const sample = generateSampleSource({ sourceCustomers: 100, fortnoxCustomers: 80, seed: 5 });
    const emulator = createEmulatorCore({ rateLimit: false });
    const inserted = seedSampleFortnox(emulator.tenant(), sample);
    expect(inserted.map((customer) => customer.CustomerNumber)).toEqual(
      sample.fortnoxCustomers.map((customer) => customer.CustomerNumber),
    );
    const stored = emulator.tenant().customers();
    expect(stored).toHaveLength(80);
    expect(stored.filter((customer) => customer.Active === false).length).toBe(
      sample.fortnoxCustomers.filter((customer) => !customer.Active).length,
    );
  });
});
