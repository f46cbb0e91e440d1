import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { createEmulatorCore } from '../../src/testing/index.js';

type Details = {
  url: string;
  apiBaseUrl: string;
  authBaseUrl: string;
  accessToken: string;
  clientId: string;
  clientSecret: string;
  customers: number;
};

function captureIo(signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  let notify = () => {};
  const io: CliIo = {
    stdout: (line) => {
      out.push(line);
      notify();
    },
    stderr: (line) => err.push(line),
    ...(signal === undefined ? {} : { signal }),
  };
  const firstLine = () =>
    new Promise<string>((resolve) => {
      if (out[0] !== undefined) resolve(out[0]);
      else notify = () => resolve(out[0] ?? '');
    });
  return { io, out, err, firstLine };
}

describe('runCli', () => {
  it('starts the emulator, prints connection details and stops when aborted', async () => {
    const controller = new AbortController();
    const { io, firstLine } = captureIo(controller.signal);
    const exit = runCli(
      ['emulator', '--port', '0', '--seed-customers', '12', '--seed', '42', '--json'],
      io,
    );
    const details = JSON.parse(await firstLine()) as Details;
    expect(details).toMatchObject({ customers: 12, clientId: 'fortnox-sync-emulator' });
    expect([details.apiBaseUrl, details.authBaseUrl]).toEqual([details.url, details.url]);
    const response = await fetch(`${details.url}/3/customers?limit=5`, {
      headers: { Authorization: `Bearer ${details.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { MetaInformation: Record<string, number> }).MetaInformation[
        '@TotalResources'
      ],
    ).toBe(12);
    controller.abort();
    expect(await exit).toBe(0);
    await expect(fetch(`${details.url}/3/customers`)).rejects.toThrow();
  });

  it('prints human-readable details with the base URL, a token and the OAuth client', async () => {
    const controller = new AbortController();
    const { io, out, firstLine } = captureIo(controller.signal);
    const exit = runCli(['emulator', '--port', '0'], io);
    expect(await firstLine()).toMatch(/^Fortnox emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    controller.abort();
    expect(await exit).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Access token: +ey/);
    expect(text).toContain('fortnox-sync-emulator / emulator-client-secret');
  });

  it('exits 2 with the usage on an unknown flag, a bad value or an unknown command', async () => {
    for (const argv of [
      ['emulator', '--bogus'],
      ['emulator', '--port', 'http'],
      ['emulator', 'extra'],
      ['frobnicate'],
      [],
    ]) {
      const { io, err } = captureIo();
      expect(await runCli(argv, io)).toBe(2);
      expect(err.join('\n')).toContain('Usage: fortnox-sync');
    }
  });

  it.each([
    [['--tenant', 'abc'], '--tenant must be a Fortnox DatabaseNumber (digits only'],
    [
      ['--seed-customers', '-5'],
      '--seed-customers must be a whole number between 0 and 1000000, got "-5"',
    ],
    [['--port', '-1'], '--port must be a whole number between 0 and 65535, got "-1"'],
    [['--token-lifetime', '10'], '--token-lifetime must be at least 60 seconds'],
  ])('explains a bad value: emulator %j', async (flags, message) => {
    const { io, err } = captureIo();
    expect(await runCli(['emulator', ...flags], io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  it('says how long the printed token lasts and how to get a new one', async () => {
    const controller = new AbortController();
    const { io, out, firstLine } = captureIo(controller.signal);
    const exit = runCli(['emulator', '--port', '0', '--token-lifetime', '7200'], io);
    await firstLine();
    controller.abort();
    expect(await exit).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/valid until \d{4}-\d\d-\d\dT[\d:.]+Z \(7200 s\)/);
    expect(text).toContain('restart the emulator');
    const token = /Access token: +(\S+)/.exec(text)?.[1] ?? '';
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      exp: number;
      iat?: number;
    };
    expect(payload.exp * 1000 - Date.now()).toBeGreaterThan(7000 * 1000);
  });

  it('shows progress while seeding many customers, and seeds what the emulator itself would', async () => {
    const controller = new AbortController();
    const { io, out, err, firstLine } = captureIo(controller.signal);
    const exit = runCli(
      ['emulator', '--port', '0', '--seed-customers', '12000', '--seed', '4'],
      io,
    );
    expect(await firstLine()).toMatch(/^Fortnox emulator listening on (http:\S+)$/);
    const url = /listening on (\S+)/.exec(out[0] ?? '')?.[1] ?? '';
    const token = /Access token: +(\S+)/.exec(out.join('\n'))?.[1] ?? '';
    const page = (await (
      await fetch(`${url}/3/customers?limit=500&page=24`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as { Customers: { CustomerNumber: string; Name: string }[] };
    controller.abort();
    expect(await exit).toBe(0);
    // Not a TTY here: plain lines, one per tenth of the work.
    expect(err).toContain('Generating 12000 customers (Ctrl+C stops)…');
    expect(err).toContain('Seeding inserting: 12000/12000 (100%)');
    expect(err.filter((line) => line.startsWith('Seeding inserting:')).length).toBeGreaterThan(4);
    expect(out.join('\n')).toContain('(12000 customers, seed 4)');
    const same = createEmulatorCore({ tenants: { '1000001': { seedCustomers: 12000, seed: 4 } } })
      .tenant('1000001')
      .customers()
      .slice(11_500)
      .map(({ CustomerNumber, Name }) => ({ CustomerNumber, Name }));
    expect(page.Customers.map(({ CustomerNumber, Name }) => ({ CustomerNumber, Name }))).toEqual(
      same,
    );
  });

  it('stops seeding on Ctrl+C without starting the server', async () => {
    const controller = new AbortController();
    controller.abort();
    const { io, out, err } = captureIo(controller.signal);
    expect(await runCli(['emulator', '--port', '0', '--seed-customers', '20000'], io)).toBe(0);
    expect(err).toContain('Fortnox emulator stopped while seeding.');
    expect(out).toEqual([]);
  });

  it('prints help with exit 0', async () => {
    for (const argv of [['--help'], ['emulator', '--help']]) {
      const { io, out } = captureIo();
      expect(await runCli(argv, io)).toBe(0);
      expect(out.join('\n')).toContain('Usage: fortnox-sync');
    }
  });

  it('exits 1 when the port is taken', async () => {
    const controller = new AbortController();
    const first = captureIo(controller.signal);
    const running = runCli(['emulator', '--port', '0', '--json'], first.io);
    const { url } = JSON.parse(await first.firstLine()) as Details;
    const second = captureIo();
    expect(await runCli(['emulator', '--port', new URL(url).port], second.io)).toBe(1);
    expect(second.err.join('\n')).toContain('cannot listen');
    controller.abort();
    await running;
  });
});

describe('fortnox-sync binary', () => {
  it('runs as a process and shuts down cleanly on SIGTERM', async () => {
    const repoRoot = path.resolve(import.meta.dirname, '..', '..');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'emulator',
        '--port',
        '0',
        '--seed-customers',
        '3',
        '--json',
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const end = buffered.indexOf('\n');
        if (end >= 0) resolve(buffered.slice(0, end));
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const details = JSON.parse(line) as Details;
    const response = await fetch(`${details.url}/3/customers`, {
      headers: { Authorization: `Bearer ${details.accessToken}` },
    });
    expect(response.status).toBe(200);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
