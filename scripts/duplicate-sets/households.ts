/**
 * A household data set: different people who share a phone, a mailbox or a home, the case that
 * scores highest without being the same person. Deterministic by seed; synthetic Swedish names
 * from `src/testing/seed`.
 *
 * - Housemates: same surname, street address, postal code, city and phone (a third of them also
 *   one family e-mail), and a clearly different given name (not one letter from the other).
 * - Namesakes: same given name and phone, another surname (different also after folding
 *   å ä ö, so "Jönsson"/"Jonsson" is never used as two surnames), each at their own address.
 *
 * The first person of each pair is in Fortnox (a list item, kind unknown as in a real list); the
 * second is the source customer resolved against all of them. Any link to the first person is a
 * false link: two people merged into one customer.
 */
import type { IndexableCustomer, ResolvableCustomer } from '../../src/duplicates/index.js';
import { foldText } from '../../src/duplicates/index.js';
import { isWithinOneEdit } from '../../src/duplicates/string-similarity.js';
import { createRandom, type Random } from '../../src/testing/emulator/prng.js';
import {
  CITIES,
  FIRST_NAMES,
  MAIL_DOMAINS,
  STREETS,
  SURNAMES,
} from '../../src/testing/seed/swedish-data.js';
import {
  generateLandlineNumber,
  generateMobileNumber,
  generatePostalCode,
} from '../../src/testing/seed/swedish-identifiers.js';

/** One pair: the Fortnox customer and the other person resolved against the index. */
export type HouseholdPair = {
  readonly kind: 'housemate' | 'namesake';
  /** The Fortnox customer number of the first person (never the same person as `other`). */
  readonly customerNumber: string;
  /** The second person, as a source customer. */
  readonly other: ResolvableCustomer;
};

/** The Fortnox customers (first persons) and the pairs. */
export type HouseholdSet = {
  readonly fortnox: readonly IndexableCustomer[];
  readonly pairs: readonly HouseholdPair[];
};

/** Options of {@link generateHouseholds}. */
export type HouseholdOptions = {
  readonly seed?: number;
  readonly housemates?: number;
  readonly namesakes?: number;
};

const mailbox = (text: string) => foldText(text).replaceAll(' ', '');

/** A given name, or a surname, clearly different from `than`: not equal, not one letter off. */
function pickOther(random: Random, names: readonly string[], than: string): string {
  for (;;) {
    const name = random.pick(names);
    const [a, b] = [mailbox(name), mailbox(than)];
    if (a !== b && !isWithinOneEdit(a, b)) return name;
  }
}

/** A surname other than `than`, also after folding (one letter apart is allowed: Jansson/Jonsson). */
function pickOtherSurname(random: Random, than: string): string {
  for (;;) {
    const name = random.pick(SURNAMES);
    if (mailbox(name) !== mailbox(than)) return name;
  }
}

function address(random: Random) {
  const city = random.pick(CITIES);
  return {
    street: `${random.pick(STREETS)} ${random.int(1, 80)}`,
    postalCode: generatePostalCode(random, city),
    city: city.name,
    countryCode: 'SE',
  };
}

type Person = {
  readonly name: string;
  readonly phone: string;
  readonly email: string | null;
  readonly address: ReturnType<typeof address>;
};

function toFortnox(number: string, person: Person): IndexableCustomer {
  return {
    CustomerNumber: number,
    Name: person.name,
    Email: person.email ?? '',
    Phone: person.phone,
    OrganisationNumber: '',
    Address1: person.address.street,
    ZipCode: person.address.postalCode,
    City: person.address.city,
  };
}

const toSource = (id: string, person: Person): ResolvableCustomer => ({
  id,
  type: 'private',
  name: person.name,
  email: person.email,
  phone: person.phone,
  address: person.address,
});

/** Generates the household set (1 000 housemate pairs and 1 000 namesake pairs by default). */
export function generateHouseholds(options: HouseholdOptions = {}): HouseholdSet {
  const random = createRandom(options.seed ?? 8_006);
  const fortnox: IndexableCustomer[] = [];
  const pairs: HouseholdPair[] = [];
  const add = (kind: HouseholdPair['kind'], first: Person, second: Person) => {
    const customerNumber = String(1 + fortnox.length);
    fortnox.push(toFortnox(customerNumber, first));
    pairs.push({ kind, customerNumber, other: toSource(`${kind}-${pairs.length}`, second) });
  };
  const personalEmail = (given: string, surname: string) =>
    random.chance(0.7)
      ? `${mailbox(given)}.${mailbox(surname)}${random.int(1, 99)}@${random.pick(MAIL_DOMAINS)}`
      : null;

  for (let i = 0; i < (options.housemates ?? 1000); i++) {
    const surname = random.pick(SURNAMES);
    const given = random.pick(FIRST_NAMES);
    const home = address(random);
    const city = CITIES.find((c) => c.name === home.city)!;
    const phone = random.chance(0.5)
      ? generateLandlineNumber(random, city)
      : generateMobileNumber(random);
    const family = random.chance(1 / 3)
      ? `familjen.${mailbox(surname)}${random.int(1, 99)}@${random.pick(MAIL_DOMAINS)}`
      : undefined;
    const other = pickOther(random, FIRST_NAMES, given);
    add(
      'housemate',
      {
        name: `${given} ${surname}`,
        phone,
        email: family ?? personalEmail(given, surname),
        address: home,
      },
      {
        name: `${other} ${surname}`,
        phone,
        email: family ?? personalEmail(other, surname),
        address: home,
      },
    );
  }
  for (let i = 0; i < (options.namesakes ?? 1000); i++) {
    const given = random.pick(FIRST_NAMES);
    const surname = random.pick(SURNAMES);
    const other = pickOtherSurname(random, surname);
    const phone = generateMobileNumber(random);
    add(
      'namesake',
      {
        name: `${given} ${surname}`,
        phone,
        email: personalEmail(given, surname),
        address: address(random),
      },
      {
        name: `${given} ${other}`,
        phone,
        email: personalEmail(given, other),
        address: address(random),
      },
    );
  }
  return { fortnox, pairs };
}
