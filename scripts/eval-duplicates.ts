/**
 * Measures the duplicate resolver's quality on Febrl 3 (`test/fixtures/febrl/dataset3.csv`), a
 * standard record-linkage benchmark: 5 000 synthetic person records, 2 000 originals (`rec-N-org`)
 * and 3 000 corrupted duplicates (`rec-N-dup-K`: typos, swapped and missing values).
 *
 * Mapping (every record is a private person): given name + surname → name, `soc_sec_id` → phone
 * (not a Swedish number, so it exercises the phone feature's digit fallback), street number +
 * address_1 (+ address_2) → street, suburb → city, postcode → postal code. Date of birth and state
 * are not used: a source customer has no such fields.
 *
 * Protocol (leave one out): every record is indexed. Each record in turn is removed from the index,
 * resolved against the other 4 999, and put back. A record whose entity has other records in the
 * index (a "matchable" query) should be linked to, or asked about, one of them; a record alone in
 * its entity should be created. So originals and duplicates are both queried, nothing is compared
 * with itself, and a link is counted correct when it points at any record of the same entity.
 *
 * Per query the outcome is one of: link correct (TP) or wrong (FP), ask with a true match among the
 * candidates or without, create when matchable (FN) or not (TN). Reported: auto-link precision,
 * recall (over matchable queries) and F1; the same for ask; and "review recall": the share of
 * matchable queries that were linked correctly or asked with the right candidate listed.
 *
 * Then two synthetic Swedish sets (see `scripts/duplicate-sets/`): the household set (1 000
 * housemates, 1 000 namesakes: any link is two people merged; goal 0), and the held-out linkage
 * set (20 000 Fortnox customers, 5 000 true matches, 5 000 new customers of which a third join an
 * existing household; goals: auto-link precision ≥ 0.995, recall ≥ 0.85).
 *
 * Run: `npm run eval:duplicates` (exit code 1 when Febrl precision falls below 0.99, a household
 * pair is linked, or held-out precision falls below 0.995).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockingKeys } from '../src/duplicates/blocking-keys.js';
import { extractFeatures } from '../src/duplicates/customer-features.js';
import {
  createCustomerIndex,
  createDuplicateResolver,
  type DuplicateOptions,
  type IndexableCustomer,
  type ResolvableCustomer,
} from '../src/duplicates/index.js';
import { featureInputOf } from '../src/duplicates/resolvable-customer.js';
import { generateHeldOutLinkage, type LinkageSet } from './duplicate-sets/held-out-linkage.js';
import { generateHouseholds, type HouseholdSet } from './duplicate-sets/households.js';

/** Where the benchmark file lives (vendored, see test/fixtures/README.md), given the repository root. */
export function febrlPath(repoRoot: string): string {
  return path.resolve(repoRoot, 'test', 'fixtures', 'febrl', 'dataset3.csv');
}

/** One Febrl record as a source customer, with the entity it belongs to. */
export type FebrlRecord = { readonly entity: string; readonly customer: ResolvableCustomer };

