/**
 * The "you choose" step of a sync: a small page where a person resolves pending duplicate decisions.
 * Each pending decision shows the customer from your system next to the Fortnox customers it may be,
 * with how each field compared; the person picks one ("this is the same customer") or creates a new
 * one. Plain `node:http`, no framework: put the two routes behind your app's login and CSRF protection.
 *
 *   npx tsx examples/decisions-page.ts
 *     starts an emulator where two saved companies already exist, asks about them (companyMatch:
 *     'ask'), and serves the page on http://127.0.0.1:3000 (PORT=… to change) until Ctrl-C.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  createFortnoxClient,
  createMemoryStorage,
  createSyncEngine,
  type FortnoxClient,
  type SourceCustomer,
  type SyncActor,
  type SyncEngine,
} from 'fortnox-sync';
import { createEmulatorCore } from 'fortnox-sync/testing';

/** What the page needs from your application. */
export type DecisionsPageOptions = {
  readonly engine: SyncEngine;
  readonly tenantId: string;
  /** The tenant's Fortnox client: the page reads each candidate to show it. */
  readonly client: FortnoxClient;
  /** Your customer as your system has it, to show next to the candidates. */
  readonly sourceCustomer: (sourceId: string) => SourceCustomer | undefined;
  /** Who is deciding (from your session). */
  readonly actor: SyncActor;
  /** @defaultValue 0 (any free port) */
  readonly port?: number;
};

/** A running page. */
export type DecisionsPage = { readonly url: string; close(): Promise<void> };

/** Serves the decisions page: `GET /` lists pending decisions, `POST /resolve` settles one. */
export async function startDecisionsPage(options: DecisionsPageOptions): Promise<DecisionsPage> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      console.error('decisions page:', error instanceof Error ? error.message : error);
      if (!response.headersSent) send(response, 500, page('Error', '<p>Something went wrong.</p>'));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  options: DecisionsPageOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'GET' && url.pathname === '/') {
    send(response, 200, await renderDecisions(options, url.searchParams.get('message')));
    return;
  }
  if (request.method === 'POST' && url.pathname === '/resolve') {
    const form = new URLSearchParams(await readBody(request));
    const sourceId = form.get('sourceId') ?? '';
    const use = form.get('use');
    const resolution = use === null ? { createNew: true as const } : { use };
    const outcome = await options.engine.resolveDecision(
      options.tenantId,
      sourceId,
      resolution,
      options.actor,
    );
    if (outcome.isErr()) {
      // userMessage holds words for a person and no personal data.
      send(
        response,
        400,
        page(
          'Not resolved',
          `<p role="alert">${escapeHtml(outcome.error.userMessage.en)}</p><p><a href="/">Back</a></p>`,
        ),
      );
      return;
    }
    const result = outcome.value;
    const message =
      result.status === 'synced'
        ? `${sourceId} is now Fortnox customer ${result.customerNumber}.`
        : `${sourceId}: ${result.status}.`;
    response.writeHead(303, { location: `/?message=${encodeURIComponent(message)}` }).end();
    return;
  }
  send(response, 404, page('Not found', '<p>Not found.</p>'));
}

