import { describe, expect, it } from 'vitest';
import { parseOrganisationNumber } from '../../src/mapping/index.js';

const codeOf = (input: string) => parseOrganisationNumber(input)._unsafeUnwrapErr().code;

describe('parseOrganisationNumber', () => {
  it.each([
    ['556036-0793'],
    ['5560360793'],
    ['165560360793'],
    ['16556036-0793'],
    [' 556036 0793 '],
    ['SE556036079301'],
    ['se 5560360793 01'],
    // Pasted from a document: en dash, non-breaking hyphen, minus sign, full-width digits.
    ['556036–0793'],
    ['556036\u20110793'],
    ['556036−0793'],
    ['５５６０３６-０７９３'],
  ])('reads %j as 556036-0793', (input) => {
    expect(parseOrganisationNumber(input)._unsafeUnwrap()).toEqual({
      kind: 'organisation',
      digits: '5560360793',
      formatted: '556036-0793',
      legalForm: 'limited-company',
    });
  });

  it.each([
    ['212000-0142', 'public-sector'],
    ['802002-4280', 'non-profit-association-or-foundation'],
    ['769600-3248', 'economic-association'],
    ['969630-2331', 'trading-partnership'],
  ])('reads the legal-form group of %s', (input, legalForm) => {
    expect(parseOrganisationNumber(input)._unsafeUnwrap().legalForm).toBe(legalForm);
  });

  it('rejects a wrong check digit', () => {
    expect(codeOf('556036-0794')).toBe('invalid-checksum');
  });

  it('says when a personnummer was given instead', () => {
    expect(codeOf('121212-1212')).toBe('personal-identity-number-given');
    expect(codeOf('19121212-1212')).toBe('personal-identity-number-given');
    expect(codeOf('121212+1212')).toBe('personal-identity-number-given');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['556036-079', 'invalid-length'],
    ['55603607930', 'invalid-length'],
    ['5560-360793', 'invalid-format'],
    ['175560360793', 'invalid-format'],
    ['556036/0793', 'invalid-characters'],
    ['abc', 'invalid-characters'],
    ['1'.repeat(41), 'too-long'],
  ])('rejects %j with %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it('keeps personal data out of the message', () => {
    const error = parseOrganisationNumber('556036-0794')._unsafeUnwrapErr();
    expect(JSON.stringify(error.message)).not.toMatch(/\d{4}/);
    expect(error.userMessage.sv).toBe(
      'Organisationsnumret har fel kontrollsiffra; kontrollera att det är rätt inskrivet.',
    );
  });
});