/** Parses the Febrl CSV (comma-separated, no quoting, a header line). */
export function parseFebrl(text: string): FebrlRecord[] {
  const [header = '', ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = header.split(',').map((column) => column.trim());
  const at = (name: string) => {
    const position = columns.indexOf(name);
    if (position < 0) throw new Error(`Febrl file lacks column ${name}`);
    return position;
  };
  const [id, given, surname, number, street, street2, suburb, postcode, ssn] = [
    'rec_id',
    'given_name',
    'surname',
    'street_number',
    'address_1',
    'address_2',
    'suburb',
    'postcode',
    'soc_sec_id',
  ].map(at) as [number, number, number, number, number, number, number, number, number];
  return lines.map((line) => {
    const cells = line.split(',').map((cell) => cell.trim());
    const cell = (position: number) => cells[position] ?? '';
    const recordId = cell(id);
    const entity = /^rec-(\d+)-/.exec(recordId)?.[1];
    if (entity === undefined) throw new Error('Febrl record id is not rec-N-org or rec-N-dup-K');
    const streetLine = [`${cell(number)} ${cell(street)}`.trim(), cell(street2)]
      .filter(Boolean)
      .join(', ');
    return {
      entity,
      customer: {
        id: recordId,
        type: 'private',
        name: `${cell(given)} ${cell(surname)}`.trim(),
        phone: cell(ssn) || null,
        address: {
          street: streetLine || null,
          postalCode: cell(postcode) || null,
          city: cell(suburb) || null,
        },
      },
    };
  });
}

function toIndexable(record: FebrlRecord): IndexableCustomer {
  const { customer } = record;
  return {
    CustomerNumber: customer.id,
    Type: 'PRIVATE',
    Name: customer.name,
    Phone1: customer.phone ?? null,
    Address1: customer.address?.street ?? null,
    ZipCode: customer.address?.postalCode ?? null,
    City: customer.address?.city ?? null,
  };
}

/** Confusion counts and rates of one evaluation run. */
export type FebrlEvaluation = {
  readonly queries: number;
  readonly matchable: number;
  readonly links: { readonly correct: number; readonly wrong: number };
  readonly asks: { readonly correct: number; readonly wrong: number };
  readonly creates: { readonly missed: number; readonly correct: number };
  readonly linkPrecision: number;
  readonly linkRecall: number;
  readonly linkF1: number;
  readonly askPrecision: number;
  readonly askRecall: number;
  readonly askF1: number;
  readonly reviewRecall: number;
  /** Records with a true match that share no blocking key with any record of their entity. */
  readonly unblocked: number;
};

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Runs the leave-one-out protocol above on the given records. */
export function evaluateFebrl(
  records: readonly FebrlRecord[],
  options?: DuplicateOptions,
): FebrlEvaluation {
  const entityOf = new Map(records.map((record) => [record.customer.id, record.entity]));
  const sizeOf = new Map<string, number>();
  for (const record of records) sizeOf.set(record.entity, (sizeOf.get(record.entity) ?? 0) + 1);
  const index = createCustomerIndex(records.map(toIndexable));
  const resolver = createDuplicateResolver(options);
  const links = { correct: 0, wrong: 0 };
  const asks = { correct: 0, wrong: 0 };
  const creates = { missed: 0, correct: 0 };
  let matchable = 0;
  const keysOf = new Map(
    records.map((record) => [record.customer.id, index.get(record.customer.id)?.keys ?? []]),
  );
  const idsOfEntity = new Map<string, string[]>();
  for (const record of records) {
    idsOfEntity.set(record.entity, [...(idsOfEntity.get(record.entity) ?? []), record.customer.id]);
  }
  let unblocked = 0;
  for (const record of records) {
    const hasMatch = (sizeOf.get(record.entity) ?? 0) > 1;
    if (hasMatch) {
      matchable++;
      const own = new Set(keysOf.get(record.customer.id));
      const shares = (idsOfEntity.get(record.entity) ?? [])
        .filter((id) => id !== record.customer.id)
        .some((id) => keysOf.get(id)?.some((key) => own.has(key)));
      if (!shares) unblocked++;
    }
    index.remove(record.customer.id);
    const { decision } = resolver.resolve(record.customer, index);
    index.add(toIndexable(record));
    const same = (number: string) => entityOf.get(number) === record.entity;
    if (decision.kind === 'link' || decision.kind === 'update-existing') {
      links[same(decision.customerNumber) ? 'correct' : 'wrong']++;
    } else if (decision.kind === 'ask') {
      asks[decision.candidates.some((c) => same(c.customerNumber)) ? 'correct' : 'wrong']++;
    } else {
      creates[hasMatch ? 'missed' : 'correct']++;
    }
  }
  const linkPrecision = ratio(links.correct, links.correct + links.wrong);
  const linkRecall = ratio(links.correct, matchable);
  const askPrecision = ratio(asks.correct, asks.correct + asks.wrong);
  const askRecall = ratio(asks.correct, matchable - links.correct);
  return {
    queries: records.length,
    matchable,
    links,
    asks,
    creates,
    linkPrecision,
    linkRecall,
    linkF1: f1(linkPrecision, linkRecall),
    askPrecision,
    askRecall,
    askF1: f1(askPrecision, askRecall),
    reviewRecall: ratio(links.correct + asks.correct, matchable),
    unblocked,
  };
}

/** Decisions on the household set: any link is two different people merged. */
export type HouseholdEvaluation = Readonly<
  Record<'housemate' | 'namesake', { links: number; asks: number; creates: number }>
>;

/** Resolves every second person of the household set against the index of the first persons. */
export function evaluateHouseholds(
  set: HouseholdSet,
  options?: DuplicateOptions,
): HouseholdEvaluation {
  const index = createCustomerIndex(set.fortnox);
  const resolver = createDuplicateResolver(options);
  const result = {
    housemate: { links: 0, asks: 0, creates: 0 },
    namesake: { links: 0, asks: 0, creates: 0 },
  };
  for (const pair of set.pairs) {
    const { decision } = resolver.resolve(pair.other, index);
    const counts = result[pair.kind];
    if (decision.kind === 'link' || decision.kind === 'update-existing') counts.links++;
    else if (decision.kind === 'ask') counts.asks++;
    else counts.creates++;
  }
  return result;
}

/** Decisions on a linkage set, with auto-link precision and recall over the true matches. */
export type LinkageEvaluation = {
  readonly queries: number;
  readonly matchable: number;
  readonly links: { readonly correct: number; readonly wrong: number };
  /** Links of a new household member to a housemate (part of `links.wrong`). */
  readonly housemateLinks: number;
  /** True matches that share no blocking key with their Fortnox customer: never compared. */
  readonly unblocked: number;
  readonly asks: { readonly correct: number; readonly wrong: number };
  readonly creates: { readonly missed: number; readonly correct: number };
  readonly linkPrecision: number;
  readonly linkRecall: number;
  readonly reviewRecall: number;
};

/** Resolves every source customer of a linkage set against its Fortnox inventory. */
export function evaluateLinkage(set: LinkageSet, options?: DuplicateOptions): LinkageEvaluation {
  const index = createCustomerIndex(set.fortnox);
  const resolver = createDuplicateResolver(options);
  const links = { correct: 0, wrong: 0 };
  const asks = { correct: 0, wrong: 0 };
  const creates = { missed: 0, correct: 0 };
  let housemateLinks = 0;
  let matchable = 0;
  let unblocked = 0;
  for (const query of set.queries) {
    const expected = query.customerNumber;
    if (expected !== undefined) {
      matchable++;
      const keys = new Set(index.get(expected)?.keys);
      const own = blockingKeys(extractFeatures(featureInputOf(query.customer)));
      if (!own.some((key) => keys.has(key))) unblocked++;
    }
    const { decision } = resolver.resolve(query.customer, index);
    if (decision.kind === 'link' || decision.kind === 'update-existing') {
      const right = decision.customerNumber === expected;
      links[right ? 'correct' : 'wrong']++;
      if (query.kind === 'housemate') housemateLinks++;
    } else if (decision.kind === 'ask') {
      const listed = decision.candidates.some((c) => c.customerNumber === expected);
      asks[listed ? 'correct' : 'wrong']++;
    } else {
      creates[expected === undefined ? 'correct' : 'missed']++;
    }
  }
  return {
    queries: set.queries.length,
    matchable,
    links,
    housemateLinks,
    unblocked,
    asks,
    creates,
    linkPrecision: ratio(links.correct, links.correct + links.wrong),
    linkRecall: ratio(links.correct, matchable),
    reviewRecall: ratio(links.correct + asks.correct, matchable),
  };
}

const pct = (value: number) => `${(value * 100).toFixed(2)} %`;

function printLinkage(title: string, result: LinkageEvaluation, seconds: number): void {
  console.log(
    `\n${title}: ${result.queries} queries, ${result.matchable} with a true match (${seconds.toFixed(2)} s)`,
  );
  console.table({
    'auto-link': {
      precision: pct(result.linkPrecision),
      recall: pct(result.linkRecall),
      'review recall': pct(result.reviewRecall),
    },
  });
  console.table({
    link: { correct: result.links.correct, wrong: result.links.wrong },
    ask: { correct: result.asks.correct, wrong: result.asks.wrong },
    create: { correct: result.creates.correct, wrong: result.creates.missed },
  });
  console.log(
    `new household members linked to a housemate: ${result.housemateLinks}; true matches sharing no blocking key: ${result.unblocked}`,
  );
}

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, (performance.now() - started) / 1000];
}

