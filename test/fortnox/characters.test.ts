import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDisallowedCharacters, isAllowedFortnoxText } from '../../src/fortnox/index.js';

describe('Fortnox character whitelist', () => {
  it('accepts Swedish and Nordic letters, digits and the listed punctuation', () => {
    expect(
      isAllowedFortnoxText(
        'Åsa Öberg-Ääl, Östra vägen 12 B; é ü æ ø – 50% § £$€ & (x) = +*_!?@ ’´²³®½',
      ),
    ).toBe(true);
    expect(isAllowedFortnoxText('rad ett\nrad två')).toBe(true);
  });

  it('names each rejected character once, in order of appearance', () => {
    expect(findDisallowedCharacters('<b>"x"</b> {a} [b] | ~ <')).toEqual(
      ['<', '>', '"', '/', '{', '}', '[', ']', '|', '~'].filter((c) => c !== '/'),
    );
    expect(findDisallowedCharacters('tab\there')).toEqual(['\t']);
    expect(findDisallowedCharacters('Ωμέγα')).toEqual(['Ω', 'μ', 'έ', 'γ', 'α']);
  });

  it('rejects compatibility forms of Latin letters (full-width, superscript, ligatures)', () => {
    expect(findDisallowedCharacters('Ｌ ⁿ ﬁ Ꜳ')).toEqual(['Ｌ', 'ⁿ', 'ﬁ', 'Ꜳ']);
    expect(isAllowedFortnoxText('Ærø Ŋ ẞ ạ')).toBe(true);
  });

  it('treats decomposed å like composed å', () => {
    expect(isAllowedFortnoxText('a\u030A')).toBe(true);
  });

  it('a text is allowed exactly when no disallowed character is found', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(isAllowedFortnoxText(text)).toBe(findDisallowedCharacters(text).length === 0);
      }),
    );
  });
});
