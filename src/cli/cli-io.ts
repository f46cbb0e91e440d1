/** Where the CLI writes and how it learns that it should stop. */
export type CliIo = {
  /** Writes one line of normal output. */
  readonly stdout: (line: string) => void;
  /** Writes one line of diagnostics. */
  readonly stderr: (line: string) => void;
  /** Aborted when a long-running command should stop (SIGINT/SIGTERM in the real binary). */
  readonly signal?: AbortSignal;
  /** The environment credentials and defaults are read from. @defaultValue `process.env` */
  readonly env?: NodeJS.ProcessEnv;
  /** Where a live progress bar is drawn when it is a TTY; otherwise progress is plain `stderr` lines. */
  readonly progressStream?: NodeJS.WriteStream;
  /**
   * The command was given `--json`: an error is also one JSON line on stdout,
   * `{ "error": <English message>, "kind": …, "userMessage": { "sv": …, "en": … } }`, so a script
   * reading stdout sees it (the words for a person still go to stderr).
   */
  readonly json?: boolean;
};

/** The JSON line of a failed command (see {@link CliIo.json}). */
export function jsonErrorLine(error: unknown, kind?: string): string {
  const known = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    kind?: unknown;
    userMessage?: unknown;
  };
  const message = typeof known.message === 'string' ? known.message : String(error);
  return JSON.stringify({
    error: message,
    kind: kind ?? (typeof known.kind === 'string' ? known.kind : 'failure'),
    ...(known.userMessage === undefined ? {} : { userMessage: known.userMessage }),
  });
}

/** Console-backed {@link CliIo}. */
export const DEFAULT_CLI_IO: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  progressStream: process.stderr,
};

/** Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 connect first, 4 a person must look, 5 bad input file. */
export const EXIT_OK = 0;
/** A command failed at run time (e.g. the port is taken). */
export const EXIT_FAILURE = 1;
/** The command line was wrong. */
export const EXIT_USAGE = 2;
/** No credentials, or Fortnox refused them (tenant needs reconnect): run `fortnox-sync auth`. */
export const EXIT_NEEDS_RECONNECT = 3;
/** The work finished, but customers need a person: pending duplicate decisions or failed rows. */
export const EXIT_NEEDS_ATTENTION = 4;
/** The source file could not be read or has rows of the wrong shape (every row problem is printed). */
export const EXIT_INVALID_INPUT = 5;

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
