/** `fortnox-sync decisions`, `duplicates` and `status`: what a person looks at after a sync. */
import { parseArgs } from 'node:util';
import type { DecisionResolution } from '../storage/sync-storage.js';
import type { SyncEngine } from '../sync/sync-engine-types.js';
import {
  CLI_ACTOR,
  COMMON_OPTIONS,
  COMMON_USAGE,
  type CommonFlags,
  MissingCredentialsError,
  needsReconnect,
  noteMissingDatabase,
  openEngine,
  printError,
  readCommonFlags,
} from './cli-context.js';
import {
  type CliIo,
  EXIT_FAILURE,
  EXIT_NEEDS_ATTENTION,
  EXIT_NEEDS_RECONNECT,
  EXIT_OK,
  UsageError,
} from './cli-io.js';

/** Help text of `fortnox-sync decisions`. */
export const DECISIONS_USAGE = `Usage: fortnox-sync decisions [list] --tenant <id> [options]
       fortnox-sync decisions resolve <sourceId> (--use <customerNumber> | --create-new) --tenant <id>

Lists the pending duplicate decisions (a source customer that may be a Fortnox customer already),
each with its candidates, their score and how each field compared; or settles one: link it to a
candidate (--use) or create a new Fortnox customer (--create-new). Settling pushes it to Fortnox.

  --use <customerNumber>        resolve: the Fortnox customer it is
  --create-new                  resolve: it is none of them; create it

${COMMON_USAGE}

Exit codes: 0 ok (list: also when there are pending decisions), 1 failure (e.g. no such decision),
2 usage, 3 no or refused credentials, 4 resolved but not synced (it failed or is still pending).`;

/** Help text of `fortnox-sync duplicates`. */
export const DUPLICATES_USAGE = `Usage: fortnox-sync duplicates --tenant <id> [options]

Audits the tenant's Fortnox customer register for groups of customers that are likely the same
(read only). For each group it names the member that is linked to the source (the one to keep).

${COMMON_USAGE}

Exit codes: 0 no duplicates, 1 failure, 2 usage, 3 no or refused credentials, 4 groups found.`;

/** Help text of `fortnox-sync status`. */
export const STATUS_USAGE = `Usage: fortnox-sync status --tenant <id> [options]

Shows the tenant's sync state from the storage (no request to Fortnox): connection, linked
customers, queued work, failed customers and pending decisions.

${COMMON_USAGE}

Exit codes: 0 connected, 1 failure, 2 usage, 3 the tenant needs a reconnect or is disconnected,
4 connected but customers need a person (failed or pending decisions).`;

const parse = (
  argv: readonly string[],
  extra: Record<string, { type: 'string' | 'boolean' }> = {},
) => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, ...extra },
  });
  return { values: values as Record<string, string | boolean | undefined>, positionals };
};

const flagsOf = (values: Record<string, string | boolean | undefined>, io: CliIo): CommonFlags =>
  readCommonFlags(values, io.env ?? process.env, (message) => new UsageError(message));

/** Makes sure the tenant may send: connects it unless Fortnox refused a stored token file. */
async function connectForWrite(engine: SyncEngine, flags: CommonFlags): Promise<void> {
  const summary = (await engine.summary(flags.tenantId))._unsafeUnwrap();
  if (summary.connection === 'connected') return;
  if (summary.connection === 'needs-reconnect') throw new MissingCredentialsError();
  const connected = await engine.connect(flags.tenantId, CLI_ACTOR);
  if (connected.isErr()) throw connected.error;
}

const exitOf = (cause: unknown) =>
  cause instanceof MissingCredentialsError ? EXIT_NEEDS_RECONNECT : EXIT_FAILURE;

