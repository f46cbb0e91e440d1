import type { SourceCustomer } from '../../mapping/index.js';
import type { EmulatorCustomer } from '../emulator/customer-record.js';
import type { EmulatorTenant } from '../emulator/emulator-tenant.js';
import type { Random } from '../emulator/prng.js';
import { createProfileFactory, type SampleProfile, swapLetters } from './sample-people.js';

/**
 * What a source customer of the sample is, which decides what an initial sync must do with it:
 * - `new-company`, `new-person`: not in Fortnox → `create`;
 * - `company-same`: in Fortnox with the same organisation number and data → `link`;
 * - `company-renamed`: same organisation number, an older name in Fortnox → `link` (the number is the identity);
 * - `company-fill`: same organisation number, Fortnox lacks the e-mail (and maybe the phone) → `update`;
 * - `company-inactive`: same, but inactive in Fortnox while active in the source → `update` (`Active`);
 * - `fortnox-duplicates`: in Fortnox twice (a hand-made, less complete copy) → `link` to the complete one;
 * - `person-same`: same name and phone (written differently), same e-mail → `link`;
 * - `person-typo`: a typo in the surname in Fortnox, same phone and e-mail → `link`;
 * - `person-fill`: same name and phone, Fortnox lacks the e-mail → `update`;
 * - `person-shared-phone`: a first name one typo off with the same phone but another e-mail (a
 *   household member?) → `ask`;
 * - `person-name-address`: same name at the same address, no phone or e-mail in the source → `ask`;
 * - `invalid-organisation-number`, `cyrillic-name`, `invalid-email`: Fortnox would refuse them → `failed`.
 */
export type SampleCase =
  | 'new-company'
  | 'new-person'
  | 'company-same'
  | 'company-renamed'
  | 'company-fill'
  | 'company-inactive'
  | 'fortnox-duplicates'
  | 'person-same'
  | 'person-typo'
  | 'person-fill'
  | 'person-shared-phone'
  | 'person-name-address'
  | 'invalid-organisation-number'
  | 'cyrillic-name'
  | 'invalid-email';

/** Share of each case among the source customers (sums to 1). */
export const SAMPLE_CASE_SHARES: Readonly<Record<SampleCase, number>> = {
  'new-company': 0.22,
  'new-person': 0.2,
  'company-same': 0.1,
  'company-renamed': 0.03,
  'company-fill': 0.08,
  'company-inactive': 0.02,
  'fortnox-duplicates': 0.03,
  'person-same': 0.1,
  'person-typo': 0.04,
  'person-fill': 0.05,
  'person-shared-phone': 0.03,
  'person-name-address': 0.03,
  'invalid-organisation-number': 0.02,
  'cyrillic-name': 0.02,
  'invalid-email': 0.03,
};

/** What the initial sync must do with one source customer: the sample's known truth. */
export type SampleTruth = { readonly case: SampleCase } & (
  | { readonly action: 'create' }
  | { readonly action: 'link'; readonly customerNumber: string }
  | {
      readonly action: 'update';
      readonly customerNumber: string;
      /** Fortnox fields the update writes, in Fortnox field order. */
      readonly fields: readonly string[];
    }
  | { readonly action: 'ask'; readonly customerNumber: string }
  | { readonly action: 'failed'; readonly field: string }
);

/** A Fortnox customer of the sample, as the body of a create (with its customer number). */
export type SampleFortnoxCustomer = {
  readonly CustomerNumber: string;
  readonly Name: string;
  readonly Type: 'COMPANY' | 'PRIVATE';
  readonly OrganisationNumber?: string;
  readonly Email?: string;
  readonly Phone1?: string;
  readonly Address1: string;
  readonly ZipCode: string;
  readonly City: string;
  readonly CountryCode: 'SE';
  readonly Active: boolean;
};

/** A sample: source customers, the Fortnox customers to seed, and what a sync must do. */
export type SampleSource = {
  readonly seed: number;
  readonly sourceCustomers: readonly SourceCustomer[];
  readonly fortnoxCustomers: readonly SampleFortnoxCustomer[];
  /** Source id → what the initial sync must do with it. */
  readonly truth: ReadonlyMap<string, SampleTruth>;
  /** How many source customers each action has. */
  readonly expectedCounts: Readonly<Record<SampleTruth['action'], number>>;
  /** Groups of Fortnox customer numbers that are one customer (hand-made duplicates inside Fortnox). */
  readonly fortnoxDuplicateGroups: readonly (readonly string[])[];
};

