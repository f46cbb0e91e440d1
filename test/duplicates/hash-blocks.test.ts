import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashBlocks } from '../../src/duplicates/hash-blocks.js';

type Operation = { readonly add: boolean; readonly hash: number; readonly ordinal: number };

/** Few hashes and ordinals, so lists grow, empty and refill; some hashes collide in the table. */
const operation: fc.Arbitrary<Operation> = fc.record({
  add: fc.boolean(),
  hash: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0x3fffffff })),
  ordinal: fc.integer({ min: 0, max: 30 }),
});

describe('HashBlocks', () => {
  it('holds what a map of lists holds, in filing order, through growth and removals', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 3000 }), (operations) => {
        const blocks = new HashBlocks();
        const model = new Map<number, number[]>();
        for (const { add, hash, ordinal } of operations) {
          const list = model.get(hash) ?? [];
          if (add) {
            if (list.includes(ordinal)) continue;
            blocks.add(hash, ordinal);
            model.set(hash, [...list, ordinal]);
          } else {
            expect(blocks.remove(hash, ordinal)).toBe(list.includes(ordinal));
            model.set(
              hash,
              list.filter((member) => member !== ordinal),
            );
          }
        }
        for (const [hash, list] of model) {
          expect(blocks.ordinals(hash)).toEqual(list);
          expect(blocks.size(blocks.slot(hash))).toBe(list.length);
        }
        expect(blocks.ordinals(0x3fffffff + 1)).toEqual([]);
        expect(blocks.size(blocks.slot(0x3fffffff + 1))).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('grows past its first table and reuses freed postings', () => {
    const blocks = new HashBlocks();
    for (let round = 0; round < 3; round++) {
      for (let hash = 0; hash < 5000; hash++) blocks.add(hash * 7919, hash);
      for (let hash = 0; hash < 5000; hash++) expect(blocks.ordinals(hash * 7919)).toEqual([hash]);
      for (let hash = 0; hash < 5000; hash++) expect(blocks.remove(hash * 7919, hash)).toBe(true);
    }
    expect(blocks.ordinals(7919)).toEqual([]);
  });
});
