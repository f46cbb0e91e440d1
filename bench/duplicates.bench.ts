/**
 * Duplicate resolution speed and memory at 1 000, 10 000 and 100 000 customers: an index of N
 * synthetic Swedish Fortnox customers and N source customers to resolve against it, a third of
 * them corrupted copies of indexed customers (typos, other formatting, swapped name order,
 * missing fields, another legal-form spelling). Deterministic seed; stops by itself.
 *
 * Each size runs in a process of its own, so its memory is its own: `rss` is the resident set
 * after the fastest run, `peak rss` the process's maximum after generating the data and indexing
 * and resolving once (the job itself; later runs add the previous run's garbage), of which `before
 * indexing` is the process with its generated customers, before the library starts; `heap Δ` the
 * heap growth of the fastest run. Blocking cost: the
 * mean and largest number of index entries scored per source customer, and the largest block read
 * (bounded by `maxBlockSize`; fallback blocks by city by a smaller limit).
 *
 * Run: `npm run bench:duplicates` (`-- --size 100000` for one size only). Node 24 sizes its young
 * generation by the machine: `NODE_OPTIONS=--max-semi-space-size=16 npm run bench:duplicates`
 * shows the same job with a 16 MB semi-space (about 90 MB less rss at 100k, same time).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { extractFeatures } from '../src/duplicates/customer-features.js';
import { DEFAULT_DUPLICATE_OPTIONS } from '../src/duplicates/duplicate-options.js';
import {
  createCustomerIndex,
  createDuplicateResolver,
  findDuplicateGroups,
  type IndexableCustomer,
  type ResolvableCustomer,
  type ResolveResult,
} from '../src/duplicates/index.js';
import { searchCandidates } from '../src/duplicates/match-candidates.js';
import { featureInputOf } from '../src/duplicates/resolvable-customer.js';
import { createWeightTable } from '../src/duplicates/score-match.js';
import { luhnCheckDigit } from '../src/mapping/luhn.js';

const SIZES = [1_000, 10_000, 100_000] as const;
const DUPLICATE_SHARE = 1 / 3;
/** Share of the Fortnox customers that are duplicates of earlier ones (made in Fortnox by hand). */
const FORTNOX_DUPLICATE_SHARE = 0.05;
const COMPANY_SHARE = 0.3;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** mulberry32: small, fast, deterministic. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const digits = (count: number) => Array.from({ length: count }, () => int(10)).join('');
  return { next, int, pick, digits };
}
type Random = ReturnType<typeof createRandom>;

const GIVEN =
  'Anna Eva Maria Karin Sara Lena Emma Kerstin Ingrid Marie Malin Linnea Elsa Åsa Ebba Maja Saga Märta Lars Erik Karl Anders Johan Per Nils Mikael Jan Hans Peter Olof Gustav Björn Stefan Mats Oskar Lucas Hugo Åke Göran Sören Jörgen Hampus Filip Viktor Axel'.split(
    ' ',
  );
const SURNAMES =
  'Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson Isaksson Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson Lundström Viklund Björklund Eliasson Pålsson Berggren Sandström Lund Nordin Ström Åberg Hermansson Ekström Holmgren Sundberg Hedlund Dahlberg Hellström Sjögren Abrahamsson Falk Martinsson Öberg Andreasson Strömberg Månsson Åkesson Hansen Norberg Lindholm Dahl Jonasson'.split(
    ' ',
  );
const WORDS =
  'Bygg Måleri El VVS Konsult Data Transport Bil Fastighet Design Media Trä Sten Plåt Städ Golv Tak Mark Frakt Handel Verkstad Juridik Redovisning Hälsa Café Bageri Blomster Foto Musik Sport'.split(
    ' ',
  );
const PLACES =
  'Norr Syd Väst Öst Mälardalen Skåne Dalarna Roslagen Gotland Halland Norrland Stockholm Göteborg Malmö Uppsala'.split(
    ' ',
  );
const STREETS =
  'Storgatan Kungsgatan Drottninggatan Skolgatan Kyrkogatan Järnvägsgatan Parkvägen Björkvägen Ringvägen Västra vägen Åsvägen Ängsvägen Östra Långgatan Industrivägen Sjövägen Tallvägen Granvägen Bäckvägen Kvarngatan Torggatan'.split(
    ' ',
  );
