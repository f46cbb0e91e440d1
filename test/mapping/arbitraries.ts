import fc from 'fast-check';
import { ISO_COUNTRY_CODES } from '../../src/fortnox/index.js';

/** The moment property tests read personnummer at. */
export const NOW = new Date('2026-06-15T12:00:00Z');

/** Luhn check digit over nine digits, written independently of the code under test. */
export function luhn(nineDigits: string): string {
  let sum = 0;
  for (const [index, char] of [...nineDigits].entries()) {
    const product = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return String((10 - (sum % 10)) % 10);
}

const digits = (length: number) =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length })
    .map((d) => d.join(''));

/** A valid organisation number: its 10 digits and one of the ways people write it. */
export const organisationNumberArb = fc
  .tuple(fc.integer({ min: 1, max: 9 }), digits(1), fc.integer({ min: 2, max: 9 }), digits(6))
  .chain(([first, second, third, rest]) => {
    const nine = `${first}${second}${third}${rest}`;
    const ten = `${nine}${luhn(nine)}`;
    const dashed = `${ten.slice(0, 6)}-${ten.slice(6)}`;
    const written = [
      ten,
      dashed,
      `16${ten}`,
      `16${dashed}`,
      ` ${ten.slice(0, 6)} ${ten.slice(6)} `,
      `SE${ten}01`,
      dashed.replace('-', '–'),
    ];
    return fc.record({ digits: fc.constant(ten), written: fc.constantFrom(...written) });
  });

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** A valid personnummer or samordningsnummer: its canonical form, birth date and a written form. */
export const personalIdentityNumberArb = fc
  .record({
    birth: fc.date({ min: new Date('1850-01-01T00:00:00Z'), max: NOW, noInvalidDate: true }),
    // 000 is never issued.
    serial: fc.integer({ min: 1, max: 999 }).map((serial) => pad(serial, 3)),
    coordination: fc.boolean(),
  })
  .chain(({ birth, serial, coordination }) => {
    const year = birth.getUTCFullYear();
    const month = pad(birth.getUTCMonth() + 1);
    const day = pad(birth.getUTCDate() + (coordination ? 60 : 0));
    const nine = `${pad(year % 100)}${month}${day}${serial}`;
    const check = luhn(nine);
    const hundredthBirthday = Date.UTC(year + 100, birth.getUTCMonth(), birth.getUTCDate());
    const separator = hundredthBirthday <= NOW.getTime() ? '+' : '-';
    const formatted = `${year}${month}${day}-${serial}${check}`;
    const written = [
      formatted,
      formatted.replace('-', ''),
      formatted.replace('-', '+'),
      `${nine.slice(0, 6)}${separator}${serial}${check}`,
      ...(separator === '-' ? [`${nine}${check}`, formatted.slice(2).replace('-', '−')] : []),
    ];
    return fc.record({
      formatted: fc.constant(formatted),
      birthDate: fc.constant(`${year}-${month}-${pad(birth.getUTCDate())}`),
      kind: fc.constant(coordination ? 'samordningsnummer' : 'personnummer'),
      written: fc.constantFrom(...written),
    });
  });

/** A Swedish mobile number (070/072/073/076/079 + 7 digits), its E.164 and a written form. */
export const swedishMobileArb = fc
  .tuple(fc.constantFrom('0', '2', '3', '6', '9'), digits(7), fc.constantFrom(' ', '-', '', '.'))
  .chain(([operator, subscriber, separator]) => {
    const national = `07${operator}${subscriber}`;
    const rest = national.slice(1);
    const written = [
      national,
      `${national.slice(0, 3)}${separator}${national.slice(3, 6)} ${national.slice(6, 8)} ${national.slice(8)}`,
      `+46 ${rest.slice(0, 2)} ${rest.slice(2)}`,
      `0046${rest}`,
      `+46 (0)${rest}`,
      `${national.slice(0, 3)}–${national.slice(3)}`,
    ];
    return fc.record({ e164: fc.constant(`+46${rest}`), written: fc.constantFrom(...written) });
  });

/** Phone-like strings: valid and invalid numbers from several countries, with separators. */
export const phoneLikeArb = fc.oneof(
  swedishMobileArb.map((phone) => phone.written),
  fc.stringMatching(/^(\+|00)?(46|47|45|358|49|44|1)?[ -]?\(?0?\)?[1-9][0-9 -]{5,11}$/),
  fc.stringMatching(/^0[1-9][0-9]{0,3}[- ]?[0-9 ]{5,9}$/),
);

const countryNameLocales = ['sv', 'en', 'de', 'nb', 'da', 'fi'];
const countryNames = [...ISO_COUNTRY_CODES].flatMap((code) => [
  code,
  ...countryNameLocales.flatMap(
    (locale) =>
      new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }).of(code) ?? [],
  ),
]);

/** A country as people write it: an alpha-2 code or a name in a Nordic language, any case, padded. */
export const countryNameArb = fc
  .tuple(fc.constantFrom(...countryNames), fc.constantFrom('lower', 'upper', 'as-is'), fc.boolean())
  .map(([name, casing, padded]) => {
    const cased =
      casing === 'lower' ? name.toLowerCase() : casing === 'upper' ? name.toUpperCase() : name;
    return padded ? ` ${cased} ` : cased;
  });

