/**
 * Names and addresses in other alphabets (issue 8 §4): never spelled out in an error, and an opt-in
 * transliteration that always comes with a warning.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  mapCustomer,
  normalizeSourceCustomer,
  type SourceCustomer,
  type ToFortnoxCustomerOptions,
  toFortnoxCustomer,
} from '../../src/mapping/index.js';

const now = new Date('2026-06-15T12:00:00Z');

const person: SourceCustomer = {
  id: 'p-1',
  type: 'private',
  name: 'Иван Петров',
  phone: '070-123 45 67',
  address: { street: 'Storgatan 1', postalCode: '264 32', city: 'Москва', countryCode: 'SE' },
  active: true,
};

const CYRILLIC = 'ИванПетровМоскваЁлкинаЩукин';

describe('an error never spells out letters of another alphabet', () => {
  it('lists no Cyrillic letter in characters, message, userMessage or JSON', () => {
    const error = toFortnoxCustomer(person, { now })._unsafeUnwrapErr();
    expect(error.issues.map((issue) => [issue.field, issue.code])).toEqual([
      ['name', 'disallowed-characters'],
      ['address.city', 'disallowed-characters'],
    ]);
    for (const issue of error.issues) {
      expect(issue).toMatchObject({ characters: [], otherAlphabets: true });
    }
    const everything = JSON.stringify(error);
    for (const letter of CYRILLIC) expect(everything).not.toContain(letter);
  });

  it('still lists rejected symbols one by one, and says whether other alphabets were there', () => {
    const error = toFortnoxCustomer({ ...person, name: 'Anna <AB>', address: null }, { now });
    expect(error._unsafeUnwrapErr().issues[0]).toMatchObject({
      characters: ['<', '>'],
      otherAlphabets: false,
    });
  });

  it('holds for any text in other alphabets (property)', () => {
    const foreign = fc
      .array(
        fc
          .integer({ min: 0x0400, max: 0x04ff })
          .chain((cyrillic) =>
            fc.constantFrom(
              cyrillic,
              cyrillic - 0x0400 + 0x0391,
              cyrillic - 0x0400 + 0x4e00,
              cyrillic - 0x0400 + 0x0627,
            ),
          ),
        { minLength: 2, maxLength: 12 },
      )
      .map((codes) => String.fromCodePoint(...codes))
      .filter((text) => /\p{L}/u.test(text));
    fc.assert(
      fc.property(foreign, (name) => {
        const result = toFortnoxCustomer({ ...person, name, address: null }, { now });
        if (result.isOk()) return;
        const text = JSON.stringify(result.error);
        for (const char of name) {
          if (/\p{L}/u.test(char)) expect(text).not.toContain(char);
        }
      }),
    );
  });

  it('says in Swedish and English that the transliterate option exists', () => {
    const [name, city] = toFortnoxCustomer(person, { now })._unsafeUnwrapErr().issues;
    for (const issue of [name, city]) {
      expect(issue?.userMessage.sv).toContain('alternativet transliterate');
      expect(issue?.userMessage.en).toContain('the transliterate option');
    }
  });
});

describe('mapCustomer with transliterate: true', () => {
  it('writes a name and city in another alphabet in Latin letters, with a warning for each', () => {
    const mapped = mapCustomer(person, { now, transliterate: true })._unsafeUnwrap();
    expect(mapped.write).toMatchObject({
      Name: 'Ivan Petrov',
      City: 'Moskva',
      Address1: 'Storgatan 1',
    });
    expect(mapped.warnings.map((w) => [w.code, w.field, w.fortnoxField])).toEqual([
      ['transliterated', 'name', 'Name'],
      ['transliterated', 'address.city', 'City'],
    ]);
    const [warning] = mapped.warnings;
    expect(warning?.userMessage.sv).toMatch(/annat alfabet.*Kontrollera stavningen/);
    expect(warning?.message).toBe(warning?.userMessage.en);
    // The warning names the field, never the value, in either alphabet.
    const text = JSON.stringify(mapped.warnings);
    for (const value of ['Ivan', 'Moskva', 'Иван', 'Москва']) expect(text).not.toContain(value);
  });

  it('keeps å ä ö é ü and every other Latin letter as written, and warns only when it rewrote', () => {
    const mixed = mapCustomer(
      { ...person, name: 'Åsa Öberg-Иванова', address: { city: 'Malmö' } },
      { now, transliterate: true },
    )._unsafeUnwrap();
    expect(mixed.write).toMatchObject({ Name: 'Åsa Öberg-Ivanova', City: 'Malmö' });
    expect(mixed.warnings.map((w) => w.field)).toEqual(['name']);
    const latin = mapCustomer(
      { ...person, name: 'Zoë Müller Łukasz Ærø', address: { city: 'Düsseldorf' } },
      { now, transliterate: true },
    )._unsafeUnwrap();
    expect(latin.write).toMatchObject({ Name: 'Zoë Müller Łukasz Ærø', City: 'Düsseldorf' });
    expect(latin.warnings).toEqual([]);
  });

  it('reads Greek, Arabic and Chinese too', () => {
    const write = (name: string) =>
      mapCustomer({ ...person, name, address: null }, { now, transliterate: true })._unsafeUnwrap()
        .write.Name;
    // Character by character: Greek ου comes out as oy, so a person checks (the warning).
    expect(write('Νίκος Παπαδόπουλος')).toBe('Nikos Papadopoylos');
    expect(write('محمد')).toBe('mhmd');
    expect(write('王伟')).toBe('WangWei');
    expect(write('김민준')).toBe('GimMinJun');
  });

  it('drops the marks any-ascii writes for silent letters, as passports do', () => {
    const write = (name: string) =>
      mapCustomer({ ...person, name, address: null }, { now, transliterate: true })._unsafeUnwrap()
        .write.Name;
    expect(write('Ольга Мельникова')).toBe('Olga Melnikova');
    expect(write('Дмитрий Щукин')).toBe('Dmitriy Shchukin');
    expect(write('علي')).toBe('ly');
    // An apostrophe the person wrote is kept (as Fortnox's ’).
    expect(write("Д'Артаньян")).toBe('D’Artanyan');
  });

  it('still rejects symbols Fortnox does not allow, with no hint about transliteration', () => {
    const error = mapCustomer(
      { ...person, name: 'Иван <Петров>', address: null },
      { now, transliterate: true },
    )._unsafeUnwrapErr();
    expect(error.issues[0]).toMatchObject({
      code: 'disallowed-characters',
      characters: ['<', '>'],
      otherAlphabets: false,
    });
    expect(error.issues[0]?.userMessage.en).not.toContain('transliterate');
  });

  it('compares with the previous state transliterated the same way', () => {
    const mapped = mapCustomer(
      { ...person, phone: '070-765 43 21' },
      { now, transliterate: true, previous: person },
    )._unsafeUnwrap();
    expect(mapped.write).toEqual({ Phone1: '070-765 43 21' });
    // The write holds no Name, but the name was transliterated all the same: the warning says so.
    expect(mapped.warnings.map((w) => w.field)).toEqual(['name', 'address.city']);
  });

  it('gives the same values through normalizeSourceCustomer (fingerprints, diffs)', () => {
    const normalized = normalizeSourceCustomer(person, { now, transliterate: true });
    expect(normalized._unsafeUnwrap()).toMatchObject({ Name: 'Ivan Petrov', City: 'Moskva' });
  });
});

describe('toFortnoxCustomer does not transliterate: its result has no room for the warning', () => {
  it('rejects the option at the type level and ignores it at run time', () => {
    expectTypeOf<ToFortnoxCustomerOptions>().not.toHaveProperty('transliterate');
    const untyped = { now, transliterate: true } as ToFortnoxCustomerOptions;
    expect(toFortnoxCustomer(person, untyped).isErr()).toBe(true);
  });

  it('is mapCustomer without transliteration, keeping only the write', () => {
    const company: SourceCustomer = { id: 'c-1', type: 'company', name: 'Acme AB', active: true };
    expect(toFortnoxCustomer(company)._unsafeUnwrap()).toEqual(
      mapCustomer(company)._unsafeUnwrap().write,
    );
    expect(mapCustomer(company)._unsafeUnwrap().warnings).toEqual([]);
  });
});
