/**
 * Per-request overhead of the FortnoxClient (rate limiter, token, ky, status handling, zod
 * validation) against a bare `fetch` + `JSON.parse`, both talking to one local node:http server on
 * 127.0.0.1. Bounded: a fixed number of sequential requests per case; the server closes at the end.
 *
 * Run: npm run bench:client
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFortnoxClient } from '../src/client/index.js';

const WARMUP = 200;
const REQUESTS = 2000;

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

type Row = { case: string; mean: number; p50: number; p99: number };

async function measure(name: string, run: () => Promise<void>): Promise<Row> {
  for (let i = 0; i < WARMUP; i += 1) await run();
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { case: name, mean, p50: at(0.5), p99: at(0.99) };
}

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
  const unwrap = <T>(result: { isErr(): boolean; error?: unknown }, value: T) => {
    if (result.isErr()) throw new Error(`client failed: ${JSON.stringify(result.error)}`);
    return value;
  };
  try {
    const pairs: Array<[Row, Row]> = [
      [
        await measure('fetch   GET one customer', () => bareGet('/3/customers/1')),
        await measure('client  customers.get', async () =>
          unwrap(await client.customers.get('1'), undefined),
        ),
      ],
      [
        await measure('fetch   GET page of 500', () => bareGet('/3/customers?limit=500&page=1')),
        await measure('client  customers.list (500)', async () =>
          unwrap(await client.customers.list({ limit: 500, page: 1 }), undefined),
        ),
      ],
    ];
    const ms = (value: number) => value.toFixed(3).padStart(8);
    console.log(
      `FortnoxClient overhead vs bare fetch — ${REQUESTS} sequential requests per case after ${WARMUP} warm-up, node ${process.version}`,
    );
    console.log(
      `${'case'.padEnd(30)} ${'mean ms'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'ratio'.padStart(7)} ${'p50 ratio'.padStart(9)} ${'+µs/req'.padStart(9)}`,
    );
    for (const [bare, ours] of pairs) {
      for (const row of [bare, ours]) {
        const ratio = row === bare ? '1.00' : (ours.mean / bare.mean).toFixed(2);
        // The median ratio is steadier than the mean on a busy machine (p99 outliers dominate means).
        const medianRatio = row === bare ? '1.00' : (ours.p50 / bare.p50).toFixed(2);
        const extra = row === bare ? '' : ((ours.mean - bare.mean) * 1000).toFixed(0);
        console.log(
          `${row.case.padEnd(30)} ${ms(row.mean)} ${ms(row.p50)} ${ms(row.p99)} ${ratio.padStart(7)} ${medianRatio.padStart(9)} ${extra.padStart(9)}`,
        );
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

await main();
