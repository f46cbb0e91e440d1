import { describe, expect, it } from 'vitest';
import { normalizePhoneNumber } from '../../src/mapping/index.js';

describe('normalizePhoneNumber', () => {
  it.each([
    ['070-123 45 67'],
    ['0701234567'],
    ['+46 70 123 45 67'],
    ['+46701234567'],
    ['0046701234567'],
    ['+46 (0)70-123 45 67'],
    ['(070) 123 45 67'],
    ['070.123.45.67'],
    ['070–123 45 67'],
    ['+46\u00a070\u2011123\u00a045\u00a067'],
    ['０７０-１２３ ４５ ６７'],
  ])('reads the Swedish mobile number %j', (input) => {
    expect(normalizePhoneNumber(input)._unsafeUnwrap()).toEqual({
      e164: '+46701234567',
      formatted: '070-123 45 67',
      countryCode: 'SE',
    });
  });

  it.each([
    ['08-123 456 78', '08-123 456 78', '+46812345678'],
    ['0812345678', '08-123 456 78', '+46812345678'],
    ['031-12 34 56', '031-12 34 56', '+4631123456'],
    ['031-123 45 67', '031-123 45 67', '+46311234567'],
    ['0311234567', '031-123 45 67', '+46311234567'],
    ['0470-123 45', '0470-123 45', '+4647012345'],
    ['+46 470 123 45', '0470-123 45', '+4647012345'],
    ['046-123 45 67', '046-123 45 67', '+46461234567'],
    ['0431-123 45', '0431-123 45', '+4643112345'],
    ['+46 20 12 34 56', '020-12 34 56', '+4620123456'],
  ])('writes %j with Swedish area-code grouping', (input, formatted, e164) => {
    expect(normalizePhoneNumber(input)._unsafeUnwrap()).toMatchObject({ formatted, e164 });
  });

  it('writes foreign numbers in international format', () => {
    expect(normalizePhoneNumber('+47 22 12 34 56')._unsafeUnwrap()).toEqual({
      e164: '+4722123456',
      formatted: '+47 22 12 34 56',
      countryCode: 'NO',
    });
    expect(normalizePhoneNumber('0047 912 34 567')._unsafeUnwrap().formatted).toBe(
      '+47 91 23 45 67',
    );
  });

  it('reads national numbers in the default country', () => {
    expect(normalizePhoneNumber('22 12 34 56', 'NO')._unsafeUnwrap().e164).toBe('+4722123456');
    expect(normalizePhoneNumber('(212) 555-0123', 'us')._unsafeUnwrap().formatted).toBe(
      '+1 212 555 0123',
    );
  });

  it.each([
    ['', 'empty'],
    ['070 1234', 'invalid-phone-number'],
    ['0123', 'invalid-phone-number'],
    ['+46 70 123 45 67 89 01', 'invalid-phone-number'],
    ['070-123 45 67 (mobil)', 'invalid-characters'],
    ['1'.repeat(65), 'too-long'],
  ])('rejects %j with %s', (input, code) => {
    expect(normalizePhoneNumber(input)._unsafeUnwrapErr().code).toBe(code);
  });

  it('rejects an unknown default country', () => {
    expect(normalizePhoneNumber('070-123 45 67', 'XX')._unsafeUnwrapErr().code).toBe(
      'unsupported-country',
    );
  });
});
