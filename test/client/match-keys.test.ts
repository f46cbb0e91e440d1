import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailKey, identityNumberKey, nameKey, phoneKey } from '../../src/client/index.js';

describe('identityNumberKey', () => {
  it('equates the written forms of one organisation number', () => {
    const keys = ['556000-0001', '5560000001', '16556000-0001', ' 556000 0001 '].map(
      identityNumberKey,
    );
    expect(new Set(keys)).toEqual(new Set(['5560000001']));
  });
  it('equates 10- and 12-digit personal identity numbers', () => {
    expect(identityNumberKey('19850101-1234')).toBe(identityNumberKey('850101-1234'));
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(identityNumberKey(identityNumberKey(s))).toBe(identityNumberKey(s));
      }),
    );
  });
});

describe('phoneKey', () => {
  it('equates national and +46 / 0046 forms', () => {
    const forms = [
      '070-123 45 67',
      '0701234567',
      '+46 70 123 45 67',
      '+46 (0)70-123 45 67',
      '0046701234567',
    ];
    expect(new Set(forms.map(phoneKey))).toEqual(new Set(['0701234567']));
  });
  it('keeps foreign numbers international', () => {
    expect(phoneKey('+45 12 34 56 78')).toBe('+4512345678');
    expect(phoneKey('+45 12 34 56 78')).not.toBe(phoneKey('4512345678'));
  });
  it('ignores separators', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^0[1-9]\d{6,9}$/),
        fc.constantFrom(' ', '-', '/'),
        (digits, sep) => {
          const spaced = digits.split('').join(sep);
          expect(phoneKey(spaced)).toBe(phoneKey(digits));
        },
      ),
    );
  });
});

describe('emailKey and nameKey', () => {
  it('compare case-insensitively and trimmed', () => {
    expect(emailKey('  Info@Acme.SE ')).toBe(emailKey('info@acme.se'));
    expect(nameKey(' ÅSA   Öberg ')).toBe(nameKey('åsa öberg'));
  });
});
