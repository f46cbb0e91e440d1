/**
 * The tenant commands against the emulator over HTTP, through runCli with captured io, as a script
 * would run them: exit codes, --json documents, and what the storage and Fortnox hold afterwards.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';
import {
  createEmulatorCore,
  type EmulatorServer,
  type FortnoxEmulatorCore,
  generateSampleSource,
  seedSampleFortnox,
} from '../../src/testing/index.js';

const TENANT = '1000001';
const directory = mkdtempSync(path.join(tmpdir(), 'fortnox-sync-cli-'));
const sample = generateSampleSource({ sourceCustomers: 100, fortnoxCustomers: 80, seed: 3 });
let emulator: FortnoxEmulatorCore;
let server: EmulatorServer;
let env: NodeJS.ProcessEnv;
let dbCount = 0;

beforeEach(async () => {
  emulator = createEmulatorCore({ defaultTenantId: TENANT, rateLimit: false });
  seedSampleFortnox(emulator.tenant(TENANT), sample);
  server = await emulator.listen();
  env = {
    FORTNOX_ACCESS_TOKEN: emulator.issueAccessToken(TENANT),
    FORTNOX_API_URL: server.url,
    FORTNOX_TENANT_ID: TENANT,
  };
});
afterEach(async () => {
  await server.close();
});

const file = (name: string, text: string) => {
  const target = path.join(directory, name);
  writeFileSync(target, text);
  return target;
};
const freshDb = () => {
  dbCount += 1;
  return path.join(directory, `cli-${dbCount}.db`);
};

async function cli(
  argv: string[],
  environment: NodeJS.ProcessEnv = env,
  controller?: { signal: AbortSignal; onStderr: (line: string) => void },
) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => {
      err.push(line);
      controller?.onStderr(line);
    },
    env: environment,
    ...(controller === undefined ? {} : { signal: controller.signal }),
  };
  // The emulator runs without a limit here; the client's own (default 25 per 5 s) is lifted too.
  const fast =
    ['plan', 'sync', 'duplicates', 'decisions'].includes(argv[0] ?? '') && !argv.includes('--rate');
  const code = await runCli(
    fast && !argv.includes('--help') && !argv.includes('-h') ? [...argv, '--rate', '10000'] : argv,
    io,
  );
  return { code, out, err, json: () => JSON.parse(out.at(-1) ?? 'null') };
}

const truth = { ...sample.expectedCounts, 'already-linked': 0 };

describe('plan, sync, status, decisions, duplicates against the emulator', () => {
  it('plans without writing, syncs to the sample truth, then lists and resolves a decision', async () => {
    const source = file('sample.json', JSON.stringify(sample.sourceCustomers));
    const db = freshDb();
    const before = emulator.tenant(TENANT).customers().length;

    const plan = await cli(['plan', '--source', source, '--db', db, '--json']);
    expect(plan.code).toBe(0);
    expect(plan.json().counts).toEqual(truth);
    expect(emulator.tenant(TENANT).customers()).toHaveLength(before);

    const sync = await cli(['sync', '--source', source, '--db', db, '--json']);
    expect(sync.code).toBe(4); // done, but decisions and failed rows need a person
    const report = sync.json();
    expect(report.counts).toEqual(truth);
    expect(report.failures).toHaveLength(sample.expectedCounts.failed);
    expect(report.failures[0]).toMatchObject({
      sourceId: expect.any(String),
      userMessage: { sv: expect.any(String), en: expect.any(String) },
    });
    expect(report.requests).toBeGreaterThan(sample.expectedCounts.create);
    expect(emulator.tenant(TENANT).customers()).toHaveLength(before + sample.expectedCounts.create);
    expect(sync.err.some((line) => line.startsWith('sync executing:'))).toBe(true);

    const status = await cli(['status', '--db', db, '--json']);
    expect(status.code).toBe(4);
    expect(status.json()).toMatchObject({
      connection: 'connected',
      linked: truth.create + truth.link + truth.update,
      needsDecision: truth.ask,
      failed: truth.failed,
    });

    const listed = await cli(['decisions', '--db', db, '--json']);
    expect(listed.code).toBe(0);
    const decisions = listed.json().decisions as { sourceId: string; candidates: unknown[] }[];
    expect(decisions).toHaveLength(truth.ask);
    const first = decisions[0];
    const answer = sample.truth.get(first?.sourceId ?? '');
    if (first === undefined || answer === undefined || !('customerNumber' in answer)) {
      throw new Error('the sample has no decision');
    }
    const resolved = await cli([
      'decisions',
      'resolve',
      first.sourceId,
      '--use',
      answer.customerNumber,
      '--db',
      db,
    ]);
    expect(resolved.code).toBe(0);
    expect(resolved.out.join('\n')).toContain(
      `linked to Fortnox customer ${answer.customerNumber}`,
    );
    const after = await cli(['decisions', 'list', '--db', db]);
    expect(after.out[0]).toBe(`${truth.ask - 1} pending decision(s) for tenant ${TENANT}`);

    const again = await cli(['sync', '--source', source, '--db', db, '--json']);
    expect(again.json().counts.create).toBe(0);
    expect(emulator.tenant(TENANT).customers()).toHaveLength(before + truth.create);
  });

  it('is repeatable on an edited file: a changed linked row is saved once, unchanged rows cost nothing', async () => {
    const db = freshDb();
    const first = file('edit-1.json', JSON.stringify(sample.sourceCustomers));
    expect((await cli(['sync', '--source', first, '--db', db])).code).toBe(4);
    const created = sample.sourceCustomers.find(
      (customer) => sample.truth.get(customer.id)?.action === 'create',
    );
    if (created === undefined) throw new Error('the sample has no customer to create');
    const edited = sample.sourceCustomers
      .filter((customer) => customer.id !== sample.sourceCustomers.at(-1)?.id)
      .map((customer) =>
        customer.id === created.id ? { ...customer, email: 'andrad.adress@example.se' } : customer,
      );
    const second = file('edit-2.json', JSON.stringify(edited));
    const writesBefore = emulator.requests().filter((r) => r.method !== 'GET').length;
    const rerun = await cli(['sync', '--source', second, '--db', db, '--json']);
    expect(rerun.json().changed).toEqual({ changed: 1, outcomes: { synced: 1 }, missing: 1 });
    const writes = emulator.requests().filter((r) => r.method !== 'GET');
    expect(writes.slice(writesBefore).map((r) => r.method)).toEqual(['PUT']);
    expect(
      emulator
        .tenant(TENANT)
        .customers()
        .filter((c) => c.Email === 'andrad.adress@example.se'),
    ).toHaveLength(1);
    const third = await cli(['sync', '--source', second, '--db', db, '--json']);
    expect(third.json().changed).toEqual({ changed: 0, outcomes: {}, missing: 1 });
    expect(emulator.requests().filter((r) => r.method !== 'GET')).toHaveLength(writes.length);
  });

  it('prints the human summary: counts, failures with sv/en reasons, requests against the limit', async () => {
    const source = file(
      'human.ndjson',
      sample.sourceCustomers.map((c) => JSON.stringify(c)).join('\n'),
    );
    const result = await cli(['sync', '--source', source, '--db', freshDb(), '--rate', '500']);
    const text = result.out.join('\n');
    expect(text).toMatch(new RegExp(`created +${truth.create}`));
    expect(text).toMatch(new RegExp(`needs a decision +${truth.ask}`));
    expect(text).toMatch(/requests in .* against a limit of 500 per 5 s/);
    expect(text).toContain(`Failed customers (${truth.failed})`);
    expect(text).toContain('sv: ');
    expect(text).toContain(`fortnox-sync decisions --tenant ${TENANT}`);
  });

  it("audits the register for duplicates: the sample's hand-made pairs, exit 4", async () => {
    const result = await cli(['duplicates', '--db', freshDb(), '--json']);
    expect(result.code).toBe(4);
    const groups = result.json().groups as { customerNumbers: string[] }[];
    const found = new Set(groups.map((g) => [...g.customerNumbers].sort().join(',')));
    for (const pair of sample.fortnoxDuplicateGroups) {
      expect(found.has([...pair].sort().join(','))).toBe(true);
    }
    const human = await cli(['duplicates', '--db', freshDb()]);
    expect(human.code).toBe(4);
    expect(human.out[0]).toMatch(
      new RegExp(
        `^${groups.length} group\\(s\\) of likely duplicate Fortnox customers in tenant ${TENANT}`,
      ),
    );
    expect(human.out.slice(1)).toHaveLength(groups.length);
    const nowhere = freshDb();
    const status = await cli(['status', '--db', nowhere]);
    expect(status.code).toBe(3); // never connected: nothing synced yet
    // A read-only command in the wrong directory says so and leaves no empty database behind.
    expect(existsSync(nowhere)).toBe(false);
    expect(status.err.join('\n')).toContain(`no sync database at ${nowhere}`);
    const none = await cli(['decisions', '--db', nowhere, '--json']);
    expect(none).toMatchObject({ code: 0 });
    expect(none.json()).toMatchObject({ decisions: [] });
    expect(existsSync(nowhere)).toBe(false);
    expect(status.out).toEqual([
      `Tenant ${TENANT}: disconnected`,
      '  linked            0',
      '  queued            0',
      '  failed            0',
      '  needs a decision  0',
      'Run "fortnox-sync auth" (or "sync" with credentials) to connect it.',
    ]);
  });

  it('reads a CSV source and refuses a bad file with every row problem (exit 5, nothing sent)', async () => {
    const good = file(
      'ok.csv',
      'id;type;name;organisationNumber;city;active\ncsv-1;company;Csv Test AB;;Lund;ja\n',
    );
    const planned = await cli(['plan', '--source', good, '--db', freshDb(), '--json']);
    expect(planned.code).toBe(0);
    expect(planned.json().sourceCustomers).toBe(1);

    const requestsBefore = emulator.requests().length;
    const bad = file(
      'bad.json',
      JSON.stringify([
        { id: 'x', type: 'firm', name: 'X', active: true },
        { id: 'y', name: 'Y' },
      ]),
    );
    const human = await cli(['sync', '--source', bad, '--db', freshDb()]);
    expect(human.code).toBe(5);
    expect(human.err.join('\n')).toMatch(/row 1, type: .*\(invalid-value\)/);
    expect(human.err.join('\n')).toMatch(/row 2, type: .*\(required\)/);
    const json = await cli(['plan', '--source', bad, '--db', freshDb(), '--json']);
    expect(json.code).toBe(5);
    expect(json.json().problems).toHaveLength(3);
    const missing = await cli([
      'sync',
      '--source',
      path.join(directory, 'nope.csv'),
      '--db',
      freshDb(),
    ]);
    expect(missing.code).toBe(5);
    expect(missing.err[0]).toContain('no such file');
    expect(emulator.requests().length).toBe(requestsBefore);
  });

  it('stops on the signal (Ctrl+C) and resumes on the next run without a duplicate', async () => {
    const source = file('resume.json', JSON.stringify(sample.sourceCustomers));
    const db = freshDb();
    const before = emulator.tenant(TENANT).customers().length;
    const abort = new AbortController();
    // At Fortnox's own pace (25 per 5 s) the run takes ~10 s: stop it a fifth of the way in.
    const stopped = await cli(['sync', '--source', source, '--db', db, '--rate', '25'], env, {
      signal: abort.signal,
      onStderr: (line) => {
        const done = /executing: (\d+)\//.exec(line);
        if (done !== null && Number(done[1]) >= 20) abort.abort();
      },
    });
    expect(stopped.code).toBe(1);
    expect(stopped.err.at(-1)).toContain('Run the same command again to resume');
    const partly = emulator.tenant(TENANT).customers().length;
    expect(partly).toBeLessThan(before + truth.create);

    const resumed = await cli(['sync', '--source', source, '--db', db, '--json']);
    expect(resumed.code).toBe(4);
    expect(resumed.json().resumed).toBe(true);
    expect(emulator.tenant(TENANT).customers()).toHaveLength(before + truth.create);
  });

  it('exits 3 without credentials and when Fortnox refuses the token', async () => {
    const source = file('one.json', JSON.stringify([sample.sourceCustomers[0]]));
    const none = await cli(['plan', '--source', source, '--db', freshDb()], {
      FORTNOX_API_URL: server.url,
      FORTNOX_TENANT_ID: TENANT,
    });
    expect(none.code).toBe(3);
    expect(none.err.join('\n')).toContain('fortnox-sync auth');
    const refused = await cli(['sync', '--source', source, '--db', freshDb()], {
      ...env,
      FORTNOX_ACCESS_TOKEN: 'not-a-token',
    });
    expect(refused.code).toBe(3);
  });

  it("emulator --sample seeds the sample's Fortnox side and writes its source file for plan/sync", async () => {
    const sampleFile = path.join(directory, 'emulator-sample.ndjson');
    const controller = new AbortController();
    const lines: string[] = [];
    let ready = () => {};
    const started = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const running = runCli(
      [
        'emulator',
        '--port',
        '0',
        '--sample',
        '40',
        '--sample-file',
        sampleFile,
        '--seed',
        '4',
        '--json',
      ],
      {
        stdout: (line) => {
          lines.push(line);
          ready();
        },
        stderr: () => {},
        signal: controller.signal,
      },
    );
    await started;
    const details = JSON.parse(lines[0] ?? '{}');
    const expected = generateSampleSource({ sourceCustomers: 40, fortnoxCustomers: 30, seed: 4 });
    expect(details.customers).toBe(30);
    const plan = await cli(['plan', '--source', sampleFile, '--db', freshDb(), '--json'], {
      FORTNOX_ACCESS_TOKEN: details.accessToken,
      FORTNOX_API_URL: details.apiBaseUrl,
      FORTNOX_TENANT_ID: details.tenantId,
    });
    expect(plan.code).toBe(0);
    expect(plan.json().counts).toEqual({ ...expected.expectedCounts, 'already-linked': 0 });
    controller.abort();
    expect(await running).toBe(0);
    for (const argv of [
      ['emulator', '--sample-file', 'x.json'],
      ['emulator', '--sample', '5'],
      ['emulator', '--sample', '100', '--sample-file', 'x.csv'],
    ]) {
      expect((await cli(argv)).code).toBe(2);
    }
  });

  it('exits 2 with the usage on bad flags; every command has --help', async () => {
    for (const argv of [
      ['plan', '--db', 'x.db'],
      ['sync', '--source', 'a.json', '--tenant', 'abc'],
      ['sync', '--source', 'a.json', '--rate', '0'],
      ['sync', '--source', 'a.json', '--format', 'xml'],
      ['decisions', 'resolve', 'k-1'],
      ['decisions', 'resolve', 'k-1', '--use', '5', '--create-new'],
      ['decisions', 'forget'],
      ['status', 'extra'],
      ['auth', '--port', 'x'],
    ]) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err.join('\n')).toContain(`Usage: fortnox-sync ${argv[0]}`);
    }
    for (const command of [
      'emulator',
      'auth',
      'plan',
      'sync',
      'decisions',
      'duplicates',
      'status',
    ]) {
      for (const help of ['--help', '-h']) {
        const result = await cli([command, help]);
        expect(result.code).toBe(0);
        expect(result.out[0]).toMatch(new RegExp(`^Usage: fortnox-sync ${command}`));
        // Each section of the help stands apart: a blank line before the shared options.
        expect(result.out.join('\n')).not.toMatch(/\S\nConnection/);
      }
    }
    // A base URL ending in /3 (or not a URL) is refused before anything runs, saying what to write.
    const source = file('one.json', '[{"id":"k-1","type":"company","name":"A AB","active":true}]');
    for (const [argv, environment, message] of [
      [
        ['plan', '--source', source, '--api-url', 'https://api.fortnox.se/3'],
        env,
        "--api-url must not end in '/3': the client adds '/3/…' itself. Write 'https://api.fortnox.se'",
      ],
      [
        ['status'],
        { ...env, FORTNOX_API_URL: 'api.fortnox.se' },
        '--api-url must be an absolute URL',
      ],
      [
        ['sync', '--source', source, '--auth-url', 'https://apps.fortnox.se/oauth-v1'],
        env,
        "Write 'https://apps.fortnox.se'",
      ],
      [
        ['auth', '--auth-url', 'http://fortnox.example'],
        { ...env, FORTNOX_CLIENT_ID: 'id', FORTNOX_CLIENT_SECRET: 'secret' },
        '--auth-url must use https://',
      ],
      [
        ['status'],
        { ...env, FORTNOX_TENANT_ID: '' },
        '--tenant <id> (or env FORTNOX_TENANT_ID) is required',
      ],
    ] as const) {
      const result = await cli([...argv, '--db', freshDb()], environment);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err[0]).toContain(message);
    }
    // With --json a script reading stdout sees the error too, as one JSON line.
    const usage = await cli(['status', '--json', '--db', freshDb()], {
      ...env,
      FORTNOX_TENANT_ID: '',
    });
    expect(usage.code).toBe(2);
    expect(usage.json()).toMatchObject({
      kind: 'usage',
      error: expect.stringContaining('--tenant'),
    });
    const { FORTNOX_ACCESS_TOKEN: _token, ...noCredentials } = env;
    const missing = await cli(['duplicates', '--json', '--db', freshDb()], noCredentials);
    expect(missing.code).toBe(3);
    expect(missing.json()).toMatchObject({
      kind: 'missing-credentials',
      error: expect.stringContaining('FORTNOX_ACCESS_TOKEN'),
      userMessage: { sv: expect.stringContaining('Fortnox'), en: expect.any(String) },
    });
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, out: [expect.stringMatching(/^\d+\.\d+\.\d+/)] });
    const main = await cli(['-h']);
    expect(main.out[0]).toContain('Exit codes: 0 ok, 1 failure, 2 usage, 3 connect first');
  });
});

describe("--rate against the server's limit", () => {
  it('refuses a --rate above 25 against the real Fortnox unless --force-rate', async () => {
    const { FORTNOX_API_URL: _url, ...realFortnox } = env;
    for (const [argv, environment] of [
      [['sync', '--source', 'a.json', '--rate', '250'], realFortnox],
      [['plan', '--source', 'a.json', '--rate', '26', '--api-url', 'https://api.fortnox.se'], env],
    ] as const) {
      const result = await cli([...argv], environment);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err.join('\n')).toContain(`is above Fortnox's limit of 25 requests per 5 s`);
      expect(result.err.join('\n')).toContain('--force-rate');
    }
    // 25 is Fortnox's own limit; a local emulator takes any rate (the other tests run at 10 000).
    const atLimit = await cli(['plan', '--source', 'missing.json', '--rate', '25'], realFortnox);
    expect(atLimit.code).toBe(5);
  });

  it('at --rate 250 against a server allowing 25 per 5 s: the sync finishes and says the rate was above the limit', async () => {
    const small = generateSampleSource({ sourceCustomers: 40, fortnoxCustomers: 30, seed: 9 });
    const limited = createEmulatorCore({ defaultTenantId: TENANT });
    seedSampleFortnox(limited.tenant(TENANT), small);
    const limitedServer = await limited.listen();
    try {
      const source = file('limited.json', JSON.stringify(small.sourceCustomers));
      const environment = {
        ...env,
        FORTNOX_ACCESS_TOKEN: limited.issueAccessToken(TENANT),
        FORTNOX_API_URL: limitedServer.url,
      };
      const db = freshDb();
      const human = await cli(
        ['sync', '--source', source, '--db', db, '--rate', '250'],
        environment,
      );
      const text = human.out.join('\n');
      expect(human.code).toBe(4);
      expect(text).toMatch(new RegExp(`created +${small.expectedCounts.create}`));
      expect(text).toMatch(
        /The server answered 429 \(too many requests\) \d+ time\(s\): --rate 250 is above the server's limit/,
      );
      // Only the sample's invalid rows failed: no customer was given up on for the 429s.
      expect(text).toContain(`Failed customers (${small.expectedCounts.failed})`);
      expect(limited.requests().some((entry) => entry.status === 429)).toBe(true);

      const again = await cli(
        ['sync', '--source', source, '--db', db, '--rate', '250', '--json'],
        environment,
      );
      // Nothing left to send: no 429, and the JSON says so.
      expect(again.json()).toMatchObject({ rateLimited: 0, rateAboveServerLimit: false });
    } finally {
      await limitedServer.close();
    }
  });
});
