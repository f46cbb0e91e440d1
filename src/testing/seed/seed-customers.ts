import { createRandom, type Random } from '../emulator/prng.js';
import {
  CITIES,
  COMPANY_TRADES,
  COMPANY_WORDS,
  FIRST_NAMES,
  MAIL_DOMAINS,
  STREETS,
  SURNAMES,
} from './swedish-data.js';
import {
  generateLandlineNumber,
  generateMobileNumber,
  generateOrganisationNumber,
  generatePersonalIdentityNumber,
  generatePostalCode,
} from './swedish-identifiers.js';

/** A generated customer, as a `{"Customer": …}` write body would carry it. */
export type SeedCustomer = {
  readonly Name: string;
  readonly Type: 'COMPANY' | 'PRIVATE';
  readonly OrganisationNumber: string;
  readonly Email: string;
  readonly Phone1: string;
  readonly Address1: string;
  readonly ZipCode: string;
  readonly City: string;
  readonly CountryCode: 'SE';
  readonly Active: boolean;
};

/** How a generated customer relates to the others (for evaluating duplicate detection). */
export type SeedRelation =
  | { readonly kind: 'original' }
  | { readonly kind: 'exact-duplicate'; readonly of: number }
  | { readonly kind: 'near-duplicate'; readonly of: number; readonly variation: string };

/** Options of {@link seedCustomers}. */
export type SeedCustomersOptions = {
  /** Seed of the generator: the same seed gives the same customers. @defaultValue 1 */
  seed?: number;
  /** Share of companies (the rest are private persons). @defaultValue 0.6 */
  companyShare?: number;
  /** Share of exact duplicates. @defaultValue 0.03 */
  exactDuplicateShare?: number;
  /** Share of near-duplicates (typos, other formatting). @defaultValue 0.07 */
  nearDuplicateShare?: number;
  /** Share of inactive customers. @defaultValue 0.05 */
  inactiveShare?: number;
};

const SUFFIX_OF_GROUP: Readonly<Record<number, string>> = {
  2: 'kommun',
  5: 'AB',
  7: 'ekonomisk förening',
  8: 'ideell förening',
  9: 'HB',
};

/** Legal-form groups weighted like a typical customer base: mostly aktiebolag. */
const COMPANY_GROUPS = [5, 5, 5, 5, 9, 7, 8, 2] as const;

const ascii = (text: string) =>
  text
    .toLowerCase()
    .replace(/[åä]/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/é/g, 'e')
    .replace(/[^a-z0-9]+/g, '');

function generateCompany(random: Random): SeedCustomer {
  const group = random.pick(COMPANY_GROUPS);
  const city = random.pick(CITIES);
  const words = `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_TRADES)}`;
  const name =
    group === 2 ? `${city.name} ${SUFFIX_OF_GROUP[2]}` : `${words} ${SUFFIX_OF_GROUP[group]}`;
  return {
    Name: name,
    Type: 'COMPANY',
    OrganisationNumber: generateOrganisationNumber(random, group),
    Email: `${random.pick(['info', 'kontakt', 'ekonomi', 'faktura'])}@${ascii(words)}.se`,
    Phone1: random.chance(0.7)
      ? generateLandlineNumber(random, city)
      : generateMobileNumber(random),
    Address1: `${random.pick(STREETS)} ${random.int(1, 120)}`,
    ZipCode: generatePostalCode(random, city),
    City: city.name,
    CountryCode: 'SE',
    Active: true,
  };
}

function generatePerson(random: Random): SeedCustomer {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(SURNAMES);
  const city = random.pick(CITIES);
  return {
    Name: `${first} ${last}`,
    Type: 'PRIVATE',
    OrganisationNumber: generatePersonalIdentityNumber(random),
    Email: `${ascii(first)}.${ascii(last)}${random.int(1, 99)}@${random.pick(MAIL_DOMAINS)}`,
    Phone1: generateMobileNumber(random),
    Address1: `${random.pick(STREETS)} ${random.int(1, 80)}${random.chance(0.2) ? ` lgh ${random.int(1001, 1304)}` : ''}`,
    ZipCode: generatePostalCode(random, city),
    City: city.name,
    CountryCode: 'SE',
    Active: true,
  };
}

