/**
 * A DuplicateResolver of your own, wrapping the default one: a private person is never linked to an
 * existing Fortnox customer automatically. Where the default would link or update a private person,
 * this one asks a person instead (two people can share a name and a family phone number); companies
 * keep the default's rules (same organisation number = same company).
 *
 *   npx tsx examples/custom-duplicate-resolver.ts
 *     saves a company and a private person who both already exist in an emulator it starts itself:
 *     the company is linked, the private person waits for a decision.
 */
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createDuplicateResolver,
  createFortnoxClient,
  createMemoryStorage,
  createSyncEngine,
  type DuplicateResolver,
  type ResolveResult,
  resolveAllWith,
} from 'fortnox-sync';
import { createEmulatorCore } from 'fortnox-sync/testing';

/** The default resolver, except that a private person is never linked without a person's say. */
export function createCautiousResolver(
  base: DuplicateResolver = createDuplicateResolver(),
): DuplicateResolver {
  const resolve: DuplicateResolver['resolve'] = (source, index): ResolveResult => {
    const result = base.resolve(source, index);
    const { decision } = result;
    if (source.type !== 'private') return result;
    if (decision.kind !== 'link' && decision.kind !== 'update-existing') return result;
    // Same customer number and evidence, but a person confirms it.
    const candidate = {
      customerNumber: decision.customerNumber,
      score: decision.evidence.score,
      evidence: decision.evidence,
    };
    return { decision: { kind: 'ask', candidates: [candidate] }, warnings: result.warnings };
  };
  // resolveAllWith adds the default's batch warnings (several sources pointing at one customer).
  return { resolve, resolveAll: (sources, index) => resolveAllWith(resolve, sources, index) };
}

async function main(): Promise<void> {
  const emulator = createEmulatorCore();
  const tenant = emulator.tenant();
  tenant.insert({
    Name: 'Exempelbolaget AB',
    OrganisationNumber: '556036-0793',
    Type: 'COMPANY',
  });
  tenant.insert({
    Name: 'Anna Andersson',
    Type: 'PRIVATE',
    Phone1: '070-123 45 67',
    Email: 'anna.andersson@example.se',
  });
  const server = await emulator.listen({ port: 0 });
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
    apiBaseUrl: server.url,
  });
  const storage = createMemoryStorage();
  const engine = createSyncEngine({
    storage,
    clients: () => client,
    resolver: createCautiousResolver(),
  });
  try {
    (await engine.connect(tenant.tenantId, { id: 'example', roles: ['admin'] }))._unsafeUnwrap();
    const company = await engine.customerSaved(tenant.tenantId, {
      id: 'crm-1',
      type: 'company',
      name: 'Exempelbolaget AB',
      organisationNumber: '556036-0793',
      active: true,
    });
    console.log(`company: ${company.isOk() ? company.value.status : company.error.kind}`);
    const person = await engine.customerSaved(tenant.tenantId, {
      id: 'crm-2',
      type: 'private',
      name: 'Anna Andersson',
      phone: '0701234567',
      email: 'anna.andersson@example.se',
      active: true,
    });
    console.log(`private person: ${person.isOk() ? person.value.status : person.error.kind}`);
  } finally {
    await engine.stop();
    await storage.close();
    await server.close();
  }
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
