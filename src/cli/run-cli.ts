import { createRequire } from 'node:module';
import { AUTH_USAGE, runAuthCommand } from './auth-command.js';
import {
  type CliIo,
  DEFAULT_CLI_IO,
  EXIT_OK,
  EXIT_USAGE,
  jsonErrorLine,
  UsageError,
} from './cli-io.js';
import { EMULATOR_USAGE, runEmulatorCommand } from './emulator-command.js';
import { PLAN_USAGE, runSyncCommand, SYNC_USAGE } from './sync-command.js';
import {
  DECISIONS_USAGE,
  DUPLICATES_USAGE,
  runDecisionsCommand,
  runDuplicatesCommand,
  runStatusCommand,
  STATUS_USAGE,
} from './tenant-commands.js';

type Command = {
  readonly summary: string;
  readonly usage: string;
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
};

/** The subcommands; each one parses its own flags. */
const COMMANDS: Readonly<Record<string, Command>> = {
  emulator: {
    summary: 'start a local Fortnox emulator (API + OAuth)',
    usage: EMULATOR_USAGE,
    run: runEmulatorCommand,
  },
  auth: {
    summary: 'connect a Fortnox company (OAuth in the browser; tokens stored encrypted)',
    usage: AUTH_USAGE,
    run: runAuthCommand,
  },
  plan: {
    summary: 'dry run of the initial sync of a source file (writes nothing)',
    usage: PLAN_USAGE,
    run: (argv, io) => runSyncCommand('plan', argv, io),
  },
  sync: {
    summary: 'run the initial sync of a source file (resumable)',
    usage: SYNC_USAGE,
    run: (argv, io) => runSyncCommand('sync', argv, io),
  },
  decisions: {
    summary: 'list or resolve pending duplicate decisions',
    usage: DECISIONS_USAGE,
    run: runDecisionsCommand,
  },
  duplicates: {
    summary: "audit a tenant's Fortnox register for duplicate customers",
    usage: DUPLICATES_USAGE,
    run: runDuplicatesCommand,
  },
  status: {
    summary: "show a tenant's sync state (linked, queued, failed, decisions)",
    usage: STATUS_USAGE,
    run: runStatusCommand,
  },
};

/** The package's version (read from package.json, one level above both src/cli and dist). */
export function cliVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const manifest = require(candidate) as { name?: string; version?: string };
      if (manifest.name === 'fortnox-sync' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    } catch {
      // Not at this level: try the next.
    }
  }
  return 'unknown';
}

/** Help text of `fortnox-sync`. */
function mainUsage(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(12)}${command.summary}`,
  );
  return `Usage: fortnox-sync <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help    show this help
  -v, --version print the version

Exit codes: 0 ok, 1 failure, 2 usage, 3 connect first (no or refused credentials),
4 done but customers need a person (decisions, failed rows, duplicates), 5 invalid source file.

Run "fortnox-sync <command> --help" for the options of a command.`;
}

/**
 * Runs the `fortnox-sync` command line and resolves with the exit code (see {@link EXIT_OK} and the
 * other `EXIT_*` constants: 0 ok, 1 failure, 2 usage, 3 connect first, 4 needs a person, 5 bad file).
 * Long-running commands stop when `io.signal` aborts.
 * @example await runCli(['emulator', '--port', '0'], { ...DEFAULT_CLI_IO, signal })
 */
export async function runCli(argv: readonly string[], io: CliIo = DEFAULT_CLI_IO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(mainUsage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(cliVersion());
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`fortnox-sync: unknown command "${name}"`);
    io.stderr(mainUsage());
    return EXIT_USAGE;
  }
  const commandIo: CliIo = rest.includes('--json') ? { ...io, json: true } : io;
  try {
    return await command.run(rest, commandIo);
  } catch (cause) {
    const isUsage =
      cause instanceof UsageError ||
      (cause instanceof TypeError &&
        'code' in cause &&
        String(cause.code).startsWith('ERR_PARSE_ARGS'));
    if (!isUsage) throw cause;
    io.stderr(`fortnox-sync ${name}: ${cause.message}`);
    io.stderr(command.usage);
    if (commandIo.json === true) io.stdout(jsonErrorLine(cause, 'usage'));
    return EXIT_USAGE;
  }
}