/** `fortnox-sync decisions [list|resolve]`. */
export async function runDecisionsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, {
    use: { type: 'string' },
    'create-new': { type: 'boolean' },
  });
  if (values.help === true) {
    io.stdout(DECISIONS_USAGE);
    return EXIT_OK;
  }
  const [action = 'list', sourceId, ...extra] = positionals;
  if (action !== 'list' && action !== 'resolve') {
    throw new UsageError(`unknown action "${action}": use list or resolve`);
  }
  if (extra.length > 0 || (action === 'list' && sourceId !== undefined)) {
    throw new UsageError(`unexpected argument "${extra[0] ?? sourceId}"`);
  }
  let resolution: DecisionResolution | undefined;
  if (action === 'resolve') {
    if (sourceId === undefined) throw new UsageError('resolve needs the source id of the decision');
    const use = typeof values.use === 'string' ? values.use : undefined;
    if ((use === undefined) === (values['create-new'] !== true)) {
      throw new UsageError('resolve needs exactly one of --use <customerNumber> or --create-new');
    }
    resolution = use === undefined ? { createNew: true } : { use };
  }
  const flags = flagsOf(values, io);
  const listing = resolution === undefined || sourceId === undefined;
  const { engine, close, databaseMissing } = openEngine(flags, io.env ?? process.env, {
    readOnly: listing,
  });
  if (databaseMissing) noteMissingDatabase(io, 'decisions', flags.dbPath);
  try {
    if (resolution === undefined || sourceId === undefined) {
      const listed = await engine.decisions(flags.tenantId);
      if (listed.isErr()) {
        printError(io, 'decisions', listed.error);
        return EXIT_FAILURE;
      }
      const decisions = listed.value.map(({ sourceId: id, candidates }) => ({
        sourceId: id,
        candidates,
      }));
      if (flags.json) io.stdout(JSON.stringify({ tenantId: flags.tenantId, decisions }));
      else {
        io.stdout(`${decisions.length} pending decision(s) for tenant ${flags.tenantId}`);
        for (const decision of decisions) {
          io.stdout(`  ${decision.sourceId}`);
          for (const candidate of decision.candidates) {
            const evidence = Object.entries(candidate.evidence)
              .map(([field, how]) => `${field} ${how}`)
              .join(', ');
            io.stdout(
              `    → Fortnox ${candidate.customerNumber} (score ${candidate.score.toFixed(2)}): ${evidence}`,
            );
          }
        }
        if (decisions.length > 0) {
          io.stdout(
            'Settle one with: fortnox-sync decisions resolve <sourceId> --use <customerNumber> | --create-new',
          );
        }
      }
      return EXIT_OK;
    }
    try {
      await connectForWrite(engine, flags);
    } catch (cause) {
      printError(io, 'decisions', cause);
      return exitOf(cause);
    }
    const settled = await engine.resolveDecision(flags.tenantId, sourceId, resolution, CLI_ACTOR);
    if (settled.isErr()) {
      printError(io, 'decisions', settled.error);
      return needsReconnect(settled.error) ? EXIT_NEEDS_RECONNECT : EXIT_FAILURE;
    }
    const outcome = settled.value;
    if (flags.json) io.stdout(JSON.stringify({ tenantId: flags.tenantId, sourceId, outcome }));
    else if (outcome.status === 'synced') {
      io.stdout(`Resolved ${sourceId}: linked to Fortnox customer ${outcome.customerNumber}.`);
    } else if (outcome.status === 'failed') {
      io.stdout(`Resolved ${sourceId}, but Fortnox refused it: ${outcome.error.userMessage.en}`);
    } else io.stdout(`Resolved ${sourceId}: ${outcome.status}.`);
    return outcome.status === 'synced' ? EXIT_OK : EXIT_NEEDS_ATTENTION;
  } finally {
    await close();
  }
}

/** `fortnox-sync duplicates`. */
export async function runDuplicatesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help === true) {
    io.stdout(DUPLICATES_USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const flags = flagsOf(values, io);
  const { engine, counter, close } = openEngine(flags, io.env ?? process.env);
  try {
    try {
      await connectForWrite(engine, flags);
    } catch (cause) {
      printError(io, 'duplicates', cause);
      return exitOf(cause);
    }
    if (!flags.json) io.stderr("Reading the tenant's Fortnox customers and comparing them…");
    const audited = await engine.auditDuplicates(flags.tenantId);
    if (audited.isErr()) {
      printError(io, 'duplicates', audited.error);
      if (needsReconnect(audited.error)) return EXIT_NEEDS_RECONNECT;
      const summary = await engine.summary(flags.tenantId);
      return summary.isOk() && summary.value.connection === 'needs-reconnect'
        ? EXIT_NEEDS_RECONNECT
        : EXIT_FAILURE;
    }
    const groups = audited.value;
    if (flags.json) {
      io.stdout(JSON.stringify({ tenantId: flags.tenantId, groups, requests: counter.requests }));
    } else {
      io.stdout(
        `${groups.length} group(s) of likely duplicate Fortnox customers in tenant ${flags.tenantId} (${counter.requests} read requests)`,
      );
      for (const group of groups) {
        const keep =
          group.keep === null ? 'none is linked: a person chooses' : `keep ${group.keep}`;
        io.stdout(`  ${group.customerNumbers.join(', ')} (${keep})`);
      }
    }
    return groups.length > 0 ? EXIT_NEEDS_ATTENTION : EXIT_OK;
  } finally {
    await close();
  }
}

/** `fortnox-sync status`. */
export async function runStatusCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help === true) {
    io.stdout(STATUS_USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const flags = flagsOf(values, io);
  const { engine, close, databaseMissing } = openEngine(flags, io.env ?? process.env, {
    readOnly: true,
  });
  if (databaseMissing) noteMissingDatabase(io, 'status', flags.dbPath);
  try {
    const summarised = await engine.summary(flags.tenantId);
    if (summarised.isErr()) {
      printError(io, 'status', summarised.error);
      return EXIT_FAILURE;
    }
    const summary = summarised.value;
    if (flags.json) io.stdout(JSON.stringify(summary));
    else {
      io.stdout(`Tenant ${summary.tenantId}: ${summary.connection}`);
      io.stdout(`  linked            ${summary.linked}`);
      io.stdout(`  queued            ${summary.pending}`);
      io.stdout(`  failed            ${summary.failed}`);
      io.stdout(`  needs a decision  ${summary.needsDecision}`);
      if (summary.connection !== 'connected') {
        io.stdout('Run "fortnox-sync auth" (or "sync" with credentials) to connect it.');
      }
    }
    if (summary.connection !== 'connected') return EXIT_NEEDS_RECONNECT;
    return summary.failed + summary.needsDecision > 0 ? EXIT_NEEDS_ATTENTION : EXIT_OK;
  } finally {
    await close();
  }
}
