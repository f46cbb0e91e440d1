import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, nameTokens } from '../../src/duplicates/index.js';
import { phoneDigits } from '../../src/duplicates/phone-digits.js';
import { phoneticKey } from '../../src/duplicates/phonetic-key.js';
import { normalizePhoneNumber } from '../../src/mapping/index.js';

describe('foldText', () => {
  it('folds Swedish and Nordic letters and separators', () => {
    expect(foldText('  Åsa Öberg-Müller ')).toBe('asa oberg muller');
    expect(foldText('Søren Æbelø, Café Straße')).toBe('soren aebelo cafe strasse');
    expect(foldText('ÄNGELHOLMS Ö.K.')).toBe('angelholms o k');
    expect(foldText('---')).toBe('');
  });

  it('yields only a–z, 0–9 and single inner spaces, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30, unit: 'binary' }), (text) => {
        const folded = foldText(text);
        expect(folded).toMatch(/^(?:[a-z0-9]+(?: [a-z0-9]+)*)?$/);
        expect(foldText(folded)).toBe(folded);
      }),
    );
  });

  it('returns text that is already folded as it is, equal to folding it character by character', () => {
    const character = fc.constantFrom('a', 'z', 'k', '0', '9', ' ', ' ', 'A', 'å', '-');
    fc.assert(
      fc.property(fc.string({ maxLength: 20, unit: character }), (text) => {
        // A leading and trailing separator that is no space takes the character-by-character way.
        expect(foldText(text)).toBe(foldText(`-${text}-`));
      }),
    );
  });
});

describe('nameTokens', () => {
  it('removes Swedish and foreign legal forms at either end', () => {
    expect(nameTokens('Bygg & Måleri i Norr AB (publ)')).toEqual(['bygg', 'maleri', 'i', 'norr']);
    expect(nameTokens('AB Volvo')).toEqual(['volvo']);
    expect(nameTokens('Volvo Aktiebolag')).toEqual(['volvo']);
    expect(nameTokens('Svenssons Bil HB')).toEqual(nameTokens('Svenssons Bil Handelsbolag'));
    expect(nameTokens('Lantmännen Ek. För.')).toEqual(['lantmannen']);
    expect(nameTokens('Lantmännen ekonomisk förening')).toEqual(['lantmannen']);
    expect(nameTokens('Kommanditbolaget Sten KB')).toEqual(['kommanditbolaget', 'sten']);
    for (const form of ['Ltd', 'Inc', 'GmbH', 'Oy', 'ApS', 'AS', 'BV', 'LLC', 'Limited']) {
      expect(nameTokens(`Nordic Tools ${form}`)).toEqual(['nordic', 'tools']);
    }
  });

  it('keeps a name that is only a legal form, and person names as they are', () => {
    expect(nameTokens('AB')).toEqual(['ab']);
    expect(nameTokens('Anna Ek')).toEqual(['anna', 'ek']);
    expect(nameTokens('Andersson, Anna')).toEqual(['andersson', 'anna']);
  });
});

describe('phoneticKey', () => {
  it('merges Swedish spelling variants', () => {
    expect(phoneticKey('karlsson')).toBe(phoneticKey('carlson'));
    expect(phoneticKey('johansson')).toBe(phoneticKey('johanson'));
    expect(phoneticKey('philip')).toBe(phoneticKey('filip'));
    expect(phoneticKey('sjoberg')).toBe(phoneticKey('schoberg'));
    expect(phoneticKey('eriksson')).toBe(phoneticKey('erixon'));
    expect(phoneticKey('andersson')).not.toBe(phoneticKey('eriksson'));
    expect(phoneticKey('2119')).toBe('2119');
  });
});

describe('phoneDigits', () => {
  it('gives the digits of normalizePhoneNumber’s E.164 for valid Swedish numbers in any notation', () => {
    const areaAndNumber = fc.constantFrom(
      ['70', 7],
      ['73', 7],
      ['76', 7],
      ['8', 8],
      ['31', 6],
      ['90', 6],
    ) as fc.Arbitrary<[string, number]>;
    const notation = fc.constantFrom('national', 'plus', 'double-zero', 'trunk-zero');
    fc.assert(
      fc.property(
        areaAndNumber,
        fc.integer({ min: 0, max: 9_999_999 }),
        notation,
        ([area, length], n, style) => {
          const subscriber = `${2 + (n % 7)}${String(n)
            .padStart(length, '0')
            .slice(1 - length)}`;
          const written = {
            national: `0${area}-${subscriber}`,
            plus: `+46 ${area} ${subscriber}`,
            'double-zero': `0046${area}${subscriber}`,
            'trunk-zero': `+46 (0)${area} ${subscriber}`,
          }[style];
          const normalized = normalizePhoneNumber(written);
          fc.pre(normalized.isOk());
          if (normalized.isErr()) return;
          expect(phoneDigits(written)).toBe(normalized.value.e164.slice(1));
        },
      ),
    );
  });

  it('uses normalizePhoneNumber for other countries and keeps the digits of what is no phone number', () => {
    expect(phoneDigits('22 12 34 56', 'NO')).toBe('4722123456');
    expect(phoneDigits('1804974')).toBe('1804974');
    // Invalid in Norway: read as a Swedish-written number, as a list item without a country is.
    expect(phoneDigits('070-123 45 67', 'NO')).toBe(phoneDigits('070-123 45 67'));
    expect(phoneDigits('ring 070-1', 'NO')).toBe(phoneDigits('ring 070-1'));
  });
});
