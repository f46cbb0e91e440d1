import { describe, expect, it } from 'vitest';
import { parsePersonalIdentityNumber } from '../../src/mapping/index.js';

const now = new Date('2026-06-15T12:00:00Z');
const parse = (input: string, at = now) => parsePersonalIdentityNumber(input, { now: at });
const codeOf = (input: string, at = now) => parse(input, at)._unsafeUnwrapErr().code;

describe('parsePersonalIdentityNumber', () => {
  it('reads the 12-digit form', () => {
    expect(parse('19121212-1212')._unsafeUnwrap()).toEqual({
      kind: 'personnummer',
      digits12: '191212121212',
      formatted: '19121212-1212',
      birthDate: '1912-12-12',
    });
    expect(parse('191212121212')._unsafeUnwrap().formatted).toBe('19121212-1212');
  });

  it('picks the century of a 10-digit number relative to now', () => {
    expect(parse('121212-1212')._unsafeUnwrap().birthDate).toBe('2012-12-12');
    expect(parse('1212121212')._unsafeUnwrap().birthDate).toBe('2012-12-12');
    expect(parse('811218-9876')._unsafeUnwrap().formatted).toBe('19811218-9876');
  });

  it('reads dash look-alikes and full-width digits pasted from documents', () => {
    expect(parse('811218–9876')._unsafeUnwrap().formatted).toBe('19811218-9876');
    expect(parse('19811218\u20119876')._unsafeUnwrap().formatted).toBe('19811218-9876');
    expect(parse('８１１２１８-９８７６')._unsafeUnwrap().formatted).toBe('19811218-9876');
  });

  it('reads + as 100 years or older', () => {
    expect(parse('121212+1212')._unsafeUnwrap().formatted).toBe('19121212-1212');
    expect(parse('811218+9876')._unsafeUnwrap().formatted).toBe('18811218-9876');
  });

  it('puts a birthday later this year in the previous century', () => {
    // 2026-12-24 has not happened yet on 2026-06-15, so it is 1926.
    expect(parse(`261224-123${luhn('261224123')}`)._unsafeUnwrap().birthDate).toBe('1926-12-24');
    expect(parse(`260101-123${luhn('260101123')}`)._unsafeUnwrap().birthDate).toBe('2026-01-01');
  });

  it('reads a samordningsnummer (day + 60)', () => {
    expect(parse('701063-2391')._unsafeUnwrap()).toEqual({
      kind: 'samordningsnummer',
      digits12: '197010632391',
      formatted: '19701063-2391',
      birthDate: '1970-10-03',
    });
  });

  it('checks that the date exists', () => {
    expect(codeOf(`20230229-123${luhn('230229123')}`)).toBe('invalid-date');
    expect(parse(`20240229-123${luhn('240229123')}`).isOk()).toBe(true);
    expect(codeOf(`19001301-123${luhn('001301123')}`)).toBe('invalid-date');
    expect(codeOf(`701093-123${luhn('701093123')}`)).toBe('invalid-date');
  });

  it('knows the century leap-year rule, also when the century comes from the separator', () => {
    const leapDay2000 = `000229-123${luhn('000229123')}`;
    expect(parse(leapDay2000)._unsafeUnwrap().birthDate).toBe('2000-02-29');
    // With + the person is 100 or older: 1900, which was not a leap year.
    expect(codeOf(leapDay2000.replace('-', '+'))).toBe('invalid-date');
    expect(codeOf(`19000229-123${luhn('000229123')}`)).toBe('invalid-date');
    expect(parse(`20000229-123${luhn('000229123')}`).isOk()).toBe(true);
  });

  it('checks the real date of a samordningsnummer (day + 60)', () => {
    expect(parse(`240289-123${luhn('240289123')}`)._unsafeUnwrap()).toMatchObject({
      kind: 'samordningsnummer',
      birthDate: '2024-02-29',
    });
    expect(codeOf(`230289-123${luhn('230289123')}`)).toBe('invalid-date');
    expect(codeOf(`700192-123${luhn('700192123')}`)).toBe('invalid-date');
    expect(codeOf(`700160-123${luhn('700160123')}`)).toBe('invalid-date');
  });

  it('rejects birth dates after now', () => {
    expect(codeOf(`20261224-123${luhn('261224123')}`)).toBe('future-date');
  });

  it.each([
    ['', 'empty'],
    ['121212-1213', 'invalid-checksum'],
    ['19121212-1213', 'invalid-checksum'],
    ['556036-0793', 'organisation-number-given'],
    ['12121-21212', 'invalid-format'],
    ['12121212', 'invalid-length'],
    ['1212121212121', 'invalid-length'],
    ['19121212++1212', 'invalid-format'],
    ['121212-12X2', 'invalid-characters'],
  ])('rejects %j with %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it('accepts + in the 12-digit form: the century is written, so the separator adds nothing', () => {
    expect(parse('19090527+1474')._unsafeUnwrap()).toMatchObject({
      formatted: '19090527-1474',
      birthDate: '1909-05-27',
    });
    expect(parse('19121212+1212')._unsafeUnwrap().formatted).toBe('19121212-1212');
  });

  it.each(['20150916-0006', '1509160006', '150916-0006', '150916+0006', '201509160006'])(
    'rejects %j: the serial number 000 is never issued',
    (input) => {
      expect(codeOf(input)).toBe('invalid-serial-number');
    },
  );

  it('never picks a century for a 10-digit number with a space as its separator', () => {
    // A `+` that went through URL decoding arrives as a space: 090527+1474 is someone born in 1909.
    expect(codeOf('090527 1474')).toBe('ambiguous-century');
    expect(codeOf(' 090527  1474 ')).toBe('ambiguous-century');
    expect(parse('090527 1474')._unsafeUnwrapErr().userMessage.en).toContain('12 digits');
    // With the century written, or an explicit separator, a space is harmless.
    expect(parse('19090527 1474')._unsafeUnwrap().birthDate).toBe('1909-05-27');
    expect(parse('090527 +1474')._unsafeUnwrap().birthDate).toBe('1909-05-27');
    expect(parse('090527-1474')._unsafeUnwrap().birthDate).toBe('2009-05-27');
  });

  it('falls back to the current time for an invalid now', () => {
    expect(parse('19121212-1212', new Date(Number.NaN)).isOk()).toBe(true);
  });
});

function luhn(nineDigits: string): number {
  let sum = 0;
  for (const [index, char] of [...nineDigits].entries()) {
    const product = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}
