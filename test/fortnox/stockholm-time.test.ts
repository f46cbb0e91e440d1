import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatStockholmDateTime, parseStockholmTimestamp } from '../../src/fortnox/index.js';

describe('parseStockholmTimestamp', () => {
  it('reads Stockholm local time in winter (+01:00) and summer (+02:00)', () => {
    expect(parseStockholmTimestamp('2026-01-15 10:00')).toBe(Date.UTC(2026, 0, 15, 9, 0));
    expect(parseStockholmTimestamp('2026-07-01 12:30:15')).toBe(Date.UTC(2026, 6, 1, 10, 30, 15));
    expect(parseStockholmTimestamp('2026-07-01')).toBe(Date.UTC(2026, 5, 30, 22, 0));
  });

  it('refuses what is not a Fortnox lastmodified value', () => {
    for (const value of ['yesterday', '2026-13-01', '2026-02-30', '2026-01-01 24:00', '2026-1-1']) {
      expect(parseStockholmTimestamp(value)).toBeUndefined();
    }
  });

  it("reads back what the client's formatStockholmDateTime writes (whole seconds)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (seconds) => {
        const instant = seconds * 1000;
        const text = formatStockholmDateTime(new Date(instant));
        const parsed = parseStockholmTimestamp(text);
        // The hour repeated when summer time ends is ambiguous; either reading is an hour apart.
        expect([0, 3_600_000]).toContain(Math.abs((parsed ?? Number.NaN) - instant));
      }),
    );
  });
});
