/** `fortnox-sync plan` and `fortnox-sync sync`: the initial sync of a file of source customers. */
import { parseArgs } from 'node:util';
import type { SourceCustomer } from '../mapping/index.js';
import type { SyncEngine, SyncError } from '../sync/sync-engine-types.js';
import {
  authFromEnvironment,
  CLI_ACTOR,
  COMMON_OPTIONS,
  COMMON_USAGE,
  type CommonFlags,
  MissingCredentialsError,
  needsReconnect,
  openEngine,
  printError,
  rateLimitedLine,
  readCommonFlags,
} from './cli-context.js';
import {
  type CliIo,
  EXIT_FAILURE,
  EXIT_INVALID_INPUT,
  EXIT_NEEDS_ATTENTION,
  EXIT_NEEDS_RECONNECT,
  EXIT_OK,
  UsageError,
} from './cli-io.js';
import { createProgress, showSyncProgress } from './progress.js';
import { pushChangedCustomers } from './push-changes.js';
import { readSourceFile, SourceFileError, type SourceFileFormat } from './source-file.js';
import {
  describeFailures,
  describePlan,
  describeReport,
  type FailedCustomer,
  failuresOfPlan,
  rateLine,
} from './sync-report.js';

const SOURCE_USAGE = `  --source <file>               source customers: .json (array), .ndjson/.jsonl (one per line) or .csv
                                (header: id,type,name,email,phone,street,postalCode,city,countryCode,
                                organisationNumber,active; "," or ";"); every row's shape is checked
  --format <json|ndjson|csv>    the file's format when its name does not tell
`;

/** Help text of `fortnox-sync plan`. */
export const PLAN_USAGE = `Usage: fortnox-sync plan --source <file> --tenant <id> [options]

Dry run of the initial sync: reads Fortnox's customers, matches every source customer and prints
what a sync would do (create, link, update, ask a person, fail). Writes nothing anywhere.

${SOURCE_USAGE}
${COMMON_USAGE}

Exit codes: 0 planned, 1 failure, 2 usage, 3 no or refused credentials, 5 invalid source file.`;

/** Help text of `fortnox-sync sync`. */
export const SYNC_USAGE = `Usage: fortnox-sync sync --source <file> --tenant <id> [options]

Runs the initial sync: links source customers to the Fortnox customers they already are, updates
Fortnox where the source is more complete, creates the rest, and asks a person about near-duplicates
(see "fortnox-sync decisions"). Resumable: an interrupted run (Ctrl+C) continues where it stopped.
Repeatable: run it again on an edited file and new rows are created, linked rows that changed are
saved (one update each), unchanged rows cost nothing; rows gone from the file are never deleted.

${SOURCE_USAGE}
${COMMON_USAGE}

Exit codes: 0 all synced, 1 failure, 2 usage, 3 no or refused credentials (run "fortnox-sync auth"),
4 done but customers need a person (pending decisions or failed rows), 5 invalid source file.`;

function parseSyncArgs(argv: readonly string[], io: CliIo) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: { ...COMMON_OPTIONS, source: { type: 'string' }, format: { type: 'string' } },
  });
  if (values.help === true) return { help: true as const };
  const format = values.format;
  if (format !== undefined && !['json', 'ndjson', 'csv'].includes(format)) {
    throw new UsageError(`--format must be json, ndjson or csv, got "${format}"`);
  }
  if (values.source === undefined) throw new UsageError('--source <file> is required');
  const flags = readCommonFlags(values, io.env ?? process.env, (m) => new UsageError(m));
  return {
    help: false as const,
    flags,
    source: values.source,
    format: format as SourceFileFormat | undefined,
  };
}

/** Reads the source file, printing every row problem; `undefined` when it is unusable. */
async function loadSource(
  io: CliIo,
  command: string,
  file: string,
  format: SourceFileFormat | undefined,
  json: boolean,
): Promise<SourceCustomer[] | undefined> {
  try {
    return await readSourceFile(file, format);
  } catch (cause) {
    if (!(cause instanceof SourceFileError)) throw cause;
    if (json) {
      io.stdout(JSON.stringify({ error: cause.message, problems: cause.problems }));
    } else {
      printError(io, command, cause);
      for (const problem of cause.problems.slice(0, 20)) {
        io.stderr(`  row ${problem.row}, ${problem.field}: ${problem.message} (${problem.code})`);
      }
      if (cause.problems.length > 20) io.stderr(`  … and ${cause.problems.length - 20} more`);
    }
    return undefined;
  }
}

/**
 * Connects the tenant for this run. With a token file whose tokens Fortnox refused
 * (`needs-reconnect`) it does not: the person must run `auth` again.
 */
async function prepareTenant(engine: SyncEngine, flags: CommonFlags, io: CliIo): Promise<void> {
  const auth = authFromEnvironment(flags, io.env ?? process.env);
  const summary = await engine.summary(flags.tenantId);
  if (summary.isErr()) throw summary.error;
  if (summary.value.connection === 'needs-reconnect' && auth.type === 'refresh-token') {
    throw new MissingCredentialsError();
  }
  if (summary.value.connection !== 'connected') {
    const connected = await engine.connect(flags.tenantId, CLI_ACTOR);
    if (connected.isErr()) throw connected.error;
  }
}

