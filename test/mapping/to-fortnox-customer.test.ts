import { describe, expect, it } from 'vitest';
import {
  API_BLANK,
  FortnoxCustomerWriteSchema,
  OWNED_CUSTOMER_FIELDS,
} from '../../src/fortnox/index.js';
import {
  normalizeSourceCustomer,
  type SourceCustomer,
  toFortnoxCustomer,
} from '../../src/mapping/index.js';

const now = new Date('2026-06-15T12:00:00Z');

const company: SourceCustomer = {
  id: 'cust-42',
  type: 'company',
  name: '  Acme   Bygg AB ',
  email: ' Info@Acme.SE ',
  phone: '0046812345678',
  address: {
    street: 'Storgatan 1',
    postalCode: '26432',
    city: 'Ängelholm',
    countryCode: 'Sverige',
  },
  organisationNumber: '5560360793',
  active: true,
};

const person: SourceCustomer = {
  id: 'p-7',
  type: 'private',
  name: 'Anna Svensson',
  phone: '+46 70 123 45 67',
  organisationNumber: '121212-1212',
  active: true,
};

const codes = (source: unknown) =>
  toFortnoxCustomer(source as SourceCustomer, { now })
    ._unsafeUnwrapErr()
    .issues.map((issue) => [issue.field, issue.code]);