function main(): void {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const file = febrlPath(repoRoot);
  const records = parseFebrl(readFileSync(file, 'utf8'));
  const [result, seconds] = timed(() => evaluateFebrl(records));
  console.log(
    `Febrl 3 (reported, never tuned on), leave-one-out: ${result.queries} queries, ${result.matchable} with a true match (${seconds.toFixed(2)} s)`,
  );
  console.table({
    'auto-link': {
      precision: pct(result.linkPrecision),
      recall: pct(result.linkRecall),
      F1: pct(result.linkF1),
    },
    ask: {
      precision: pct(result.askPrecision),
      recall: pct(result.askRecall),
      F1: pct(result.askF1),
    },
  });
  console.table({
    link: { correct: result.links.correct, wrong: result.links.wrong },
    ask: { correct: result.asks.correct, wrong: result.asks.wrong },
    create: { correct: result.creates.correct, wrong: result.creates.missed },
  });
  console.log(
    `review recall (linked correctly or right candidate asked): ${pct(result.reviewRecall)}; records with a true match sharing no blocking key with it: ${result.unblocked}`,
  );
  if (result.linkPrecision < 0.99) {
    console.error('Febrl 3: auto-link precision is below 0.99');
    process.exitCode = 1;
  }

  const households = generateHouseholds();
  const [household, householdSeconds] = timed(() => evaluateHouseholds(households));
  console.log(
    `\nHouseholds (seed 8006): ${households.pairs.length} pairs, each second person resolved against all first persons (${householdSeconds.toFixed(2)} s); goal: 0 links`,
  );
  console.table({
    'housemates (same surname, address, phone; other given name)': household.housemate,
    'namesakes (same given name and phone; other surname)': household.namesake,
  });
  if (household.housemate.links + household.namesake.links > 0) {
    console.error('Households: different people were linked');
    process.exitCode = 1;
  }

  const heldOut = generateHeldOutLinkage();
  const [linkage, linkageSeconds] = timed(() => evaluateLinkage(heldOut));
  printLinkage(
    `Held-out Swedish linkage set (seed 20270311, never tuned on; ${heldOut.fortnox.length} Fortnox customers)`,
    linkage,
    linkageSeconds,
  );
  if (linkage.linkPrecision < 0.995 || linkage.housemateLinks > 0) {
    console.error('Held-out set: auto-link precision below 0.995 or a housemate linked');
    process.exitCode = 1;
  }
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
)
  main();
