/**
 * The `fortnox-sync` binary (the build adds the shebang). A thin shell: it wires process signals
 * and exit codes to {@link runCli}.
 */
import { isSupportedNodeVersion, MIN_NODE_VERSION } from '../client/node-version.js';
import { DEFAULT_CLI_IO } from './cli-io.js';
import { runCli } from './run-cli.js';

if (!isSupportedNodeVersion(process.versions.node)) {
  process.stderr.write(
    `fortnox-sync needs Node.js ${MIN_NODE_VERSION} or newer; this is ${process.versions.node}. Upgrade Node.js (e.g. \`nvm install 24\`).\n`,
  );
  process.exit(1);
}
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort());
}
process.exitCode = await runCli(process.argv.slice(2), {
  ...DEFAULT_CLI_IO,
  signal: controller.signal,
});