/** Options of {@link generateSampleSource}. */
export type SampleSourceOptions = {
  /** Source customers. @defaultValue 200 */
  readonly sourceCustomers?: number;
  /** Fortnox customers; at least 55 % of `sourceCustomers` (the overlap). @defaultValue 150 */
  readonly fortnoxCustomers?: number;
  /** The same seed gives the same sample. @defaultValue 1 */
  readonly seed?: number;
  /** First Fortnox customer number. @defaultValue 1 */
  readonly customerNumberStart?: number;
  /** Source id prefix (ids are `<prefix>00001`, …). @defaultValue 'kund-' */
  readonly idPrefix?: string;
};

const CASES = Object.keys(SAMPLE_CASE_SHARES) as SampleCase[];
/** Fortnox customers a case puts into Fortnox for each source customer. */
const FORTNOX_PER_CASE = (kind: SampleCase) =>
  kind === 'fortnox-duplicates'
    ? 2
    : kind.startsWith('new-') ||
        kind === 'invalid-organisation-number' ||
        kind === 'cyrillic-name' ||
        kind === 'invalid-email'
      ? 0
      : 1;

/** How many source customers of each case (floors; the rest are new companies). */
function caseCounts(total: number): Record<SampleCase, number> {
  const counts = Object.fromEntries(
    CASES.map((kind) => [kind, Math.floor(SAMPLE_CASE_SHARES[kind] * total)]),
  ) as Record<SampleCase, number>;
  const assigned = CASES.reduce((sum, kind) => sum + counts[kind], 0);
  counts['new-company'] += total - assigned;
  return counts;
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`generateSampleSource: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

const CYRILLIC_NAMES = ['Иван Петров', 'Ольга Смирнова', 'Дмитрий Иванов', 'Анна Кузнецова'];

/**
 * A deterministic, realistic Swedish sample for an initial sync: source customers and Fortnox
 * customers that overlap (companies sharing an organisation number, persons matching by name and
 * phone, some with typos), hand-made duplicates inside Fortnox, near-duplicates a person must decide
 * about, and rows Fortnox would refuse — with the known truth of what the sync must do with each
 * source customer. Seed the emulator with {@link seedSampleFortnox}.
 *
 * @example
 * const sample = generateSampleSource({ sourceCustomers: 2000, fortnoxCustomers: 1500, seed: 7 });
 * seedSampleFortnox(emulator.tenant(), sample);
 * sample.truth.get(sample.sourceCustomers[0].id) // { case: 'company-fill', action: 'update', … }
 */
export function generateSampleSource(options: SampleSourceOptions = {}): SampleSource {
  const seed = options.seed ?? 1;
  const total = checkCount('sourceCustomers', options.sourceCustomers ?? 200, 0);
  const counts = caseCounts(total);
  const overlap = CASES.reduce((sum, kind) => sum + counts[kind] * FORTNOX_PER_CASE(kind), 0);
  const fortnoxTotal = checkCount('fortnoxCustomers', options.fortnoxCustomers ?? 150, overlap);
  const start = checkCount('customerNumberStart', options.customerNumberStart ?? 1, 1);
  const idPrefix = options.idPrefix ?? 'kund-';
  const factory = createProfileFactory(seed);
  const { random } = factory;

  // Fortnox customers are drafted first and numbered after a shuffle, so numbers say nothing.
  type Draft = Omit<SampleFortnoxCustomer, 'CustomerNumber'> & { ref: number };
  const drafts: Draft[] = [];
  const draft = (profile: SampleProfile, change: Partial<Draft> = {}) => {
    const ref = drafts.length;
    drafts.push({ ...toFortnox(profile), ...change, ref });
    return ref;
  };
  type Planned = { source: SourceCustomer; kind: SampleCase; refs: number[]; fields?: string[] };
  const planned: Planned[] = [];
  /** The misspelt surnames of `person-typo` so far. */
  const misspelt = new Set<string>();
  const kinds = shuffle(
    random,
    CASES.flatMap((kind) => Array.from({ length: counts[kind] }, () => kind)),
  );
  kinds.forEach((kind, i) => {
    const id = `${idPrefix}${String(i + 1).padStart(5, '0')}`;
    planned.push(planCase(kind, id));
  });

  function planCase(kind: SampleCase, id: string): Planned {
    switch (kind) {
      case 'new-company':
        return { kind, source: toSource(id, factory.company()), refs: [] };
      case 'new-person': {
        const person = factory.person();
        return { kind, source: toSource(id, person, random.chance(0.3)), refs: [] };
      }
      case 'company-same': {
        const company = factory.company();
        const source = toSource(id, company);
        // The same number and phone, written another way in the source.
        const written = {
          ...source,
          organisationNumber: company.identityNumber.replace('-', ''),
          phone: company.phone.replace(/^0/, '+46 '),
        };
        return { kind, source: random.chance(0.5) ? written : source, refs: [draft(company)] };
      }
      case 'company-renamed': {
        const company = factory.company();
        const older = `${company.firstName} ${random.pick(['Service', 'Gruppen', 'Partner'])} AB`;
        return { kind, source: toSource(id, company), refs: [draft(company, { Name: older })] };
      }
      case 'company-fill': {
        const company = factory.company();
        const noPhone = random.chance(0.5);
        const ref = draft(company, { Email: '', ...(noPhone ? { Phone1: '' } : {}) });
        const fields = noPhone ? ['Email', 'Phone1'] : ['Email'];
        return { kind, source: toSource(id, company), refs: [ref], fields };
      }
      case 'company-inactive': {
        const company = factory.company();
        const ref = draft(company, { Active: false });
        return { kind, source: toSource(id, company), refs: [ref], fields: ['Active'] };
      }
      case 'fortnox-duplicates': {
        const company = factory.company();
        const full = draft(company);
        const copy = draft(company, { Email: '', Phone1: '', Name: company.name.toUpperCase() });
        return { kind, source: toSource(id, company), refs: [full, copy] };
      }
      case 'person-same': {
        const person = factory.person();
        const withNumber = random.chance(0.5);
        const ref = draft(person, withNumber ? {} : { OrganisationNumber: '' });
        const source = { ...toSource(id, person, withNumber), phone: compact(person.phone) };
        return { kind, source, refs: [ref] };
      }
      case 'person-typo': {
        // Each misspelt surname once: the same slip seen three times in a register reads as a
        // name in its own right ("Perssno"), and the resolver rightly asks about it.
        let person = factory.person();
        let name = swapLetters(random, person.name, 1);
        for (let tries = 0; misspelt.has(name.split(' ')[1] ?? '') && tries < 20; tries += 1) {
          person = factory.person();
          name = swapLetters(random, person.name, 1);
        }
        misspelt.add(name.split(' ')[1] ?? '');
        const ref = draft(person, { Name: name, OrganisationNumber: '' });
        return { kind, source: toSource(id, person, false), refs: [ref] };
      }
      case 'person-fill': {
        const person = factory.person();
        const ref = draft(person, { Email: '', OrganisationNumber: '' });
        return { kind, source: toSource(id, person, false), refs: [ref], fields: ['Email'] };
      }
      case 'person-shared-phone': {
        const person = factory.person();
        const other = factory.person();
        const ref = draft(person, { OrganisationNumber: '' });
        const name = swapLetters(random, person.name, 0);
        const source = { ...toSource(id, person, false), name, email: other.email };
        return { kind, source, refs: [ref] };
      }
      case 'person-name-address': {
        const person = factory.person();
        const ref = draft(person, { OrganisationNumber: '' });
        const source = { ...toSource(id, person, false), email: null, phone: null };
        return { kind, source, refs: [ref] };
      }
      case 'invalid-organisation-number': {
        const company = factory.company();
        const digits = company.identityNumber;
        const wrong = `${digits.slice(0, -1)}${(Number(digits.at(-1)) + 1) % 10}`;
        return { kind, source: { ...toSource(id, company), organisationNumber: wrong }, refs: [] };
      }
      case 'cyrillic-name': {
        const person = factory.person();
        return {
          kind,
          source: { ...toSource(id, person), name: random.pick(CYRILLIC_NAMES) },
          refs: [],
        };
      }
      case 'invalid-email': {
        const person = factory.person();
        const email = random.chance(0.5)
          ? person.email.replace('@', '@@')
          : person.email.replace('@', ' at ');
        return { kind, source: { ...toSource(id, person), email }, refs: [] };
      }
    }
  }

  // Fortnox customers the source does not know: some inactive, a few hand-made duplicate pairs.
  const groups: number[][] = planned
    .filter((entry) => entry.kind === 'fortnox-duplicates')
    .map((entry) => entry.refs);
  const pairs = Math.floor((fortnoxTotal - overlap) * 0.05);
  for (let i = 0; i < pairs; i += 1) {
    const person = factory.person();
    const phoneFormat = { Phone1: person.phone.replace(/^0/, '+46 '), OrganisationNumber: '' };
    groups.push([draft(person), draft(person, phoneFormat)]);
  }
  while (drafts.length < fortnoxTotal) {
    const profile = random.chance(0.6) ? factory.company() : factory.person();
    draft(profile, random.chance(0.08) ? { Active: false } : {});
  }

  const numbered = shuffle(random, [...drafts]).map((entry, i) => ({
    ...entry,
    CustomerNumber: String(start + i),
  }));
  const numberOf = new Map(numbered.map((entry) => [entry.ref, entry.CustomerNumber]));
  const number = (ref: number | undefined) => numberOf.get(ref ?? -1) ?? '';
  const truth = new Map<string, SampleTruth>();
  for (const { source, kind, refs, fields } of planned) {
    truth.set(source.id, truthOf(kind, number(refs[0]), fields));
  }
  const expectedCounts = { create: 0, link: 0, update: 0, ask: 0, failed: 0 };
  for (const entry of truth.values()) expectedCounts[entry.action] += 1;
  return {
    seed,
    sourceCustomers: planned.map((entry) => entry.source),
    fortnoxCustomers: numbered.map(({ ref: _ref, ...customer }) => customer),
    truth,
    expectedCounts,
    fortnoxDuplicateGroups: groups.map((refs) => refs.map(number)),
  };
}

function truthOf(kind: SampleCase, customerNumber: string, fields?: string[]): SampleTruth {
  switch (kind) {
    case 'new-company':
    case 'new-person':
      return { case: kind, action: 'create' };
    case 'company-fill':
    case 'company-inactive':
    case 'person-fill':
      return { case: kind, action: 'update', customerNumber, fields: fields ?? [] };
    case 'person-shared-phone':
    case 'person-name-address':
      return { case: kind, action: 'ask', customerNumber };
    case 'invalid-organisation-number':
      return { case: kind, action: 'failed', field: 'organisationNumber' };
    case 'cyrillic-name':
      return { case: kind, action: 'failed', field: 'name' };
    case 'invalid-email':
      return { case: kind, action: 'failed', field: 'email' };
    default:
      return { case: kind, action: 'link', customerNumber };
  }
}

/** `070-123 45 67` → `0701234567`: how many systems store a phone. */
const compact = (phone: string) => phone.replace(/[\s-]/g, '');

function toSource(id: string, profile: SampleProfile, withIdentity = true): SourceCustomer {
  return {
    id,
    type: profile.type,
    name: profile.name,
    email: profile.email,
    phone: profile.phone,
    address: {
      street: profile.street,
      postalCode: profile.postalCode,
      city: profile.city,
      countryCode: 'SE',
    },
    organisationNumber: profile.type === 'company' || withIdentity ? profile.identityNumber : null,
    active: true,
  };
}

function toFortnox(profile: SampleProfile): Omit<SampleFortnoxCustomer, 'CustomerNumber'> {
  return {
    Name: profile.name,
    Type: profile.type === 'company' ? 'COMPANY' : 'PRIVATE',
    OrganisationNumber: profile.identityNumber,
    Email: profile.email,
    Phone1: profile.phone,
    Address1: profile.street,
    ZipCode: profile.postalCode,
    City: profile.city,
    CountryCode: 'SE',
    Active: true,
  };
}

/**
 * Inserts the sample's Fortnox customers into an emulator tenant (with their customer numbers), as
 * if a bookkeeper had entered them. Empty fields are left out, as Fortnox stores them empty.
 */
export function seedSampleFortnox(
  tenant: EmulatorTenant,
  sample: SampleSource,
): EmulatorCustomer[] {
  return sample.fortnoxCustomers.map((customer) =>
    tenant.insert(Object.fromEntries(Object.entries(customer).filter(([, value]) => value !== ''))),
  );
}
