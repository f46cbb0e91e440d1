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
 * Run: `npm run eval:duplicates` (exit code 1 when auto-link precision falls below 0.99).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createCustomerIndex,
  createDuplicateResolver,
  type DuplicateOptions,
  type IndexableCustomer,
  type ResolvableCustomer,
} from '../src/duplicates/index.js';

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
  for (const record of records) {
    const hasMatch = (sizeOf.get(record.entity) ?? 0) > 1;
    if (hasMatch) matchable++;
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
  };
}

function main(): void {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const file = febrlPath(repoRoot);
  const records = parseFebrl(readFileSync(file, 'utf8'));
  const started = performance.now();
  const result = evaluateFebrl(records);
  const seconds = (performance.now() - started) / 1000;
  const pct = (value: number) => `${(value * 100).toFixed(2)} %`;
  console.log(
    `Febrl 3, leave-one-out: ${result.queries} queries, ${result.matchable} with a true match (${seconds.toFixed(2)} s)`,
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
    `review recall (linked correctly or right candidate asked): ${pct(result.reviewRecall)}`,
  );
  if (result.linkPrecision < 0.99) {
    console.error('auto-link precision is below 0.99');
    process.exitCode = 1;
  }
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
)
  main();