describe('toFortnoxCustomer', () => {
  it('writes every owned field of a company, normalised', () => {
    expect(toFortnoxCustomer(company, { now })._unsafeUnwrap()).toEqual({
      Name: 'Acme Bygg AB',
      Email: 'Info@acme.se',
      Phone1: '08-123 456 78',
      Type: 'COMPANY',
      Address1: 'Storgatan 1',
      ZipCode: '264 32',
      City: 'Ängelholm',
      CountryCode: 'SE',
      OrganisationNumber: '556036-0793',
      Active: true,
      ExternalReference: 'cust-42',
    });
  });

  it('writes a private person with the 12-digit personnummer and omits empty fields', () => {
    expect(toFortnoxCustomer(person, { now })._unsafeUnwrap()).toEqual({
      Name: 'Anna Svensson',
      Phone1: '070-123 45 67',
      Type: 'PRIVATE',
      OrganisationNumber: '20121212-1212',
      Active: true,
      ExternalReference: 'p-7',
    });
  });

  it('writes the owner personnummer of a sole trader', () => {
    const soleTrader = { ...company, organisationNumber: '19121212-1212' };
    expect(toFortnoxCustomer(soleTrader, { now })._unsafeUnwrap().OrganisationNumber).toBe(
      '19121212-1212',
    );
  });

  it('writes a samordningsnummer as given, day + 60', () => {
    const coordinated = { ...person, organisationNumber: '701063-2391' };
    expect(toFortnoxCustomer(coordinated, { now })._unsafeUnwrap().OrganisationNumber).toBe(
      '19701063-2391',
    );
  });

  it('keeps a foreign customer’s own organisation or identity number as written', () => {
    const norwegian = {
      ...company,
      phone: null,
      address: { countryCode: 'NO' },
      organisationNumber: ' NO  923 609 016 MVA ',
    };
    expect(toFortnoxCustomer(norwegian, { now })._unsafeUnwrap().OrganisationNumber).toBe(
      'NO 923 609 016 MVA',
    );
    // A Danish CPR number (it fails the Swedish check digit).
    const dane = {
      ...person,
      address: { countryCode: 'Danmark' },
      organisationNumber: '010203-1233',
    };
    expect(toFortnoxCustomer(dane, { now })._unsafeUnwrap().OrganisationNumber).toBe('010203-1233');
    // A Swedish number of a customer abroad is still written in the Swedish form.
    const abroad = { ...norwegian, organisationNumber: '5560360793' };
    expect(toFortnoxCustomer(abroad, { now })._unsafeUnwrap().OrganisationNumber).toBe(
      '556036-0793',
    );
    // Fortnox lists OrganisationNumber with at most 30 characters, and checks its characters.
    expect(codes({ ...norwegian, organisationNumber: '1'.repeat(31) })).toEqual([
      ['organisationNumber', 'too-long'],
    ]);
    expect(codes({ ...norwegian, organisationNumber: '<923>' })).toEqual([
      ['organisationNumber', 'disallowed-characters'],
    ]);
    // In Sweden, and without a country, the Swedish rules apply.
    expect(codes({ ...norwegian, address: { countryCode: 'SE' } })).toEqual([
      ['organisationNumber', 'invalid-characters'],
    ]);
    expect(codes({ ...norwegian, address: null })).toEqual([
      ['organisationNumber', 'invalid-characters'],
    ]);
  });

  it('refuses an organisation number for a private person', () => {
    expect(codes({ ...person, organisationNumber: '556036-0793' })).toEqual([
      ['organisationNumber', 'organisation-number-given'],
    ]);
  });

  it('never sends a personnummer with serial number 000 or a guessed century', () => {
    for (const type of ['private', 'company'] as const) {
      expect(codes({ ...person, type, organisationNumber: '20150916-0006' })).toEqual([
        ['organisationNumber', 'invalid-serial-number'],
      ]);
      expect(codes({ ...person, type, organisationNumber: '090527 1474' })).toEqual([
        ['organisationNumber', 'ambiguous-century'],
      ]);
    }
  });

  it('sends only changed fields against the last synced source customer', () => {
    const edited: SourceCustomer = {
      ...company,
      name: 'Acme Bygg AB',
      email: 'info@acme.se',
      phone: null,
      address: { ...company.address, city: ' ', postalCode: '264 32' },
    };
    expect(toFortnoxCustomer(edited, { now, previous: company })._unsafeUnwrap()).toEqual({
      Email: 'info@acme.se',
      Phone1: API_BLANK,
      City: API_BLANK,
    });
  });

  it('accepts the normalised last synced state, and sends nothing when nothing changed', () => {
    const previous = normalizeSourceCustomer(company, { now })._unsafeUnwrap();
    expect(toFortnoxCustomer(company, { now, previous })._unsafeUnwrap()).toEqual({});
    const moved = { ...company, address: { countryCode: 'NO', postalCode: '0150' } };
    expect(toFortnoxCustomer(moved, { now, previous })._unsafeUnwrap()).toEqual({
      Address1: API_BLANK,
      ZipCode: '0150',
      City: API_BLANK,
      CountryCode: 'NO',
      Phone1: '+46 8 123 456 78',
    });
  });

  it('sends every field when the previous state is unreadable', () => {
    const previous = { ...company, type: 'someone' } as unknown as SourceCustomer;
    const write = toFortnoxCustomer(person, { now, previous })._unsafeUnwrap();
    expect(Object.keys(write).sort()).toEqual([...OWNED_CUSTOMER_FIELDS].sort());
    expect(write.Email).toBe(API_BLANK);
  });

  it('clears empty fields on request without a previous state', () => {
    const write = toFortnoxCustomer(person, { now, clearEmptyFields: true })._unsafeUnwrap();
    expect(write).toMatchObject({ Email: API_BLANK, Address1: API_BLANK, CountryCode: API_BLANK });
  });

  it('reads national phone numbers in the customer’s country', () => {
    const norwegian = { ...company, phone: '22 12 34 56', address: { countryCode: 'Norge' } };
    expect(toFortnoxCustomer(norwegian, { now })._unsafeUnwrap().Phone1).toBe('+47 22 12 34 56');
    const explicit = { now, defaultPhoneCountry: 'SE' };
    expect(toFortnoxCustomer({ ...norwegian, phone: '070-123 45 67' }, explicit).isOk()).toBe(true);
  });

  it('maps look-alike characters to Fortnox’s whitelist', () => {
    const quoted = {
      ...company,
      name: 'Café "Blå" [Öst] — Väst',
      address: { street: "O'Learys\tväg 1" },
    };
    const write = toFortnoxCustomer(quoted, { now })._unsafeUnwrap();
    expect(write.Name).toBe('Café ’Blå’ (Öst) – Väst');
    expect(write.Address1).toBe('O’Learys väg 1');
  });

  it('reports every problem at once, by field, without the values', () => {
    const broken = {
      id: '',
      type: 'company',
      name: 'Acme <AB>',
      email: 'info@acme',
      phone: '070-12',
      address: { postalCode: '2643', countryCode: 'Atlantis', city: 42 },
      organisationNumber: '556036-0794',
      active: true,
    };
    const error = toFortnoxCustomer(broken as never, { now })._unsafeUnwrapErr();
    expect(error.issues.map((issue) => [issue.field, issue.code])).toEqual([
      ['id', 'required'],
      ['name', 'disallowed-characters'],
      ['email', 'invalid-format'],
      ['phone', 'invalid-phone-number'],
      ['address.city', 'invalid-type'],
      ['address.countryCode', 'unsupported-country'],
      ['organisationNumber', 'invalid-checksum'],
    ]);
    expect(error.issues[1]).toMatchObject({ fortnoxField: 'Name', characters: ['<', '>'] });
    expect(error.issues[1]?.userMessage.sv).toBe(
      'Namnet innehåller tecken som Fortnox inte tillåter: ”<” ”>”.',
    );
    expect(error.userMessage.en).toBe('The customer data has 7 problems to correct.');
    const text = JSON.stringify(error.issues.map((issue) => issue.message));
    for (const secret of ['info@acme', '070-12', '556036', 'Atlantis', 'Acme']) {
      expect(text).not.toContain(secret);
    }
  });

  it('does not spell out a name in another alphabet in the message', () => {
    const issue = toFortnoxCustomer(
      { ...company, name: 'Иван <Петров>' },
      { now },
    )._unsafeUnwrapErr().issues[0];
    expect(issue).toMatchObject({ field: 'name', code: 'disallowed-characters' });
    expect(issue?.message).toBe(issue?.userMessage.en);
    expect(issue?.userMessage).toEqual({
      sv: 'Namnet innehåller tecken som Fortnox inte tillåter: ”<” ”>” och bokstäver, siffror eller accenter från andra alfabet. Skriv det med latinska bokstäver, eller slå på omskrivning till latinska bokstäver (alternativet transliterate).',
      en: 'The name contains characters that Fortnox does not allow: ”<” ”>” and letters, digits or accents from other alphabets. Write it in Latin letters, or turn on rewriting in Latin letters (the transliterate option).',
    });
    expect(issue).toMatchObject({ characters: ['<', '>'], otherAlphabets: true });
    const onlyLetters = toFortnoxCustomer({ ...company, name: 'Иван' }, { now })._unsafeUnwrapErr();
    expect(onlyLetters.issues[0]?.userMessage.en).toBe(
      'The name contains characters that Fortnox does not allow: letters, digits or accents from other alphabets. Write it in Latin letters, or turn on rewriting in Latin letters (the transliterate option).',
    );
  });

  it('rejects a Swedish postcode of the wrong length', () => {
    expect(codes({ ...company, address: { postalCode: '2643' } })).toEqual([
      ['address.postalCode', 'invalid-length'],
    ]);
  });

  it('rejects over-long text and the literal API_BLANK', () => {
    expect(codes({ ...company, name: 'x'.repeat(1025) })).toEqual([['name', 'too-long']]);
    expect(codes({ ...company, address: { city: 'API_BLANK' } })).toEqual([
      ['address.city', 'invalid-value'],
    ]);
    expect(toFortnoxCustomer({ ...company, name: 'x'.repeat(1024) }, { now }).isOk()).toBe(true);
  });

  it('rejects line breaks in the id, which must be found again as written', () => {
    expect(codes({ ...company, id: 'a\nb' })).toEqual([['id', 'disallowed-characters']]);
  });

  it('never writes a Fortnox-owned field, and passes the strict write schema', () => {
    const withExtras = { ...company, TermsOfPayment: '30', PriceList: 'A', Comments: 'x' };
    const write = toFortnoxCustomer(withExtras, { now })._unsafeUnwrap();
    expect(
      Object.keys(write).every((key) => (OWNED_CUSTOMER_FIELDS as readonly string[]).includes(key)),
    ).toBe(true);
    expect(FortnoxCustomerWriteSchema.safeParse(write).success).toBe(true);
  });
});
