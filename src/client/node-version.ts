/** The oldest Node.js this library runs on (package.json `engines`). */
export const MIN_NODE_VERSION = '22.12.0';

/** True when `version` (e.g. `process.versions.node`) is at least {@link MIN_NODE_VERSION}. */
export function isSupportedNodeVersion(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  const [minMajor = 0, minMinor = 0] = MIN_NODE_VERSION.split('.').map(Number);
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

/**
 * Throws at once on an unsupported Node.js, with the fix, instead of failing later with a misleading
 * network error (fetch and msw break in odd ways on old versions).
 */
export function assertSupportedNode(
  caller: string,
  version: string = globalThis.process?.versions?.node ?? MIN_NODE_VERSION,
): void {
  if (isSupportedNodeVersion(version)) return;
  throw new Error(
    `${caller}: fortnox-sync needs Node.js ${MIN_NODE_VERSION} or newer, but this is Node.js ${version}. Upgrade Node.js (e.g. \`nvm install 24\`).`,
  );
}
