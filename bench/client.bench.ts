/**
 * Client CPU per request. Two tables:
 *
 * 1. The FortnoxClient (rate limiter, token, fetch, status handling, validation) against a bare
 *    `fetch` + `JSON.parse`, both talking to one local node:http server on 127.0.0.1 in this
 *    process. Blocks of bare and client requests alternate, so load from other processes falls on
 *    both alike. Read the median wall-time ratio and the CPU-time ratio (CPU time per request, the
 *    server's share included on both sides); on a busy machine p99 outliers dominate the mean.
 *    Goal: `get` ≤ 1.3× a bare fetch.
 * 2. Validating one 500-item page (the parsed JSON of `GET /3/customers?limit=500`): zod's runtime
 *    parser of the response schema against the compiled schema the client reads responses with.
 *    Goal: ≤ 1 ms.
 *
 * Bounded: a fixed number of iterations per case; the server closes at the end. The rate limiter
 * runs with a limit that never makes a request wait, so its own work is measured, not its waits.
 *
 * Run: npm run bench:client
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { createFortnoxClient } from '../src/client/index.js';
import {
  CustomerPageBodySchema,
  compiledCustomerPageBodySchema,
} from '../src/client/response-schemas.js';

const REQUESTS = 3000;
const VALIDATIONS = 400;

function customer(n: number) {
  return {
    '@url': `http://127.0.0.1/3/customers/${n}`,
    CustomerNumber: String(n),
    Name: `Kund ${n} AB`,
    Email: `kund${n}@example.se`,
    Phone1: '070-123 45 67',
    OrganisationNumber: '556000-0001',
    Address1: 'Storgatan 1',
    ZipCode: '264 32',
    City: 'Lund',
    CountryCode: 'SE',
    Type: 'COMPANY',
    Active: true,
  };
}

const ONE = JSON.stringify({ Customer: customer(1) });
const PAGE = JSON.stringify({
  Customers: Array.from({ length: 500 }, (_, i) => {
    const { Phone1, Type, Active, CountryCode, ...item } = customer(i + 1);
    return { ...item, Phone: Phone1, Address2: null };
  }),
  MetaInformation: { '@TotalResources': 500, '@TotalPages': 1, '@CurrentPage': 1 },
});

function startServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const body = request.url?.startsWith('/3/customers?') ? PAGE : ONE;
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  server.keepAliveTimeout = 10_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type Stats = { mean: number; p50: number; p99: number; cpuMicros: number };

function stats(samples: number[], cpuMicros: number): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    cpuMicros: cpuMicros / sorted.length,
  };
}

/** Requests per block: blocks of `base` and `candidate` alternate, each block's CPU time measured. */
const BLOCK = 20;

/**
 * Runs `base` and `candidate` in alternating blocks, `count` times each after a warm-up. Wall time
 * per call in ms; CPU time (user + system of this process, server included) per call in µs, which
 * time slices lost to other processes do not inflate.
 */
async function interleave(
  count: number,
  base: () => unknown,
  candidate: () => unknown,
): Promise<[Stats, Stats]> {
  for (let i = 0; i < Math.ceil(count / 10); i += 1) {
    await base();
    await candidate();
  }
  const runs = [
    { run: base, samples: [] as number[], cpu: 0 },
    { run: candidate, samples: [] as number[], cpu: 0 },
  ];
  for (let done = 0; done < count; done += BLOCK) {
    for (const side of runs) {
      const cpuStart = process.cpuUsage();
      for (let i = done; i < Math.min(count, done + BLOCK); i += 1) {
        const start = performance.now();
        await side.run();
        side.samples.push(performance.now() - start);
      }
      const cpu = process.cpuUsage(cpuStart);
      side.cpu += cpu.user + cpu.system;
    }
  }
  const [first, second] = runs as [(typeof runs)[number], (typeof runs)[number]];
  return [stats(first.samples, first.cpu), stats(second.samples, second.cpu)];
}

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((cell, i) =>
    Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

const ms = (value: number) => value.toFixed(3);
const us = (value: number) => (value * 1000).toFixed(0);

async function main(): Promise<void> {
  const server = await startServer();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: 'bench-token' },
    apiBaseUrl: base,
    rateLimit: { limit: 1_000_000_000, windowMs: 1000, safetyMarginMs: 0 },
  });
  const headers = { Authorization: 'Bearer bench-token', Accept: 'application/json' };
  const bareGet = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers });
    if (!response.ok) throw new Error(`status ${response.status}`);
    JSON.parse(await response.text());
  };
  const unwrap = (result: { isErr(): boolean; error?: unknown }) => {
    if (result.isErr()) throw new Error(`client failed: ${JSON.stringify(result.error)}`);
  };
  try {
    console.log(
      `Client CPU per request — node ${process.version}, ${REQUESTS} interleaved requests per case after ${Math.ceil(REQUESTS / 10)} warm-up`,
    );
    const requestRows: string[][] = [];
    const cases: Array<[string, () => Promise<void>, () => Promise<void>]> = [
      [
        'get one customer',
        () => bareGet('/3/customers/1'),
        async () => unwrap(await client.customers.get('1')),
      ],
      [
        'list a page of 500',
        () => bareGet('/3/customers?limit=500&page=1'),
        async () => unwrap(await client.customers.list({ limit: 500, page: 1 })),
      ],
    ];
    for (const [name, bare, ours] of cases) {
      const [fetchStats, clientStats] = await interleave(REQUESTS, bare, ours);
      requestRows.push([
        name,
        ms(fetchStats.p50),
        ms(clientStats.p50),
        (clientStats.p50 / fetchStats.p50).toFixed(2),
        us(clientStats.p50 - fetchStats.p50),
        fetchStats.cpuMicros.toFixed(0),
        clientStats.cpuMicros.toFixed(0),
        (clientStats.cpuMicros / fetchStats.cpuMicros).toFixed(2),
        (clientStats.mean / fetchStats.mean).toFixed(2),
        ms(clientStats.p99),
      ]);
    }
    table(
      'Requests: client vs bare fetch (ratio = client / fetch; goal: get ≤ 1.30)',
      [
        'case',
        'fetch p50 ms',
        'client p50 ms',
        'p50 ratio',
        '+µs p50',
        'fetch CPU µs',
        'client CPU µs',
        'CPU ratio',
        'mean ratio',
        'client p99 ms',
      ],
      requestRows,
    );

    const page: unknown = JSON.parse(PAGE);
    const check = (schema: z.ZodType) => () => {
      if (!schema.safeParse(page).success) throw new Error('the page does not validate');
    };
    const [runtime, compiled] = await interleave(
      VALIDATIONS,
      check(CustomerPageBodySchema),
      check(compiledCustomerPageBodySchema()),
    );
    table(
      'Validating one parsed 500-item page (goal: ≤ 1 ms)',
      ['schema', 'p50 ms', 'mean ms', 'p99 ms'],
      [
        ['zod runtime parser (before)', ms(runtime.p50), ms(runtime.mean), ms(runtime.p99)],
        ['compiled, as the client reads', ms(compiled.p50), ms(compiled.mean), ms(compiled.p99)],
      ],
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

await main();
