/**
 * Audit a Fortnox company for duplicates that already exist inside it (customers created by hand in
 * Fortnox), and print each group with the customer to keep. Prints customer numbers only: no names,
 * e-mails or phone numbers leave the terminal.
 *
 *   npx tsx examples/audit-fortnox-duplicates.ts          (an emulator it starts itself)
 *   FORTNOX_API_URL=http://127.0.0.1:4010 FORTNOX_ACCESS_TOKEN=<token> npx tsx examples/audit-fortnox-duplicates.ts
 */
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createFortnoxClient,
  type DuplicateGroup,
  type FortnoxClient,
  type FortnoxError,
  findDuplicateGroups,
  type ResultAsync,
} from 'fortnox-sync';
import { createEmulatorCore } from 'fortnox-sync/testing';

/** Every group of likely duplicates among the company's Fortnox customers. */
export function auditFortnoxDuplicates(
  client: FortnoxClient,
): ResultAsync<DuplicateGroup[], FortnoxError> {
  return client.customers.listAll().map((inventory) => findDuplicateGroups(inventory));
}

async function main(): Promise<void> {
  const { client, close } = await openFortnox();
  const groups = await auditFortnoxDuplicates(client);
  await close();
  if (groups.isErr()) throw new Error(`${groups.error.kind}: ${groups.error.message}`);
  for (const group of groups.value) {
    const others = group.customerNumbers.filter((number) => number !== group.survivor);
    console.log(`keep ${group.survivor}; duplicates: ${others.join(', ')}`);
  }
  console.log(`${groups.value.length} groups of likely duplicates`);
}

/**
 * The Fortnox to run against: the one named by FORTNOX_API_URL and FORTNOX_ACCESS_TOKEN, or else an
 * emulator started here with 300 seeded customers.
 */
async function openFortnox(): Promise<{ client: FortnoxClient; close: () => Promise<void> }> {
  const apiBaseUrl = process.env.FORTNOX_API_URL;
  if (apiBaseUrl !== undefined) {
    const accessToken = process.env.FORTNOX_ACCESS_TOKEN ?? '';
    const client = createFortnoxClient({ auth: { type: 'access-token', accessToken }, apiBaseUrl });
    return { client, close: async () => {} };
  }
  const emulator = createEmulatorCore();
  emulator.tenant().seedCustomers(300, { seed: 1 });
  const server = await emulator.listen({ port: 0 });
  const accessToken = emulator.issueAccessToken();
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken },
    apiBaseUrl: server.url,
  });
  console.log(`(no FORTNOX_API_URL: running against an emulator at ${server.url})`);
  return { client, close: () => server.close() };
}

// Run main only when this file is the entry point (works from any path, spaces included).
if (isEntryPoint(import.meta.url)) await main();

/** Whether this module is the script node was started with (paths with spaces and symlinks included). */
function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  const self = realpathSync(fileURLToPath(moduleUrl));
  // `npx tsx examples/<name>` may leave out the extension, as tsx allows.
  return [script, `${script}.ts`].some((file) => existsSync(file) && realpathSync(file) === self);
}
