/**
 * The `fortnox-sync` binary (the build adds the shebang). A thin shell: it wires process signals
 * and exit codes to {@link runCli}.
 */
import { DEFAULT_CLI_IO } from './cli-io.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort());
}
process.exitCode = await runCli(process.argv.slice(2), {
  ...DEFAULT_CLI_IO,
  signal: controller.signal,
});
