/**
 * Dry run of an initial sync: inventory every Fortnox customer, map and match every source customer,
 * and print the plan (create / link / update / ask) without writing anything to Fortnox.
 *
 *   npx tsx examples/plan-initial-sync.ts          (against an emulator it starts itself)
 * or against a Fortnox (or an emulator started with `npm run emulator -- --port 4010`):
 *   FORTNOX_API_URL=http://127.0.0.1:4010 FORTNOX_ACCESS_TOKEN=<token> npx tsx examples/plan-initial-sync.ts
 */
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createCustomerIndex,
  createDuplicateResolver,
  createFortnoxClient,
  type DuplicateDecision,
  type FortnoxClient,
  type FortnoxError,
  type MappingError,
  type ResultAsync,
  type SourceCustomer,
  toFortnoxCustomer,
} from 'fortnox-sync';
import { createEmulatorCore } from 'fortnox-sync/testing';

/** What the initial sync would do with each source customer. */
export type InitialSyncPlan = {
  readonly fortnoxCustomers: number;
  readonly decisions: ReadonlyArray<{
    readonly sourceId: string;
    readonly decision: DuplicateDecision;
  }>;
  /** Source customers Fortnox would reject, with every problem per field. */
  readonly invalid: ReadonlyArray<{ readonly sourceId: string; readonly error: MappingError }>;
};

/** Inventories Fortnox (pages of 500, within the rate limit) and plans every source customer. */
export function planInitialSync(
  client: FortnoxClient,
  sources: readonly SourceCustomer[],
): ResultAsync<InitialSyncPlan, FortnoxError> {
  return client.customers.listAll().map((inventory) => {
    const index = createCustomerIndex(inventory);
    const resolver = createDuplicateResolver();
    const decisions: Array<InitialSyncPlan['decisions'][number]> = [];
    const invalid: Array<InitialSyncPlan['invalid'][number]> = [];
    for (const source of sources) {
      const mapped = toFortnoxCustomer(source);
      if (mapped.isErr()) {
        invalid.push({ sourceId: source.id, error: mapped.error });
        continue;
      }
      decisions.push({ sourceId: source.id, decision: resolver.resolve(source, index).decision });
    }
    return { fortnoxCustomers: inventory.length, decisions, invalid };
  });
}

/** Counts of a plan by decision kind, as a dry run shows them. */
export function summarizePlan(
  plan: InitialSyncPlan,
): Record<DuplicateDecision['kind'] | 'invalid', number> {
  const counts = { create: 0, link: 0, 'update-existing': 0, ask: 0, invalid: plan.invalid.length };
  for (const { decision } of plan.decisions) counts[decision.kind] += 1;
  return counts;
}

async function main(): Promise<void> {
  const { client, close } = await openFortnox();
  const sources: SourceCustomer[] = [
    {
      id: 'ultra-1',
      type: 'company',
      name: 'Exempelbolaget AB',
      organisationNumber: '556036-0793',
      active: true,
    },
    {
      id: 'ultra-2',
      type: 'private',
      name: 'Anna Andersson',
      phone: '070-123 45 67',
      active: true,
    },
  ];
  const plan = await planInitialSync(client, sources);
  await close();
  if (plan.isErr()) throw new Error(`${plan.error.kind}: ${plan.error.message}`);
  console.table(summarizePlan(plan.value));
}

/**
 * The Fortnox to run against: the one named by FORTNOX_API_URL and FORTNOX_ACCESS_TOKEN, or else an
 * emulator started here with 50 seeded customers.
 */
async function openFortnox(): Promise<{ client: FortnoxClient; close: () => Promise<void> }> {
  const apiBaseUrl = process.env.FORTNOX_API_URL;
  if (apiBaseUrl !== undefined) {
    const accessToken = process.env.FORTNOX_ACCESS_TOKEN ?? '';
    const client = createFortnoxClient({ auth: { type: 'access-token', accessToken }, apiBaseUrl });
    return { client, close: async () => {} };
  }
  const emulator = createEmulatorCore();
  emulator.tenant().seedCustomers(50, { seed: 1 });
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