/** Exit code and words for a failed engine call: 3 when Fortnox refused the credentials. */
async function failure(
  io: CliIo,
  command: string,
  engine: SyncEngine,
  tenantId: string,
  error: SyncError | Error,
): Promise<number> {
  printError(io, command, error);
  if (needsReconnect(error)) return EXIT_NEEDS_RECONNECT;
  const summary = await engine.summary(tenantId);
  return summary.isOk() && summary.value.connection === 'needs-reconnect'
    ? EXIT_NEEDS_RECONNECT
    : EXIT_FAILURE;
}

/** A live bar on the terminal `io` offers, else plain lines on stderr (stdout stays for results). */
const progressTarget = (io: CliIo) => ({
  ...(io.progressStream === undefined ? {} : { stream: io.progressStream }),
  line: io.stderr,
});

/** `fortnox-sync plan` and `fortnox-sync sync`. */
export async function runSyncCommand(
  command: 'plan' | 'sync',
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  const args = parseSyncArgs(argv, io);
  if (args.help) {
    io.stdout(command === 'plan' ? PLAN_USAGE : SYNC_USAGE);
    return EXIT_OK;
  }
  const { flags } = args;
  const customers = await loadSource(io, command, args.source, args.format, flags.json);
  if (customers === undefined) return EXIT_INVALID_INPUT;
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  const failures: FailedCustomer[] = [];
  let flowBack = 0;
  const { engine, storage, counter, close } = openEngine(flags, io.env ?? process.env, {
    source: {
      list: () => customers,
      get: (_tenantId, sourceId) => byId.get(sourceId),
      // The file cannot be written back: count what Fortnox could fill in.
      update: () => {
        flowBack += 1;
      },
    },
    onEvent: (event) => {
      if (event.type === 'failed') failures.push({ sourceId: event.sourceId, error: event.error });
    },
  });
  try {
    try {
      await prepareTenant(engine, flags, io);
    } catch (cause) {
      printError(io, command, cause);
      return cause instanceof MissingCredentialsError ? EXIT_NEEDS_RECONNECT : EXIT_FAILURE;
    }
    if (command === 'plan') {
      if (!flags.json) {
        io.stderr(`Reading Fortnox's customers and matching ${customers.length} source customers…`);
      }
      const progress = createProgress(progressTarget(io), 'plan');
      const planned = await engine.planInitialSync(flags.tenantId, {
        onProgress: (p) => showSyncProgress(progress, p),
        ...(io.signal === undefined ? {} : { signal: io.signal }),
      });
      progress.stop();
      if (planned.isErr()) {
        if (planned.error.kind === 'aborted') {
          io.stderr('fortnox-sync plan: interrupted; nothing was written.');
          return EXIT_FAILURE;
        }
        return await failure(io, command, engine, flags.tenantId, planned.error);
      }
      const plan = planned.value;
      if (flags.json) io.stdout(JSON.stringify(plan));
      else {
        for (const line of describePlan(plan)) io.stdout(line);
        for (const line of describeFailures(failuresOfPlan(plan))) io.stdout(line);
      }
      return EXIT_OK;
    }
    const progress = createProgress(progressTarget(io), 'sync');
    const ran = await engine.runInitialSync(flags.tenantId, {
      actor: CLI_ACTOR,
      onProgress: (p) => showSyncProgress(progress, p),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    });
    progress.stop();
    if (ran.isErr()) {
      if (ran.error.kind === 'aborted') {
        io.stderr(
          'fortnox-sync sync: interrupted. Run the same command again to resume where it stopped.',
        );
        return EXIT_FAILURE;
      }
      return await failure(io, command, engine, flags.tenantId, ran.error);
    }
    const report = ran.value;
    const pushed = await pushChangedCustomers(engine, storage, flags.tenantId, customers);
    const needsPerson =
      report.counts.ask + report.counts.failed > 0 ||
      pushed.changed !== (pushed.outcomes.synced ?? 0);
    if (flags.json) {
      io.stdout(
        JSON.stringify({
          ...report,
          requests: counter.requests,
          rateLimited: counter.rateLimited,
          rateLimit: { limit: flags.rateLimit, windowMs: 5_000 },
          // The server refused requests: its limit is below what the client sent.
          rateAboveServerLimit: counter.rateLimited > 0,
          fortnoxCouldFill: flowBack,
          changed: pushed,
          failures: failures.map(({ sourceId, error }) => ({ sourceId, ...error })),
        }),
      );
    } else {
      for (const line of describeReport(report)) io.stdout(line);
      io.stdout(rateLine(counter.requests, report.durationMs, flags.rateLimit, 5_000));
      const refused = rateLimitedLine(counter.rateLimited, flags.rateLimit);
      if (refused !== undefined) io.stdout(refused);
      for (const line of describeFailures(failures)) io.stdout(line);
      if (report.counts.ask > 0) {
        io.stdout(
          `${report.counts.ask} customer(s) need a decision: run "fortnox-sync decisions --tenant ${flags.tenantId}".`,
        );
      }
      if (pushed.changed > 0) {
        const outcomes = Object.entries(pushed.outcomes)
          .map(([status, count]) => `${count} ${status}`)
          .join(', ');
        io.stdout(
          `Changed since the last run: ${pushed.changed} linked customer(s) saved (${outcomes}).`,
        );
      }
      if (pushed.missing > 0) {
        io.stdout(
          `${pushed.missing} customer(s) of an earlier run are not in this file; nothing was deleted in Fortnox.`,
        );
      }
      if (flowBack > 0) {
        io.stdout(
          `Fortnox had data your source lacks (e.g. an e-mail) for ${flowBack} customer(s).`,
        );
      }
    }
    return needsPerson ? EXIT_NEEDS_ATTENTION : EXIT_OK;
  } finally {
    await close();
  }
}
