import { type CliIo, DEFAULT_CLI_IO, EXIT_OK, EXIT_USAGE, UsageError } from './cli-io.js';
import { EMULATOR_USAGE, runEmulatorCommand } from './emulator-command.js';

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
};

/** Help text of `fortnox-sync`. */
function mainUsage(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(12)}${command.summary}`,
  );
  return `Usage: fortnox-sync <command> [options]

Commands:
${lines.join('\n')}

Run "fortnox-sync <command> --help" for the options of a command.`;
}

/**
 * Runs the `fortnox-sync` command line and resolves with the exit code (0 ok, 1 failure, 2 usage).
 * Long-running commands stop when `io.signal` aborts.
 * @example await runCli(['emulator', '--port', '0'], { ...DEFAULT_CLI_IO, signal })
 */
export async function runCli(argv: readonly string[], io: CliIo = DEFAULT_CLI_IO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(mainUsage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`fortnox-sync: unknown command "${name}"`);
    io.stderr(mainUsage());
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (cause) {
    const isUsage =
      cause instanceof UsageError ||
      (cause instanceof TypeError &&
        'code' in cause &&
        String(cause.code).startsWith('ERR_PARSE_ARGS'));
    if (!isUsage) throw cause;
    io.stderr(`fortnox-sync ${name}: ${cause.message}`);
    io.stderr(command.usage);
    return EXIT_USAGE;
  }
}