const CITIES: readonly (readonly [string, number])[] = [
  ['Stockholm', 111],
  ['Göteborg', 411],
  ['Malmö', 211],
  ['Uppsala', 751],
  ['Västerås', 721],
  ['Örebro', 701],
  ['Linköping', 581],
  ['Helsingborg', 251],
  ['Jönköping', 551],
  ['Norrköping', 601],
  ['Lund', 221],
  ['Umeå', 901],
  ['Gävle', 801],
  ['Borås', 501],
  ['Södertälje', 151],
  ['Eskilstuna', 631],
  ['Halmstad', 301],
  ['Växjö', 351],
  ['Karlstad', 651],
  ['Sundsvall', 851],
  ['Östersund', 831],
  ['Trollhättan', 461],
  ['Luleå', 971],
  ['Visby', 621],
  ['Kiruna', 981],
];

/** A valid organisation number, unique per id: two companies never share one. */
function organisationNumber(random: Random, id: number): string {
  const body = `${random.pick(['5', '7', '8', '9'])}${random.int(10)}${2 + random.int(8)}${String(id).padStart(6, '0')}`;
  const digits = body + luhnCheckDigit(body);
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}

function personnummer(random: Random): string {
  const yy = String(random.int(80) + 20).padStart(2, '0');
  const mm = String(random.int(12) + 1).padStart(2, '0');
  const dd = String(random.int(28) + 1).padStart(2, '0');
  const body = `${yy}${mm}${dd}${random.digits(3)}`;
  return `19${yy}${mm}${dd}-${body.slice(6)}${luhnCheckDigit(body)}`;
}

const fold = (text: string) =>
  text
    .toLowerCase()
    .replace(/[åä]/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/[^a-z0-9]+/g, '');

function createCustomer(random: Random, id: number): ResolvableCustomer {
  const company = random.next() < COMPANY_SHARE;
  const given = random.pick(GIVEN);
  const surname = random.pick(SURNAMES);
  const name = company
    ? `${random.pick([surname, random.pick(WORDS)])}s ${random.pick(WORDS)} i ${random.pick(PLACES)} ${random.pick(['AB', 'AB', 'HB', 'Ekonomisk förening'])}`
    : `${given} ${random.next() < 0.15 ? `${random.pick(GIVEN)} ` : ''}${surname}`;
  const [city, postalPrefix] = random.pick(CITIES);
  const mobile = `07${random.pick(['0', '2', '3', '6', '9'])}${random.digits(7)}`;
  return {
    id: `src-${id}`,
    type: company ? 'company' : 'private',
    name,
    // The id in the address keeps it unique: two different people never share one.
    email:
      random.next() < 0.7
        ? `${fold(company ? name.split(' ')[0]! : `${given}.${surname}`)}${id}@${random.pick(['gmail.com', 'telia.com', 'outlook.com', 'foretag.se'])}`
        : null,
    phone:
      random.next() < 0.8
        ? `${mobile.slice(0, 3)}-${mobile.slice(3, 6)} ${mobile.slice(6, 8)} ${mobile.slice(8)}`
        : null,
    address: {
      street: `${random.pick(STREETS)} ${1 + random.int(120)}`,
      postalCode: `${postalPrefix + random.int(40)} ${random.digits(2)}`,
      city,
      countryCode: 'SE',
    },
    organisationNumber: company
      ? random.next() < 0.85
        ? organisationNumber(random, id)
        : null
      : random.next() < 0.3
        ? personnummer(random)
        : null,
    active: true,
  } as ResolvableCustomer;
}

function typo(random: Random, text: string): string {
  if (text.length < 4) return text;
  const at = 1 + random.int(text.length - 2);
  return random.next() < 0.5
    ? text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2)
    : text.slice(0, at) + text.slice(at + 1);
}

/** A corrupted copy, as the same customer would look when typed into another system. */
function corrupt(random: Random, customer: ResolvableCustomer, id: number): ResolvableCustomer {
  const tokens = customer.name.split(' ');
  let name = customer.name;
  const roll = random.next();
  if (customer.type === 'private' && roll < 0.25)
    name = `${tokens.at(-1)}, ${tokens.slice(0, -1).join(' ')}`;
  else if (roll < 0.5) name = typo(random, name);
  else if (customer.type === 'company' && roll < 0.7) name = name.replace(/ AB$/, ' Aktiebolag');
  const phone = customer.phone
    ? random.next() < 0.5
      ? `+46 ${customer.phone.slice(1).replace('-', ' ')}`
      : customer.phone.replace(/\D/g, '')
    : null;
  return {
    ...customer,
    id: `src-${id}`,
    name,
    email: random.next() < 0.2 ? null : (customer.email?.toUpperCase() ?? null),
    phone: random.next() < 0.15 ? null : phone,
    organisationNumber: customer.organisationNumber?.replace('-', '') ?? null,
  };
}

