import { describe, expect, it } from 'vitest';
import {
  normalizeCountryCode,
  normalizeEmail,
  normalizeName,
  normalizePostalCode,
} from '../../src/mapping/index.js';

describe('normalizePostalCode', () => {
  it.each([
    ['26432'],
    ['264 32'],
    ['264  32 '],
    ['SE-264 32'],
    ['S-26432'],
    ['se26432'],
    ['SE–264 32'],
    ['２６４ ３２'],
  ])('writes the Swedish postcode %j as 264 32', (input) => {
    expect(normalizePostalCode(input)._unsafeUnwrap()).toBe('264 32');
  });

  it.each([
    ['', 'empty'],
    ['2643', 'invalid-length'],
    ['264321', 'invalid-length'],
    ['012 34', 'invalid-format'],
    ['264-32', 'invalid-format'],
    ['26A32', 'invalid-characters'],
  ])('rejects the Swedish postcode %j with %s', (input, code) => {
    expect(normalizePostalCode(input)._unsafeUnwrapErr().code).toBe(code);
  });

  it('keeps foreign postcodes as written, trimmed', () => {
    expect(normalizePostalCode('  SW1A   1AA ', 'GB')._unsafeUnwrap()).toBe('SW1A 1AA');
    expect(normalizePostalCode('0150', 'NO')._unsafeUnwrap()).toBe('0150');
    expect(normalizePostalCode('10115', 'de')._unsafeUnwrap()).toBe('10115');
    expect(normalizePostalCode('12345678901', 'US')._unsafeUnwrapErr().code).toBe('too-long');
    expect(normalizePostalCode('<1234>', 'US')._unsafeUnwrapErr().code).toBe('invalid-characters');
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases the domain only', () => {
    expect(normalizeEmail('  Anna.Svensson@Example.SE ')._unsafeUnwrap()).toBe(
      'Anna.Svensson@example.se',
    );
    expect(normalizeEmail('info+faktura@sub.exempel.se')._unsafeUnwrap()).toBe(
      'info+faktura@sub.exempel.se',
    );
    expect(normalizeEmail('kontakt@Blåbär.SE')._unsafeUnwrap()).toBe('kontakt@blåbär.se');
  });

  it.each([
    ['', 'empty'],
    ['anna', 'invalid-format'],
    ['anna@', 'invalid-format'],
    ['@example.se', 'invalid-format'],
    ['anna@example', 'invalid-format'],
    ['anna@example.s3', 'invalid-format'],
    ['anna..svensson@example.se', 'invalid-format'],
    ['.anna@example.se', 'invalid-format'],
    ['anna@-example.se', 'invalid-format'],
    ['anna@example..se', 'invalid-format'],
    ['anna svensson@example.se', 'invalid-characters'],
    ['Anna <anna@example.se>', 'invalid-characters'],
    ["o'brien@example.se", 'invalid-characters'],
    ['anna@exam_ple.se', 'invalid-characters'],
    [`${'a'.repeat(65)}@example.se`, 'invalid-format'],
    [`a@${'b'.repeat(250)}.se`, 'too-long'],
  ])('rejects %j with %s', (input, code) => {
    expect(normalizeEmail(input)._unsafeUnwrapErr().code).toBe(code);
  });
});

describe('normalizeCountryCode', () => {
  it.each([
    ['SE', 'SE'],
    ['se', 'SE'],
    [' Sverige ', 'SE'],
    ['Sweden', 'SE'],
    ['Norge', 'NO'],
    ['Norway', 'NO'],
    ['Finland', 'FI'],
    ['Suomi', 'FI'],
    ['Danmark', 'DK'],
    ['Denmark', 'DK'],
    ['Island', 'IS'],
    ['Tyskland', 'DE'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['Storbritannien', 'GB'],
    ['UK', 'GB'],
    ['England', 'GB'],
    ['Nederländerna', 'NL'],
    ['Holland', 'NL'],
    ['Österrike', 'AT'],
    ['osterrike', 'AT'],
    ['USA', 'US'],
    ['United States', 'US'],
    ['Kina', 'CN'],
    ['Polen', 'PL'],
    ['Estland', 'EE'],
    ['Åland', 'AX'],
    ['Bosnia & Herzegovina', 'BA'],
    ['SWE', 'SE'],
  ])('reads %j as %s', (input, code) => {
    expect(normalizeCountryCode(input)._unsafeUnwrap()).toBe(code);
  });

  it.each([
    ['', 'empty'],
    ['XX', 'unsupported-country'],
    ['Atlantis', 'unsupported-country'],
    // Foreign-language abbreviations are not guessed at: French É.-U. (US), Dutch VS (US), VK (GB).
    ['EU', 'unsupported-country'],
    ['VS', 'unsupported-country'],
    ['vk', 'unsupported-country'],
    // Norwegian Kongo is Kinshasa, Polish Kongo is Brazzaville: ambiguous, so not read.
    ['Kongo', 'unsupported-country'],
    ['x'.repeat(81), 'too-long'],
  ])('rejects %j with %s', (input, code) => {
    expect(normalizeCountryCode(input)._unsafeUnwrapErr().code).toBe(code);
  });
});

describe('normalizeName', () => {
  it('collapses whitespace, removes invisible characters and composes to NFC', () => {
    expect(normalizeName('  Anna\u00A0 Svensson\t')._unsafeUnwrap()).toBe('Anna Svensson');
    expect(normalizeName('Bolaget\r\nAB')._unsafeUnwrap()).toBe('Bolaget AB');
    expect(normalizeName('Zero\u200Bwidth\u0007')._unsafeUnwrap()).toBe('Zerowidth');
    expect(normalizeName('Bla\u030Abär')._unsafeUnwrap()).toBe('Blåbär');
  });

  it('fails with empty when nothing is left', () => {
    expect(normalizeName(' \u200B\t')._unsafeUnwrapErr().code).toBe('empty');
  });
});
