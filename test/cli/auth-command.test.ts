/**
 * `fortnox-sync auth` against the emulator's OAuth (consent approved at once): the browser is played
 * by fetch, which follows the redirect to the CLI's 127.0.0.1 listener.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { createEncryptedFileTokenStore } from '../../src/cli/encrypted-token-store.js';
import { runCli } from '../../src/cli/run-cli.js';
import {
  createEmulatorCore,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TENANT_ID,
  type EmulatorServer,
  type FortnoxEmulatorCore,
} from '../../src/testing/index.js';

const KEY = 'correct horse battery staple';
const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync-auth-'));
let emulator: FortnoxEmulatorCore;
let server: EmulatorServer;
let count = 0;

beforeEach(async () => {
  emulator = createEmulatorCore({ tenants: { [DEFAULT_TENANT_ID]: { seedCustomers: 3 } } });
  server = await emulator.listen();
});
afterEach(async () => {
  await server.close();
});

function start(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  let notify = () => {};
  const io: CliIo = {
    stdout: (line) => {
      out.push(line);
      notify();
    },
    stderr: (line) => err.push(line),
    env,
  };
  const firstLine = new Promise<string>((resolve) => {
    notify = () => resolve(out[0] ?? '');
  });
  return { exit: runCli(argv, io), out, err, firstLine };
}

const paths = () => {
  count += 1;
  return {
    tokens: path.join(directory, `tokens-${count}.enc`),
    db: path.join(directory, `auth-${count}.db`),
  };
};

describe('fortnox-sync auth', () => {
  it('runs the authorization-code flow, stores the tokens encrypted and connects the tenant', async () => {
    const { tokens, db } = paths();
    const env = {
      FORTNOX_CLIENT_ID: DEFAULT_CLIENT_ID,
      FORTNOX_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      FORTNOX_SYNC_KEY: KEY,
      FORTNOX_AUTH_URL: server.url,
    };
    const run = start(['auth', '--port', '0', '--tokens', tokens, '--db', db, '--json'], env);
    const { authorizationUrl, redirectUri } = JSON.parse(await run.firstLine);
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(server.url);
    expect(url.searchParams.get('scope')).toBe('customer companyinformation');
    // The "browser": the emulator approves at once and redirects to the CLI's listener.
    const landing = await fetch(authorizationUrl);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Connected');
    expect(await run.exit).toBe(0);
    expect(JSON.parse(run.out.at(-1) ?? '{}')).toMatchObject({ tenantId: DEFAULT_TENANT_ID });
    expect(run.out.join('\n')).not.toMatch(/eyJ/);

    const stored = await createEncryptedFileTokenStore(tokens, KEY).load(DEFAULT_TENANT_ID);
    expect(stored?.refreshToken).toEqual(expect.any(String));
    expect(readFileSync(tokens, 'utf8')).not.toContain(stored?.refreshToken ?? '?');

    // The other commands use the stored tokens, and refresh them: the access token has run out here.
    if (stored === undefined) throw new Error('no tokens stored');
    await createEncryptedFileTokenStore(tokens, KEY).save(DEFAULT_TENANT_ID, {
      ...stored,
      expiresAt: Date.now() - 1000,
    });
    const status: string[] = [];
    const io: CliIo = { stdout: (l) => status.push(l), stderr: () => {}, env };
    const common = ['--tenant', DEFAULT_TENANT_ID, '--tokens', tokens, '--db', db, '--json'];
    expect(await runCli(['status', ...common], io)).toBe(0);
    expect(JSON.parse(status[0] ?? '{}').connection).toBe('connected');
    const source = path.join(directory, `source-${count}.json`);
    writeFileSync(source, '[]');
    const plan: string[] = [];
    const planned = await runCli(['plan', '--source', source, ...common, '--api-url', server.url], {
      ...io,
      stdout: (l) => plan.push(l),
    });
    expect(planned).toBe(0);
    expect(JSON.parse(plan[0] ?? '{}').fortnoxCustomers).toBe(3);
    const after = await createEncryptedFileTokenStore(tokens, KEY).load(DEFAULT_TENANT_ID);
    expect(after?.refreshToken).not.toBe(stored.refreshToken);
    expect(after?.expiresAt).toBeGreaterThan(Date.now());
  });

  it('fails with exit 1 when the person denies access, and ignores requests without the state', async () => {
    const { tokens, db } = paths();
    const env = {
      FORTNOX_CLIENT_ID: DEFAULT_CLIENT_ID,
      FORTNOX_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      FORTNOX_SYNC_KEY: KEY,
      FORTNOX_AUTH_URL: server.url,
    };
    const run = start(['auth', '--port', '0', '--tokens', tokens, '--db', db, '--json'], env);
    const { authorizationUrl, redirectUri } = JSON.parse(await run.firstLine);
    const state = new URL(authorizationUrl).searchParams.get('state');
    expect((await fetch(`${redirectUri}?code=stolen&state=guess`)).status).toBe(400);
    await fetch(`${redirectUri}?error=access_denied&state=${state}`);
    expect(await run.exit).toBe(1);
    expect(run.err.join('\n')).toContain('access_denied');
  });

  it('exits 3 without the app credentials or with a short key, before listening', async () => {
    const { tokens } = paths();
    const none = start(['auth', '--port', '0', '--tokens', tokens], { FORTNOX_SYNC_KEY: KEY });
    expect(await none.exit).toBe(3);
    const weak = start(['auth', '--port', '0', '--tokens', tokens], {
      FORTNOX_CLIENT_ID: DEFAULT_CLIENT_ID,
      FORTNOX_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      FORTNOX_SYNC_KEY: 'short',
    });
    expect(await weak.exit).toBe(3);
    expect(weak.err.join('\n')).toContain('at least 16 characters');
  });
});