/** A list item; the bookkeeper left out the e-mail or the street now and then (so data can be filled). */
function toFortnox(
  random: Random,
  customer: ResolvableCustomer,
  number: number,
): IndexableCustomer {
  return {
    CustomerNumber: String(number),
    Name: customer.name,
    Email: random.next() < 0.15 ? '' : (customer.email ?? ''),
    Phone: customer.phone ?? '',
    OrganisationNumber: customer.organisationNumber ?? '',
    Address1: random.next() < 0.1 ? '' : (customer.address?.street ?? ''),
    ZipCode: customer.address?.postalCode ?? '',
    City: customer.address?.city ?? '',
  };
}

/**
 * N Fortnox customers (a share of them duplicates made inside Fortnox) and N source customers (a
 * share of them corrupted copies of Fortnox customers). `entity` tells which are the same customer.
 */
function generate(size: number) {
  const random = createRandom(20_261_127 + size);
  const fortnox: ResolvableCustomer[] = [];
  const entityOfNumber = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const original = i > 0 && random.next() < FORTNOX_DUPLICATE_SHARE ? random.int(i) : undefined;
    fortnox.push(
      original === undefined ? createCustomer(random, i) : corrupt(random, fortnox[original]!, i),
    );
    entityOfNumber.set(
      String(1000 + i),
      original === undefined ? i : entityOfNumber.get(String(1000 + original))!,
    );
  }
  const sources: ResolvableCustomer[] = [];
  const entityOfSource = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    if (random.next() < DUPLICATE_SHARE) {
      const target = random.int(size);
      sources.push(corrupt(random, fortnox[target]!, size + i));
      entityOfSource.set(`src-${size + i}`, entityOfNumber.get(String(1000 + target))!);
    } else {
      sources.push(createCustomer(random, size + i));
    }
  }
  const items = fortnox.map((customer, i) => toFortnox(random, customer, 1000 + i));
  return { items, sources, entityOfNumber, entityOfSource };
}