/** Swaps two neighbouring letters of a word: a typical typo. */
function typo(random: Random, text: string): string {
  const letters = [...text];
  const at = random.int(1, Math.max(1, letters.length - 2));
  const left = letters[at - 1];
  const right = letters[at];
  if (left === undefined || right === undefined || left === ' ' || right === ' ') return `${text}s`;
  letters[at - 1] = right;
  letters[at] = left;
  return letters.join('');
}

/** Variations a real duplicate shows: a typo, or the same identifier written differently. */
function vary(
  random: Random,
  original: SeedCustomer,
): { customer: SeedCustomer; variation: string } {
  const variation = random.pick([
    'name-typo',
    'identifier-format',
    'phone-format',
    'email-case',
    'name-case',
  ]);
  switch (variation) {
    case 'name-typo':
      return { customer: { ...original, Name: typo(random, original.Name) }, variation };
    case 'identifier-format':
      return {
        customer: { ...original, OrganisationNumber: original.OrganisationNumber.replace('-', '') },
        variation,
      };
    case 'phone-format': {
      return {
        customer: { ...original, Phone1: original.Phone1.replace(/^0/, '+46 ') },
        variation,
      };
    }
    case 'email-case':
      return { customer: { ...original, Email: original.Email.toUpperCase() }, variation };
    default:
      return { customer: { ...original, Name: original.Name.toUpperCase() }, variation };
  }
}

type Shares = { company: number; exact: number; near: number; inactive: number };

function share(name: keyof SeedCustomersOptions, value: number | undefined, fallback: number) {
  const resolved = value ?? fallback;
  if (!(resolved >= 0 && resolved <= 1)) {
    throw new TypeError(`seedCustomers: ${name} must be within 0..1, got ${resolved}`);
  }
  return resolved;
}

function resolveShares(options: SeedCustomersOptions): Shares {
  const shares = {
    company: share('companyShare', options.companyShare, 0.6),
    exact: share('exactDuplicateShare', options.exactDuplicateShare, 0.03),
    near: share('nearDuplicateShare', options.nearDuplicateShare, 0.07),
    inactive: share('inactiveShare', options.inactiveShare, 0.05),
  };
  if (shares.exact + shares.near > 1) {
    throw new TypeError('seedCustomers: exact and near duplicate shares add up to more than 1');
  }
  return shares;
}

/**
 * Generates realistic Swedish customers, deterministic by seed: companies with valid organisation
 * numbers, private persons with valid personnummer, Swedish phones and postcodes, real cities, plus
 * exact and near-duplicates. Returns each customer with its relation to the others.
 * @example seedCustomersWithRelations(500, { seed: 42 })
 */
export function seedCustomersWithRelations(
  count: number,
  options: SeedCustomersOptions = {},
): Array<{ customer: SeedCustomer; relation: SeedRelation }> {
  if (!Number.isInteger(count) || count < 0) {
    throw new TypeError(`seedCustomers: count must be a non-negative integer, got ${count}`);
  }
  const shares = resolveShares(options);
  const random = createRandom(options.seed ?? 1);
  const result: Array<{ customer: SeedCustomer; relation: SeedRelation }> = [];
  const originals: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const roll = random.next();
    if (originals.length > 0 && roll < shares.exact + shares.near) {
      const of = random.pick(originals);
      const source = result[of]?.customer ?? generatePerson(random);
      if (roll < shares.exact)
        result.push({ customer: source, relation: { kind: 'exact-duplicate', of } });
      else {
        const { customer, variation } = vary(random, source);
        result.push({ customer, relation: { kind: 'near-duplicate', of, variation } });
      }
      continue;
    }
    const base = random.chance(shares.company) ? generateCompany(random) : generatePerson(random);
    const inactive = random.chance(shares.inactive);
    originals.push(result.length);
    result.push({
      customer: inactive ? { ...base, Active: false } : base,
      relation: { kind: 'original' },
    });
  }
  return result;
}

/** Generates `count` realistic Swedish customers (see {@link seedCustomersWithRelations}). */
export function seedCustomers(count: number, options: SeedCustomersOptions = {}): SeedCustomer[] {
  return seedCustomersWithRelations(count, options).map((entry) => entry.customer);
}
