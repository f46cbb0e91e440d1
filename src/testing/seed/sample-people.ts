import { createRandom, type Random } from '../emulator/prng.js';
import {
  CITIES,
  COMPANY_TRADES,
  COMPANY_WORDS,
  FIRST_NAMES,
  MAIL_DOMAINS,
  STREETS,
  SURNAMES,
  type SwedishCity,
} from './swedish-data.js';
import {
  generateLandlineNumber,
  generateMobileNumber,
  generateOrganisationNumber,
  generatePersonalIdentityNumber,
  generatePostalCode,
} from './swedish-identifiers.js';

/** One real-world customer of the sample, before it is written as a source or a Fortnox customer. */
export type SampleProfile = {
  readonly type: 'company' | 'private';
  readonly name: string;
  /** First name of a person (for typos in it); the company's first word otherwise. */
  readonly firstName: string;
  readonly email: string;
  /** Written `070-123 45 67` / `08-123 456 78`. */
  readonly phone: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  /** Organisation number of a company, personnummer of a person (`NNNNNN-NNNN`). */
  readonly identityNumber: string;
};

/**
 * Generates distinct customers: no two share a name (first and last word), e-mail, phone or
 * identity number, so that the only likely duplicates in a sample are the ones it plants on purpose.
 */
export type ProfileFactory = {
  company(): SampleProfile;
  person(): SampleProfile;
  readonly random: Random;
};

const ascii = (text: string) =>
  text
    .toLowerCase()
    .replace(/[åä]/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/é/g, 'e')
    .replace(/[^a-z0-9]+/g, '');

const COMPANY_SUFFIXES = ['AB', 'AB', 'AB', 'AB', 'HB', 'ekonomisk förening'] as const;
const GROUP_OF_SUFFIX: Readonly<Record<(typeof COMPANY_SUFFIXES)[number], number>> = {
  AB: 5,
  HB: 9,
  'ekonomisk förening': 7,
};

/** Creates the factory; the same seed gives the same customers. */
export function createProfileFactory(seed: number): ProfileFactory {
  const random = createRandom(seed);
  const used = new Set<string>();
  // Keys that would make two unrelated customers look alike to a duplicate resolver.
  const claim = (...keys: string[]) => {
    if (keys.some((key) => used.has(key))) return false;
    for (const key of keys) used.add(key);
    return true;
  };
  const unique = <T>(make: () => T, keysOf: (value: T) => string[]): T => {
    for (let attempt = 0; attempt < 10_000; attempt += 1) {
      const value = make();
      if (claim(...keysOf(value))) return value;
    }
    throw new RangeError('sample: ran out of distinct Swedish customers; ask for fewer');
  };
  const place = (city: SwedishCity, maxNumber: number) => ({
    street: `${random.pick(STREETS)} ${random.int(1, maxNumber)}`,
    postalCode: generatePostalCode(random, city),
    city: city.name,
  });

  const companyName = () => {
    const trade = random.pick(COMPANY_TRADES);
    const suffix = random.pick(COMPANY_SUFFIXES);
    const pattern = random.int(0, 2);
    const first =
      pattern === 1 ? `${random.pick(SURNAMES)}s` : random.pick(COMPANY_WORDS).replace(/s$/, '');
    const middle = pattern === 2 ? ` ${random.pick(CITIES).name}` : '';
    return { first, words: `${first} ${trade}${middle}`, suffix };
  };

  return {
    random,
    company: () =>
      unique(
        () => {
          const city = random.pick(CITIES);
          const { first, words, suffix } = companyName();
          return {
            type: 'company' as const,
            name: `${words} ${suffix}`,
            firstName: first,
            email: `${random.pick(['info', 'kontakt', 'ekonomi', 'faktura'])}@${ascii(words)}.se`,
            phone: random.chance(0.7)
              ? generateLandlineNumber(random, city)
              : generateMobileNumber(random),
            ...place(city, 120),
            identityNumber: generateOrganisationNumber(random, GROUP_OF_SUFFIX[suffix]),
          };
        },
        (c) => [
          `n:${ascii(c.name.replace(/ (AB|HB|ekonomisk förening)$/, ''))}`,
          ...contactKeys(c),
        ],
      ),
    person: () =>
      unique(
        () => {
          const city = random.pick(CITIES);
          const first = random.pick(FIRST_NAMES);
          const last = random.pick(SURNAMES);
          return {
            type: 'private' as const,
            name: `${first} ${last}`,
            firstName: first,
            email: `${ascii(first)}.${ascii(last)}${random.int(1, 99)}@${random.pick(MAIL_DOMAINS)}`,
            phone: generateMobileNumber(random),
            ...place(city, 80),
            identityNumber: generatePersonalIdentityNumber(random),
          };
        },
        // Same first and last name is a near-duplicate to a resolver: never by accident.
        (p) => [`n:${ascii(p.name)}`, ...contactKeys(p)],
      ),
  };
}

function contactKeys(profile: Omit<SampleProfile, 'name' | 'firstName' | 'type'>): string[] {
  return [
    `e:${profile.email}`,
    `t:${profile.phone.replace(/\D/g, '').slice(-7)}`,
    `i:${profile.identityNumber}`,
    `a:${profile.postalCode}:${profile.street}`,
  ];
}

/**
 * A typo in the word at `wordIndex`: two different neighbouring letters swapped, or (in a word
 * without such a pair, like `Per`) its last letter doubled. The result always differs.
 */
export function swapLetters(random: Random, text: string, wordIndex = 0): string {
  const words = text.split(' ');
  const letters = [...(words[wordIndex] ?? '')];
  // Never the first letter: people rarely get that wrong.
  const positions = letters
    .map((_, at) => at)
    .filter((at) => at >= 1 && at + 1 < letters.length && letters[at] !== letters[at + 1]);
  if (positions.length === 0) letters.push(letters.at(-1) ?? 'e');
  else {
    const at = random.pick(positions);
    [letters[at], letters[at + 1]] = [letters[at + 1] ?? '', letters[at] ?? ''];
  }
  words[wordIndex] = letters.join('');
  return words.join(' ');
}