/** Entries scored per source customer (mean, most) and the largest block read, outside the timing. */
function blockingCost(items: readonly IndexableCustomer[], sources: readonly ResolvableCustomer[]) {
  const index = createCustomerIndex(items);
  const weights = createWeightTable(DEFAULT_DUPLICATE_OPTIONS.probabilities);
  let compared = 0;
  let mostCompared = 0;
  let largestBlock = 0;
  for (const source of sources) {
    const search = searchCandidates(extractFeatures(featureInputOf(source)), index, weights, {
      maxBlockSize: DEFAULT_DUPLICATE_OPTIONS.maxBlockSize,
      minScore: DEFAULT_DUPLICATE_OPTIONS.askThreshold,
    });
    compared += search.compared;
    mostCompared = Math.max(mostCompared, search.compared);
    largestBlock = Math.max(largestBlock, search.largestBlock);
  }
  return { meanCompared: compared / sources.length, mostCompared, largestBlock };
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** Runs per size; the fastest is reported, as other processes on the machine only add time. */
const RUNS: Readonly<Record<number, number>> = { 1000: 5, 10000: 3, 100000: 2 };

function measure(size: number) {
  const { items, sources, entityOfNumber, entityOfSource } = generate(size);
  let best: { indexMs: number; resolveMs: number; heap: number; rss: number } | undefined;
  // CPU time of this process: unlike wall time, barely inflated by other load on the machine.
  let bestCpuMs = Number.POSITIVE_INFINITY;
  let results: ResolveResult[] = [];
  // The peak of a process that generated the data and indexed and resolved once (later runs
  // only add the garbage of the earlier ones).
  let peakRss = 0;
  collectGarbage();
  // What the process holds before the job: node, the bench, the generated customers.
  const dataRss = process.resourceUsage().maxRSS * 1024;
  for (let run = 0; run < (RUNS[size] ?? 1); run++) {
    results = [];
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const index = createCustomerIndex(items);
    const indexed = performance.now();
    results = createDuplicateResolver().resolveAll(sources, index);
    const finished = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    bestCpuMs = Math.min(bestCpuMs, (cpu.user + cpu.system) / 1000);
    const { heapUsed, rss } = process.memoryUsage();
    const timing = {
      indexMs: indexed - started,
      resolveMs: finished - indexed,
      heap: heapUsed - heapBefore,
      rss,
    };
    if (best === undefined || timing.indexMs + timing.resolveMs < best.indexMs + best.resolveMs)
      best = timing;
    if (run === 0) peakRss = process.resourceUsage().maxRSS * 1024;
  }
  const blocking = blockingCost(items, sources);
  const counts = { create: 0, link: 0, 'update-existing': 0, ask: 0 };
  let rightLinks = 0;
  let wrongLinks = 0;
  results.forEach(({ decision }, i) => {
    counts[decision.kind]++;
    if (decision.kind !== 'link' && decision.kind !== 'update-existing') return;
    const expected = entityOfSource.get(sources[i]!.id);
    if (expected !== undefined && expected === entityOfNumber.get(decision.customerNumber))
      rightLinks++;
    else wrongLinks++;
  });
  const auditStarted = performance.now();
  const groups = findDuplicateGroups(items);
  const auditMs = performance.now() - auditStarted;
  const pairs = groups.flatMap((group) => group.pairs);
  const rightPairs = pairs.filter(
    ({ customerNumbers: [a, b] }) => entityOfNumber.get(a) === entityOfNumber.get(b),
  ).length;
  const injected = items.length - new Set(entityOfNumber.values()).size;
  return {
    timing: best!,
    peakRss,
    dataRss,
    blocking,
    cpuMs: bestCpuMs,
    counts,
    rightLinks,
    wrongLinks,
    duplicates: entityOfSource.size,
    audit: {
      ms: auditMs,
      groups: groups.length,
      pairPrecision: rightPairs / Math.max(1, pairs.length),
      injected,
    },
  };
}

type Row = Record<string, string | number>;

function row(size: number): { row: Row; total: number; cpuMs: number } {
  const {
    timing,
    peakRss,
    dataRss,
    blocking,
    cpuMs,
    counts,
    rightLinks,
    wrongLinks,
    duplicates,
    audit,
  } = measure(size);
  const total = timing.indexMs + timing.resolveMs;
  return {
    total,
    cpuMs,
    row: {
      'index ms': Math.round(timing.indexMs),
      'resolve ms': Math.round(timing.resolveMs),
      'total ms': Math.round(total),
      'cpu ms': Math.round(cpuMs),
      'µs/customer': Math.round((total * 1000) / size),
      'heap Δ': megabytes(timing.heap),
      rss: megabytes(timing.rss),
      'peak rss': megabytes(peakRss),
      'of it before indexing': megabytes(dataRss),
      'scored/customer mean/max': `${blocking.meanCompared.toFixed(1)}/${blocking.mostCompared}`,
      'largest block': blocking.largestBlock,
      'create/link/update/ask': `${counts.create}/${counts.link}/${counts['update-existing']}/${counts.ask}`,
      'link precision': (rightLinks / Math.max(1, rightLinks + wrongLinks)).toFixed(4),
      'dup recall (auto)': (rightLinks / duplicates).toFixed(3),
      'audit ms': Math.round(audit.ms),
      'audit groups/injected': `${audit.groups}/${audit.injected}`,
      'audit pair precision': audit.pairPrecision.toFixed(4),
    },
  };
}

const sizeFlag = process.argv.indexOf('--size');
if (sizeFlag >= 0) {
  // A child: one size, its result as JSON on the last line.
  console.log(JSON.stringify(row(Number(process.argv[sizeFlag + 1]))));
} else {
  const rows: Record<string, Row> = {};
  const totals: number[] = [];
  const cpuTotals: number[] = [];
  for (const size of SIZES) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--size', String(size)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(`bench child for ${size} failed (${child.status})`);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ReturnType<typeof row>;
    rows[size.toLocaleString('en')] = result.row;
    totals.push(result.total);
    cpuTotals.push(result.cpuMs);
  }
  console.log(
    `N Fortnox customers (${FORTNOX_DUPLICATE_SHARE} of them duplicates made in Fortnox) indexed, N source ` +
      `customers (${DUPLICATE_SHARE.toFixed(2)} of them duplicates) resolved, one process per size; index ` +
      `and resolve: best of ${Object.values(RUNS).join('/')} runs; audit: findDuplicateGroups over the N ` +
      'Fortnox customers, one run',
  );
  console.table(rows);
  const growth = (values: readonly number[]) =>
    `(10k)/(1k) = ${(values[1]! / values[0]!).toFixed(1)}, (100k)/(10k) = ${(values[2]! / values[1]!).toFixed(1)}`;
  console.log(`growth (linear = 10): wall time ${growth(totals)}; cpu time ${growth(cpuTotals)}`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, node ${process.version}`,
  );
}
