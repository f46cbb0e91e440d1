/**
 * `npm run demo`: the whole library in two minutes, with nothing installed but `npm ci`.
 *
 * Starts the Fortnox emulator over HTTP, seeded with the Fortnox side of a realistic Swedish sample
 * (hand-made duplicates, inactive customers), loads the sample's 2 000 source customers (duplicates,
 * near-duplicates, rows Fortnox would refuse), shows the plan (dry run), runs the initial sync on a
 * SQLite file with a live progress bar, then saves one customer live ("save = sync"), updates it
 * (the customer number is kept) and resolves one pending duplicate decision.
 *
 * Against the real Fortnox: set FORTNOX_CLIENT_ID, FORTNOX_CLIENT_SECRET and FORTNOX_TENANT_ID (with
 * a token file from `fortnox-sync auth` and FORTNOX_SYNC_KEY, or --client-credentials, or
 * FORTNOX_ACCESS_TOKEN) and pass --source <your customers file>. The sample is never written into a
 * real company: there the demo plans, syncs only with --apply (links kept in ./fortnox-sync.db or
 * --db, for the CLI's `decisions`), and settles no decision and saves no made-up customer.
 *
 * Options: see USAGE below (`npm run demo -- --help`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { authFromEnvironment, DEFAULT_DB_PATH, readCommonFlags } from '../src/cli/cli-context.js';
import { createProgress, showSyncProgress } from '../src/cli/progress.js';
import { readSourceFile } from '../src/cli/source-file.js';
import {
  describeFailures,
  describePlan,
  describeReport,
  type FailedCustomer,
  failuresOfPlan,
  rateLine,
} from '../src/cli/sync-report.js';
import { createFortnoxClient, type FortnoxAuth } from '../src/client/index.js';
import type { SourceCustomer } from '../src/mapping/index.js';
import { luhnCheckDigit } from '../src/mapping/luhn.js';
import { createSqliteStorage } from '../src/storage/sqlite/index.js';
import { createSyncEngine } from '../src/sync/create-sync-engine.js';
import {
  createEmulatorCore,
  generateSampleSource,
  seedSampleFortnox,
} from '../src/testing/index.js';
import { DEMO_SAMPLE } from './demo-sample.js';

const USAGE = `Usage: npm run demo [-- options]

Runs the whole library against a local Fortnox emulator: a Swedish sample, the plan, the initial
sync on SQLite with a progress bar, a live save and update, one duplicate decision settled.

Options:
  --customers <n>         source customers in the sample (default ${DEMO_SAMPLE.sourceCustomers})
  --fortnox <n>           customers already in the emulated Fortnox (default 3/4 of --customers: ${DEMO_SAMPLE.fortnoxCustomers})
  --seed <n>              seed of the sample (default ${DEMO_SAMPLE.seed})
  --limit <n>             requests per 5 s, for client and emulator (default 250; Fortnox's is 25)
  --db <file>             keep the SQLite storage there (default: a temporary file, deleted after)
  --json                  one JSON summary on stdout; the story goes to stderr
  -h, --help              show this help

Against the real Fortnox (FORTNOX_CLIENT_ID, FORTNOX_CLIENT_SECRET and FORTNOX_TENANT_ID set):
  --source <file>         your customers (.json, .ndjson or .csv); the sample is never written there
  --apply                 run the sync after the plan (without it the demo only plans)
  --client-credentials    authenticate as a service account instead of the "auth" token file`;

/** A wrong command line: the message and the usage, exit code 2 (as the CLI does). */
function usageError(message: string): never {
  process.stderr.write(`demo: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseDemoArgs() {
  try {
    return parseArgs({
      options: {
        customers: { type: 'string', default: String(DEMO_SAMPLE.sourceCustomers) },
        fortnox: { type: 'string' },
        seed: { type: 'string', default: String(DEMO_SAMPLE.seed) },
        limit: { type: 'string', default: '250' },
        db: { type: 'string' },
        source: { type: 'string' },
        apply: { type: 'boolean' },
        'client-credentials': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (cause) {
    return usageError(cause instanceof Error ? cause.message : String(cause));
  }
}

const values = parseDemoArgs();
if (values.help === true) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const int = (name: string, raw: string, min = 0) => {
  if (!/^\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw))) {
    usageError(
      `--${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, got "${raw}"`,
    );
  }
  return Number(raw);
};
const numbers = {
  customers: int('customers', values.customers, 1),
  fortnox:
    values.fortnox === undefined
      ? Math.ceil(
          (int('customers', values.customers, 1) * DEMO_SAMPLE.fortnoxCustomers) /
            DEMO_SAMPLE.sourceCustomers,
        )
      : int('fortnox', values.fortnox),
  seed: int('seed', values.seed),
  limit: int('limit', values.limit, 1),
};
const WINDOW_MS = 5_000;
const FORTNOX_LIMIT = 25;
const ACTOR = { id: 'demo-user', roles: ['admin'] };
const json = values.json === true;
const say = (line = '') => (json ? process.stderr : process.stdout).write(`${line}\n`);
const env = process.env;
const real = Boolean(env.FORTNOX_CLIENT_ID && env.FORTNOX_CLIENT_SECRET && env.FORTNOX_TENANT_ID);
const limit = real ? FORTNOX_LIMIT : numbers.limit;
const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync-demo-'));
// Against a real company the links must outlast the demo: the CLI's default file, which `fortnox-sync decisions` reads.
const dbPath = values.db ?? (real ? DEFAULT_DB_PATH : path.join(directory, 'demo.db'));
const ms = (started: number) => `${Math.round(performance.now() - started)} ms`;

async function main(): Promise<Record<string, unknown>> {
  let tenantId: string;
  let auth: FortnoxAuth;
  let apiBaseUrl: string | undefined;
  let authBaseUrl: string | undefined;
  let customers: SourceCustomer[];
  let sample: ReturnType<typeof generateSampleSource> | undefined;
  let stopEmulator = async () => {};
  let countFortnox = async (): Promise<number | null> => null;

  if (real) {
    if (values.source === undefined) {
      throw new Error(
        'Against the real Fortnox the demo needs --source <file> (your customers: .json, .ndjson or .csv); it never writes the synthetic sample into a real company.',
      );
    }
    const flags = readCommonFlags(
      { 'client-credentials': values['client-credentials'] === true },
      env,
      (message) => new Error(message),
    );
    tenantId = flags.tenantId;
    auth = authFromEnvironment(flags, env);
    apiBaseUrl = flags.apiBaseUrl;
    authBaseUrl = flags.authBaseUrl;
    customers = await readSourceFile(values.source);
    say(
      `fortnox-sync demo against the real Fortnox, tenant ${tenantId}, at Fortnox's limit of ${FORTNOX_LIMIT} requests per 5 s.`,
    );
    say(`Source: ${customers.length} customers from ${path.basename(values.source)}.`);
  } else {
    const fortnox = numbers.fortnox;
    try {
      sample = generateSampleSource({
        sourceCustomers: numbers.customers,
        fortnoxCustomers: fortnox,
        seed: numbers.seed,
      });
    } catch (cause) {
      // Too few Fortnox customers for the sample's overlaps: say it with the demo's own flag.
      if (!(cause instanceof RangeError)) throw cause;
      usageError(cause.message.replace(/^generateSampleSource: fortnoxCustomers/, '--fortnox'));
    }
    tenantId = '1000001';
    const emulator = createEmulatorCore({
      defaultTenantId: tenantId,
      rateLimit: { limit, windowMs: WINDOW_MS },
    });
    seedSampleFortnox(emulator.tenant(tenantId), sample);
    const server = await emulator.listen();
    stopEmulator = () => server.close();
    countFortnox = async () => emulator.tenant(tenantId).customers().length;
    const oauthClient = emulator.options.oauth.clients[0];
    auth = {
      type: 'client-credentials',
      clientId: oauthClient?.clientId ?? '',
      clientSecret: oauthClient?.clientSecret ?? '',
      tenantId,
    };
    apiBaseUrl = server.url;
    authBaseUrl = server.url;
    customers = [...sample.sourceCustomers];
    const inactive = sample.fortnoxCustomers.filter((c) => !c.Active).length;
    say(
      `fortnox-sync demo: Fortnox emulator on ${server.url} (tenant ${tenantId}), over real HTTP.`,
    );
    say(
      `Rate limit: ${limit} requests per 5 s, ${limit / FORTNOX_LIMIT}× Fortnox's real ${FORTNOX_LIMIT} per 5 s, so the demo is short; client and emulator both enforce it.`,
    );
    say(
      `1. Sample (seed ${sample.seed}): ${customers.length} Swedish source customers (companies and persons; duplicates, near-duplicates, invalid rows) and ${fortnox} Fortnox customers (${sample.fortnoxDuplicateGroups.length} hand-made duplicate pairs, ${inactive} inactive).`,
    );
  }

  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  let requests = 0;
  let rateLimited = 0;
  const client = createFortnoxClient({
    auth,
    ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
    ...(authBaseUrl === undefined ? {} : { authBaseUrl }),
    rateLimit: { limit, windowMs: WINDOW_MS },
    hooks: {
      onResponse: () => {
        requests += 1;
      },
      onRateLimited: () => {
        rateLimited += 1;
      },
    },
  });
  const storage = createSqliteStorage({ path: dbPath });
  const failures: FailedCustomer[] = [];
  const engine = createSyncEngine({
    storage,
    clients: () => client,
    source: {
      list: () => [...byId.values()],
      get: (_tenant, sourceId) => byId.get(sourceId),
      update: (_tenant, sourceId, patch) => {
        const current = byId.get(sourceId);
        if (current !== undefined) byId.set(sourceId, { ...current, ...patch });
      },
    },
    saveTimeoutMs: 60_000,
    onEvent: (event) => {
      if (event.type === 'failed') failures.push({ sourceId: event.sourceId, error: event.error });
    },
  });
  try {
    (await engine.connect(tenantId, ACTOR))._unsafeUnwrap();

    say();
    say('2. The plan (dry run: reads Fortnox, writes nothing):');
    let started = performance.now();
    const planProgress = createProgress(
      { stream: json ? process.stderr : process.stdout, line: (text) => say(`   ${text}`) },
      '  ',
    );
    const plan = (
      await engine.planInitialSync(tenantId, {
        onProgress: (p) => showSyncProgress(planProgress, p),
      })
    )._unsafeUnwrap();
    planProgress.stop();
    for (const line of describePlan(plan)) say(`   ${line}`);
    say(`   (${ms(started)})`);
    const planRequests = requests;

    const summary: Record<string, unknown> = {
      mode: real ? 'fortnox' : 'emulator',
      tenantId,
      rateLimit: { limit, windowMs: WINDOW_MS },
      plan: plan.counts,
      planRequests,
    };
    if (real && values.apply !== true) {
      for (const line of describeFailures(failuresOfPlan(plan))) say(`   ${line}`);
      say('   Against the real Fortnox the demo stops at the plan; pass --apply to run the sync.');
      return summary;
    }

    say();
    say(`3. The initial sync, on SQLite storage (${dbPath}):`);
    const progress = createProgress(
      { stream: json ? process.stderr : process.stdout, line: (text) => say(`   ${text}`) },
      '  ',
    );
    started = performance.now();
    const before = requests;
    const report = (
      await engine.runInitialSync(tenantId, {
        actor: ACTOR,
        onProgress: (p) => showSyncProgress(progress, p),
      })
    )._unsafeUnwrap();
    progress.stop();
    const runRequests = requests - before;
    for (const line of describeReport(report)) say(`   ${line}`);
    for (const line of describeFailures(failures, 4)) say(`   ${line}`);
    say(
      `   ${rateLine(runRequests, report.durationMs, limit, WINDOW_MS)}; ${rateLimited} answered 429.`,
    );
    const realMinutes = ((Math.ceil(runRequests / FORTNOX_LIMIT) - 1) * WINDOW_MS) / 60_000;
    if (!real) {
      say(
        `   At Fortnox's real ${FORTNOX_LIMIT} per 5 s these ${runRequests} requests take at least ${realMinutes.toFixed(1)} min.`,
      );
    }
    Object.assign(summary, {
      counts: report.counts,
      durationMs: Math.round(report.durationMs),
      requests: runRequests,
      rateLimited,
      failures: failures.length,
      failureFields: [...new Set(failures.map((f) => f.error.field ?? f.error.kind))].sort(),
    });
    if (sample !== undefined) {
      const truth = { ...sample.expectedCounts, 'already-linked': 0 };
      const differences = (Object.keys(truth) as (keyof typeof truth)[])
        .filter((action) => truth[action] !== report.counts[action])
        .map(
          (action) => `${action} ${report.counts[action]} where the truth says ${truth[action]}`,
        );
      const matches = differences.length === 0;
      say(
        matches
          ? `   Outcome equals the sample's known truth (${JSON.stringify(sample.expectedCounts)}): yes`
          : `   Outcome equals the sample's known truth: NO (${differences.join('; ')}). A sample other than the default may hold chance look-alikes the resolver rightly asks about.`,
      );
      summary.truth = sample.expectedCounts;
      summary.matchesTruth = matches;
    }
    if (real) {
      say(
        `   Links and decisions are kept in ${dbPath}: "npm run cli -- decisions --db ${dbPath}" lists what a person must settle.`,
      );
      return summary;
    }

    say();
    say('4. Save = sync: the host saves a new customer, the engine pushes it at once:');
    const orgBase = '559912345';
    const customer: SourceCustomer = {
      id: 'demo-live-1',
      type: 'company',
      name: 'Demobolaget Live AB',
      organisationNumber: `${orgBase}${luhnCheckDigit(orgBase)}`,
      email: 'info@demobolaget.se',
      phone: '08-123 456 78',
      address: {
        street: 'Drottninggatan 1',
        postalCode: '111 51',
        city: 'Stockholm',
        countryCode: 'SE',
      },
      active: true,
    };
    byId.set(customer.id, customer);
    started = performance.now();
    const saved = (await engine.customerSaved(tenantId, customer))._unsafeUnwrap();
    if (saved.status !== 'synced') throw new Error(`the live save answered ${saved.status}`);
    say(
      `   customerSaved → synced as Fortnox customer number ${saved.customerNumber} (${ms(started)})`,
    );
    const changed = { ...customer, email: 'kontakt@demobolaget.se', phone: '08-765 432 10' };
    byId.set(customer.id, changed);
    started = performance.now();
    const updated = (await engine.customerSaved(tenantId, changed))._unsafeUnwrap();
    if (updated.status !== 'synced') throw new Error(`the update answered ${updated.status}`);
    say(
      `   changed its e-mail and phone → synced, customer number ${updated.customerNumber} ${updated.customerNumber === saved.customerNumber ? 'kept' : 'CHANGED'} (${ms(started)})`,
    );
    Object.assign(summary, { saved: saved.customerNumber, updated: updated.customerNumber });

    say();
    say('5. A person settles one duplicate decision ("you choose"):');
    const pending = (await engine.decisions(tenantId))._unsafeUnwrap();
    const decision = pending[0];
    if (decision !== undefined) {
      for (const candidate of decision.candidates) {
        const evidence = Object.entries(candidate.evidence)
          .map(([f, how]) => `${f} ${how}`)
          .join(', ');
        say(
          `   ${decision.sourceId} may be Fortnox ${candidate.customerNumber} (score ${candidate.score.toFixed(2)}: ${evidence})`,
        );
      }
      const truth = sample?.truth.get(decision.sourceId);
      const answer =
        truth !== undefined && 'customerNumber' in truth
          ? truth.customerNumber
          : (decision.candidates[0]?.customerNumber ?? '');
      const resolved = (
        await engine.resolveDecision(tenantId, decision.sourceId, { use: answer }, ACTOR)
      )._unsafeUnwrap();
      say(
        `   The person says it is Fortnox ${answer} → ${resolved.status}${resolved.status === 'synced' ? `, linked to ${resolved.customerNumber}` : ''}.`,
      );
      summary.resolved = { sourceId: decision.sourceId, status: resolved.status };
    }

    const status = (await engine.summary(tenantId))._unsafeUnwrap();
    const fortnoxAfter = await countFortnox();
    say();
    say(
      `6. Status: ${status.linked} linked, ${status.needsDecision} decisions pending, ${status.failed} failed, ${status.pending} queued; Fortnox now has ${fortnoxAfter} customers.`,
    );
    Object.assign(summary, {
      status,
      fortnoxAfter,
      fortnoxBefore: sample?.fortnoxCustomers.length,
    });
    return summary;
  } finally {
    await engine.stop();
    await storage.close();
    await stopEmulator();
  }
}

const started = performance.now();
try {
  const summary = await main();
  summary.totalMs = Math.round(performance.now() - started);
  say(`Done in ${(Number(summary.totalMs) / 1000).toFixed(1)} s.`);
  say(
    'Next: the same steps from a terminal, on your own file: npm run cli -- --help (try "npm run emulator -- --sample 2000 --sample-file kunder.json", then "npm run cli -- plan --source kunder.json …").',
  );
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (values.db === undefined) rmSync(directory, { recursive: true, force: true });
}