/** A Swedish postcode in one of the ways people write it, and its canonical form. */
export const swedishPostalCodeArb = fc
  .tuple(fc.integer({ min: 1, max: 9 }), digits(4))
  .chain(([first, rest]) => {
    const code = `${first}${rest}`;
    const formatted = `${code.slice(0, 3)} ${code.slice(3)}`;
    const written = [
      code,
      formatted,
      ` ${formatted} `,
      `SE-${formatted}`,
      `S-${code}`,
      `se${code}`,
    ];
    return fc.record({ formatted: fc.constant(formatted), written: fc.constantFrom(...written) });
  });

const realisticNames = [
  'Anna Svensson',
  'Acme Bygg AB',
  'Café "Blå" [Öst]',
  'Åsa Öberg-Ähtäri',
  'Müller & Søn ApS',
  "O'Learys – Väst",
  'Kundo   AB\t',
  'Σ Sigma',
  'x'.repeat(1030),
];

/** Text fields: realistic names, arbitrary Unicode and arbitrary UTF-16. */
export const textArb = fc.oneof(
  fc.constantFrom(...realisticNames),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.stringMatching(/^[A-Za-zÅÄÖåäöé0-9 .,-]{1,40}$/),
);

/** Text that is valid after whitespace collapse and character substitution. */
export const validTextArb = fc.stringMatching(
  /^[A-Za-zÅÄÖåäöéü0-9][A-Za-zÅÄÖåäöéü0-9 .,'"&/()-]{0,39}$/,
);

/** Mostly the given values, sometimes noise, blank or null. */
const optionalTextArb = (values: fc.Arbitrary<string>) =>
  fc.option(
    fc.oneof(
      { arbitrary: values, weight: 6 },
      { arbitrary: textArb, weight: 1 },
      { arbitrary: fc.constantFrom('', '  '), weight: 1 },
    ),
    { nil: null, freq: 4 },
  );

/** E-mail addresses as people type them: mostly valid, some that the rules reject. */
export const emailArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,15}@[a-z0-9]{1,10}\.(se|com|nu|fi)$/),
  fc.emailAddress(),
  fc.constantFrom('Info@Acme.SE', ' a.b@c.se '),
);

const streetArb = fc.oneof(validTextArb, fc.constantFrom('Storgatan 1', 'c/o Berg, Box 12'));
const cityArb = fc.oneof(validTextArb, fc.constantFrom('Ängelholm', 'Göteborg', 'Oslo'));
/** Postal codes as written outside Sweden (letters, digits, spaces, hyphens). */
export const foreignPostalCodeArb = fc.stringMatching(/^[0-9A-Z][0-9A-Z -]{1,8}[0-9A-Z]$/);

/** An address whose postcode mostly fits its country (arbitraries built once: building is slow). */
const addressArb = (countries: readonly (string | null)[], postal: fc.Arbitrary<string>) =>
  fc.record(
    {
      street: optionalTextArb(streetArb),
      postalCode: optionalTextArb(postal),
      city: optionalTextArb(cityArb),
      countryCode: fc.oneof(
        { arbitrary: fc.constantFrom(...countries), weight: 6 },
        { arbitrary: optionalTextArb(textArb), weight: 1 },
      ),
    },
    { requiredKeys: [] },
  );
const anyAddressArb = fc.oneof(
  addressArb(
    [null, 'SE', 'Sverige'],
    swedishPostalCodeArb.map((p) => p.written),
  ),
  addressArb(['no', 'Tyskland', 'Finland', 'US', 'Atlantis'], foreignPostalCodeArb),
);

const personArb = personalIdentityNumberArb.map((p) => p.written);
const companyIdentityArb = fc.oneof(
  { arbitrary: organisationNumberArb.map((o) => o.written), weight: 4 },
  { arbitrary: personArb, weight: 1 },
);

const customerOf = (type: 'private' | 'company', identity: fc.Arbitrary<string>) =>
  fc.record(
    {
      id: fc.oneof(
        { arbitrary: fc.uuid(), weight: 3 },
        { arbitrary: fc.stringMatching(/^[a-z0-9_-]{1,20}$/), weight: 3 },
        { arbitrary: textArb, weight: 1 },
      ),
      type: fc.constant(type),
      name: fc.oneof({ arbitrary: validTextArb, weight: 6 }, { arbitrary: textArb, weight: 1 }),
      email: optionalTextArb(emailArb),
      phone: optionalTextArb(
        fc.oneof(
          { arbitrary: swedishMobileArb.map((m) => m.written), weight: 3 },
          { arbitrary: phoneLikeArb, weight: 1 },
        ),
      ),
      address: fc.option(anyAddressArb, { nil: null, freq: 5 }),
      organisationNumber: optionalTextArb(identity),
      active: fc.boolean(),
    },
    { requiredKeys: ['id', 'type', 'name', 'active'] },
  );

/** Plausible source customers: mostly well-formed, with invalid values mixed in. */
export const sourceCustomerArb = fc.oneof(
  customerOf('private', personArb),
  customerOf('company', companyIdentityArb),
);
