/** Where the CLI writes and how it learns that it should stop. */
export type CliIo = {
  /** Writes one line of normal output. */
  readonly stdout: (line: string) => void;
  /** Writes one line of diagnostics. */
  readonly stderr: (line: string) => void;
  /** Aborted when a long-running command should stop (SIGINT/SIGTERM in the real binary). */
  readonly signal?: AbortSignal;
};

/** Console-backed {@link CliIo}. */
export const DEFAULT_CLI_IO: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes: 0 success, 1 runtime failure, 2 usage error. */
export const EXIT_OK = 0;
/** A command failed at run time (e.g. the port is taken). */
export const EXIT_FAILURE = 1;
/** The command line was wrong. */
export const EXIT_USAGE = 2;

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
