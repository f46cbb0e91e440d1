/**
 * Audit a Fortnox company for duplicates that already exist inside it (customers created by hand in
 * Fortnox), and print each group with the customer to keep. Prints customer numbers only: no names,
 * e-mails or phone numbers leave the terminal.
 *
 *   FORTNOX_API_URL=http://127.0.0.1:4010 FORTNOX_ACCESS_TOKEN=<token> npx tsx examples/audit-fortnox-duplicates.ts
 */
import {
  createFortnoxClient,
  type DuplicateGroup,
  type FortnoxClient,
  type FortnoxError,
  findDuplicateGroups,
  type ResultAsync,
} from 'fortnox-sync';

/** Every group of likely duplicates among the company's Fortnox customers. */
export function auditFortnoxDuplicates(
  client: FortnoxClient,
): ResultAsync<DuplicateGroup[], FortnoxError> {
  return client.customers.listAll().map((inventory) => findDuplicateGroups(inventory));
}

async function main(): Promise<void> {
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: process.env.FORTNOX_ACCESS_TOKEN ?? '' },
    apiBaseUrl: process.env.FORTNOX_API_URL ?? 'https://api.fortnox.se',
  });
  const groups = await auditFortnoxDuplicates(client);
  if (groups.isErr()) throw new Error(`${groups.error.kind}: ${groups.error.message}`);
  for (const group of groups.value) {
    const others = group.customerNumbers.filter((number) => number !== group.survivor);
    console.log(`keep ${group.survivor}; duplicates: ${others.join(', ')}`);
  }
  console.log(`${groups.value.length} groups of likely duplicates`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
