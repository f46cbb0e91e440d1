import { describe, expect, it } from 'vitest';
import { isAllowedFortnoxText } from '../../src/fortnox/index.js';
import { FORTNOX_CHARACTER_SUBSTITUTES, toFortnoxText } from '../../src/mapping/index.js';

describe('toFortnoxText', () => {
  it('substitutes look-alikes and normalises spaces and line breaks', () => {
    expect(toFortnoxText('Café "Blå" [AB]\u00A0{x}')).toEqual({
      text: 'Café ’Blå’ (AB) (x)',
      disallowed: [],
    });
    expect(toFortnoxText('a\r\nb\rc\td').text).toBe('a\nb\nc d');
    expect(toFortnoxText('Bla\u030Ab').text).toBe('Blåb');
  });

  it('folds characters that have a one-character compatibility equivalent', () => {
    // Full-width digits and punctuation from East Asian input methods, mathematical letters, ①.
    expect(toFortnoxText('Storgatan １２，Lund 𝐀① ２²')).toEqual({
      text: 'Storgatan 12,Lund A1 2²',
      disallowed: [],
    });
    // Where the equivalent is several characters the value would change shape: reported instead.
    expect(toFortnoxText('Acme™ №1').disallowed).toEqual(['™', '№']);
    // Nor is a character folded into one that Fortnox rejects.
    expect(toFortnoxText('a ＜b＞').disallowed).toEqual(['＜', '＞']);
  });

  it('reports what has no equivalent', () => {
    expect(toFortnoxText('a < b ~ c Ω').disallowed).toEqual(['<', '~', 'Ω']);
  });

  it('only substitutes characters that Fortnox accepts', () => {
    for (const [from, to] of Object.entries(FORTNOX_CHARACTER_SUBSTITUTES)) {
      expect(isAllowedFortnoxText(from), JSON.stringify(from)).toBe(false);
      expect(isAllowedFortnoxText(to), JSON.stringify(to)).toBe(true);
    }
  });
});
