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
};

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