async function renderDecisions(
  options: DecisionsPageOptions,
  message: string | null,
): Promise<string> {
  const pending = await options.engine.decisions(options.tenantId);
  if (pending.isErr()) throw pending.error;
  const notice = message === null ? '' : `<p role="status" id="message">${escapeHtml(message)}</p>`;
  if (pending.value.length === 0) {
    return page('Duplicate decisions', `${notice}<p id="empty">No decisions are waiting.</p>`);
  }
  const sections: string[] = [];
  for (const decision of pending.value) {
    const mine = options.sourceCustomer(decision.sourceId);
    const cards: string[] = [];
    for (const candidate of decision.candidates) {
      const fortnox = await options.client.customers.get(candidate.customerNumber);
      const shown = fortnox.isOk()
        ? describe(
            fortnox.value.Name,
            fortnox.value.OrganisationNumber,
            fortnox.value.Email,
            fortnox.value.Phone1,
          )
        : '<p>(could not read this customer from Fortnox)</p>';
      const evidence = Object.entries(candidate.evidence)
        .map(([field, outcome]) => `<li>${escapeHtml(field)}: ${escapeHtml(outcome)}</li>`)
        .join('');
      cards.push(`<li class="candidate">
  <h3>Fortnox customer ${escapeHtml(candidate.customerNumber)}</h3>${shown}
  <ul class="evidence">${evidence}</ul>
  <form method="post" action="/resolve">
    <input type="hidden" name="sourceId" value="${escapeHtml(decision.sourceId)}">
    <button name="use" value="${escapeHtml(candidate.customerNumber)}">Same customer: use ${escapeHtml(candidate.customerNumber)}</button>
  </form>
</li>`);
    }
    sections.push(`<section class="decision" data-source-id="${escapeHtml(decision.sourceId)}">
  <h2>${escapeHtml(mine?.name ?? decision.sourceId)}</h2>
  ${mine === undefined ? '' : describe(mine.name, mine.organisationNumber, mine.email, mine.phone)}
  <p>May already be in Fortnox as:</p>
  <ul>${cards.join('\n')}</ul>
  <form method="post" action="/resolve">
    <input type="hidden" name="sourceId" value="${escapeHtml(decision.sourceId)}">
    <button name="createNew" value="1">None of these: create a new customer</button>
  </form>
</section>`);
  }
  return page('Duplicate decisions', `${notice}${sections.join('\n')}`);
}

function describe(
  name: string | null | undefined,
  organisationNumber: string | null | undefined,
  email: string | null | undefined,
  phone: string | null | undefined,
): string {
  const rows = [
    ['Name', name],
    ['Organisation number', organisationNumber],
    ['E-mail', email],
    ['Phone', phone],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `<dt>${label}</dt><dd>${escapeHtml(String(value))}</dd>`)
    .join('');
  return `<dl>${rows}</dl>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 10_000) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Two saved companies that already exist in Fortnox: with `companyMatch: 'ask'`, two decisions. */
export const EXAMPLE_CUSTOMERS: readonly SourceCustomer[] = [
  {
    id: 'crm-101',
    type: 'company',
    name: 'Exempelbolaget AB',
    organisationNumber: '556036-0793',
    email: 'info@exempelbolaget.se',
    active: true,
  },
  {
    id: 'crm-102',
    type: 'company',
    name: 'Bageriet Norrland AB',
    organisationNumber: '556677-8899',
    active: true,
  },
];

async function main(): Promise<void> {
  const emulator = createEmulatorCore();
  const tenant = emulator.tenant();
  tenant.insert({ Name: 'Exempelbolaget', OrganisationNumber: '556036-0793', Type: 'COMPANY' });
  tenant.insert({
    Name: 'Bageriet i Norrland',
    OrganisationNumber: '556677-8899',
    Type: 'COMPANY',
  });
  const fortnox = await emulator.listen({ port: 0 });
  const client = createFortnoxClient({
    auth: { type: 'access-token', accessToken: emulator.issueAccessToken() },
    apiBaseUrl: fortnox.url,
  });
  const storage = createMemoryStorage();
  const engine = createSyncEngine({ storage, clients: () => client, companyMatch: 'ask' });
  const actor = { id: 'example-user', roles: ['admin'] };
  (await engine.connect(tenant.tenantId, actor))._unsafeUnwrap();
  for (const customer of EXAMPLE_CUSTOMERS) await engine.customerSaved(tenant.tenantId, customer);

  const decisionsPage = await startDecisionsPage({
    engine,
    tenantId: tenant.tenantId,
    client,
    sourceCustomer: (id) => EXAMPLE_CUSTOMERS.find((customer) => customer.id === id),
    actor,
    port: Number(process.env.PORT ?? 3000),
  });
  console.log(`open ${decisionsPage.url} (Ctrl-C stops)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await decisionsPage.close();
  await engine.stop();
  await storage.close();
  await fortnox.close();
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
