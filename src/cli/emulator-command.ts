import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createEmulatorCore } from '../testing/emulator/emulator-core.js';
import type { EmulatorTenant } from '../testing/emulator/emulator-tenant.js';
import { DEFAULT_HOST, DEFAULT_TENANT_ID } from '../testing/emulator/options.js';
import { generateSampleSource, seedSampleFortnox } from '../testing/seed/sample-source.js';
import { seedCustomers } from '../testing/seed/seed-customers.js';
import { type CliIo, EXIT_FAILURE, EXIT_OK, UsageError } from './cli-io.js';
import { createProgress } from './progress.js';

/** Port the emulator command listens on when `--port` is not given. */
const DEFAULT_EMULATOR_PORT = 4010;

/** Help text of `fortnox-sync emulator`. */
export const EMULATOR_USAGE = `Usage: fortnox-sync emulator [options]

Starts a local Fortnox emulator (customers API and OAuth on one origin).

Options:
  --port <n>                    port to listen on, 0 for any free port (default ${DEFAULT_EMULATOR_PORT})
  --host <address>              interface to bind (default ${DEFAULT_HOST})
  --seed-customers <n>          generate n realistic Swedish customers (default 0)
  --seed <n>                    seed of the generated data (default 1)
  --tenant <id>                 tenant id: the Fortnox DatabaseNumber, digits (default ${DEFAULT_TENANT_ID})
  --token-lifetime <seconds>    lifetime of the printed access token (default 3600, as Fortnox)
  --customer-number-start <n>   first automatic customer number (default 1)
  --no-rate-limit               switch off the 25 requests / 5 s limit
  --consent-page                show an HTML consent page instead of approving OAuth at once
  --sample <n>                  seed the Fortnox side of a realistic Swedish sample of n source customers
                                (0.75 n Fortnox customers: overlaps, hand-made duplicates, inactive ones)
  --sample-file <file>          write the sample's n source customers there (.json or .ndjson), to try
                                "fortnox-sync plan/sync --source <file>" against this emulator
  --json                        print the connection details as one JSON line
  -h, --help                    show this help`;

function integerFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
) {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    throw new UsageError(`--${name} must be a whole number between 0 and ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** Flags that take a value; `--flag -5` is read as `--flag=-5` so that the number check can explain it. */
const VALUE_FLAGS = new Set([
  '--port',
  '--host',
  '--seed-customers',
  '--seed',
  '--tenant',
  '--customer-number-start',
  '--token-lifetime',
  '--sample',
]);

/** Joins a value flag with a following negative number (parseArgs would call it an ambiguous option). */
function joinNegativeValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (VALUE_FLAGS.has(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i += 1;
    } else joined.push(arg);
  }
  return joined;
}

function sampleFlags(raw: string | undefined, file: string | undefined) {
  if (raw === undefined) {
    if (file !== undefined) throw new UsageError('--sample-file needs --sample <n>');
    return undefined;
  }
  const sourceCustomers = integerFlag('sample', raw, 0, 200_000);
  if (sourceCustomers < 20) throw new UsageError('--sample must be at least 20 customers');
  if (file !== undefined && !/\.(json|ndjson|jsonl)$/i.test(file)) {
    throw new UsageError('--sample-file must end in .json or .ndjson');
  }
  return { sourceCustomers, file };
}

function parseEmulatorArgs(argv: readonly string[]) {
  const { values } = parseArgs({
    args: joinNegativeValues(argv),
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'seed-customers': { type: 'string' },
      seed: { type: 'string' },
      tenant: { type: 'string' },
      'customer-number-start': { type: 'string' },
      'token-lifetime': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      'consent-page': { type: 'boolean' },
      sample: { type: 'string' },
      'sample-file': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const tenant = values.tenant ?? DEFAULT_TENANT_ID;
  if (!/^\d{1,18}$/.test(tenant)) {
    throw new UsageError(
      `--tenant must be a Fortnox DatabaseNumber (digits only, e.g. ${DEFAULT_TENANT_ID}), got "${tenant}"`,
    );
  }
  const tokenLifetime = integerFlag('token-lifetime', values['token-lifetime'], 3600, 31_536_000);
  if (tokenLifetime < 60) throw new UsageError('--token-lifetime must be at least 60 seconds');
  const start = integerFlag('customer-number-start', values['customer-number-start'], 1);
  if (start < 1) throw new UsageError('--customer-number-start must be at least 1');
  return {
    help: values.help === true,
    port: integerFlag('port', values.port, DEFAULT_EMULATOR_PORT, 65535),
    host: values.host ?? DEFAULT_HOST,
    seedCustomers: integerFlag('seed-customers', values['seed-customers'], 0, 1_000_000),
    seed: integerFlag('seed', values.seed, 1),
    tenant,
    tokenLifetime,
    customerNumberStart: start,
    rateLimit: values['no-rate-limit'] !== true,
    consentPage: values['consent-page'] === true,
    sample: sampleFlags(values.sample, values['sample-file']),
    json: values.json === true,
  };
}

const rows = (sample: { sourceCustomers: readonly unknown[] }) => sample.sourceCustomers.length;

/** From this many generated customers on, seeding shows progress (200 000 take well over 10 s). */
const SEED_PROGRESS_FROM = 10_000;
/** Customers inserted between two looks at the event loop (progress drawn, Ctrl+C heard). */
const SEED_CHUNK = 2_000;

/**
 * Seeds `count` generated customers into the tenant, exactly as `tenant.seedCustomers(count, { seed })`
 * would (same customers, same order), but in chunks: a progress bar (plain lines when stderr is not
 * a terminal) shows how far it is, and an abort stops it between chunks. Resolves false when aborted.
 */
async function seedWithProgress(
  tenant: EmulatorTenant,
  count: number,
  seed: number,
  io: CliIo,
  quiet: boolean,
): Promise<boolean> {
  const progress =
    quiet || count < SEED_PROGRESS_FROM
      ? undefined
      : createProgress(
          {
            ...(io.progressStream === undefined ? {} : { stream: io.progressStream }),
            line: io.stderr,
          },
          'Seeding',
        );
  // A function: the signal changes while this awaits (a plain check would be narrowed to false).
  const aborted = () => io.signal?.aborted === true;
  if (aborted()) return false;
  progress?.update('generating', 0, count);
  const customers = seedCustomers(count, { seed });
  try {
    for (let from = 0; from < customers.length; from += SEED_CHUNK) {
      if (aborted()) return false;
      for (const customer of customers.slice(from, from + SEED_CHUNK)) tenant.insert(customer);
      progress?.update('inserting', Math.min(from + SEED_CHUNK, count), count);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    progress?.stop();
  }
  return true;
}

const waitForAbort = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** `fortnox-sync emulator`: serves the emulator until `io.signal` aborts. */
export async function runEmulatorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseEmulatorArgs(argv);
  if (args.help) {
    io.stdout(EMULATOR_USAGE);
    return EXIT_OK;
  }
  const seeding = args.seedCustomers >= SEED_PROGRESS_FROM;
  const seedStarted = Date.now();
  if (seeding && !args.json) {
    io.stderr(`Generating ${args.seedCustomers} customers (Ctrl+C stops)…`);
  }
  const emulator = createEmulatorCore({
    defaultTenantId: args.tenant,
    customerNumberStart: args.customerNumberStart,
    tenants: { [args.tenant]: { seedCustomers: 0 } },
    oauth: { consent: args.consentPage ? 'page' : 'auto' },
    ...(args.rateLimit ? {} : { rateLimit: false }),
  });
  const seeded = await seedWithProgress(
    emulator.tenant(args.tenant),
    args.seedCustomers,
    args.seed,
    io,
    args.json,
  );
  if (!seeded) {
    if (!args.json) io.stderr('Fortnox emulator stopped while seeding.');
    return EXIT_OK;
  }
  if (args.sample !== undefined) {
    const sample = generateSampleSource({
      sourceCustomers: args.sample.sourceCustomers,
      fortnoxCustomers: Math.ceil(args.sample.sourceCustomers * 0.75),
      seed: args.seed,
      customerNumberStart: args.customerNumberStart + args.seedCustomers,
    });
    seedSampleFortnox(emulator.tenant(args.tenant), sample);
    if (args.sample.file !== undefined) {
      const rows = sample.sourceCustomers;
      await writeFile(
        args.sample.file,
        /\.json$/i.test(args.sample.file)
          ? `${JSON.stringify(rows, null, 2)}\n`
          : `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`,
      );
    }
    if (!args.json) {
      io.stderr(
        `Seeded the sample's ${sample.fortnoxCustomers.length} Fortnox customers${args.sample.file === undefined ? '' : `; its ${rows(sample)} source customers are in ${args.sample.file}`}.`,
      );
    }
  }
  if (seeding && !args.json) {
    io.stderr(
      `Generated ${args.seedCustomers} customers in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s.`,
    );
  }
  let server: Awaited<ReturnType<typeof emulator.listen>>;
  try {
    server = await emulator.listen({ port: args.port, host: args.host });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    io.stderr(`fortnox-sync emulator: cannot listen on ${args.host}:${args.port}: ${reason}`);
    return EXIT_FAILURE;
  }
  const client = emulator.options.oauth.clients[0];
  const details = {
    url: server.url,
    apiBaseUrl: server.url,
    authBaseUrl: server.url,
    tenantId: args.tenant,
    customers: emulator.tenant(args.tenant).customers().length,
    accessToken: emulator.issueAccessToken(args.tenant, { lifetimeSeconds: args.tokenLifetime }),
    accessTokenExpiresAt: new Date(Date.now() + args.tokenLifetime * 1000).toISOString(),
    clientId: client?.clientId ?? '',
    clientSecret: client?.clientSecret ?? '',
  };
  if (args.json) io.stdout(JSON.stringify(details));
  else {
    io.stdout(`Fortnox emulator listening on ${details.url}`);
    io.stdout(`  apiBaseUrl:     ${details.apiBaseUrl}   (GET /3/customers …)`);
    io.stdout(`  authBaseUrl:    ${details.authBaseUrl}   (/oauth-v1/auth · /token · /revoke)`);
    io.stdout(
      `  Tenant:         ${details.tenantId} (${details.customers} customers, seed ${args.seed})`,
    );
    io.stdout(`  Access token:   ${details.accessToken}`);
    io.stdout(
      `                  valid until ${details.accessTokenExpiresAt} (${args.tokenLifetime} s). For a new one, restart the emulator (--token-lifetime sets how long it lives) or let createFortnoxClient refresh tokens through the OAuth client below.`,
    );
    io.stdout(`  OAuth client:   ${details.clientId} / ${details.clientSecret}`);
    io.stdout('Press Ctrl+C to stop.');
  }
  await waitForAbort(io.signal);
  await server.close();
  if (!args.json) io.stdout('Fortnox emulator stopped.');
  return EXIT_OK;
}
