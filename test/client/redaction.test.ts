import { describe, expect, it } from 'vitest';
import { maskEchoedValues } from '../../src/client/error-factory.js';
import {
  createFortnoxClient,
  createMemoryTokenStore,
  type LogFields,
  type Logger,
} from '../../src/client/index.js';
import {
  API,
  AUTH,
  errorBody,
  HttpResponse,
  http,
  makeJwt,
  useMockServer,
} from './support/fortnox-api.js';

const server = useMockServer();
const ACCESS = makeJwt({ tenantId: 42, secretish: 'access-token-payload' });
const PERSONAL = [
  'anna.svensson@example.se',
  '19850101-1234',
  'Anna Svensson',
  '0701234567',
] as const;

function recordingLogger(lines: string[]): Logger {
  const write = (level: string) => (message: string, fields?: LogFields) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

describe('redaction', () => {
  it('keeps tokens, secrets and search values out of errors, events and logs', async () => {
    server.use(
      http.get(`${API}/3/customers`, () =>
        HttpResponse.json(errorBody(2000587, 'Ogiltigt filter'), { status: 400 }),
      ),
      http.get(
        `${API}/3/customers/:n`,
        () => new HttpResponse('<html>oops</html>', { status: 500 }),
      ),
      http.post(`${API}/3/customers`, () => HttpResponse.error()),
    );
    const events: unknown[] = [];
    const lines: string[] = [];
    const tokenStore = createMemoryTokenStore({
      '42': {
        accessToken: ACCESS,
        refreshToken: 'refresh-secret',
        expiresAt: Date.now() + 3_600_000,
      },
    });
    const client = createFortnoxClient({
      auth: {
        type: 'refresh-token',
        clientId: 'client-id',
        clientSecret: 'client-secret',
        tenantId: '42',
        tokenStore,
      },
      apiBaseUrl: API,
      authBaseUrl: AUTH,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
      logger: recordingLogger(lines),
      hooks: {
        onRequest: (e) => events.push(e),
        onResponse: (e) => events.push(e),
        onRetry: (e) => events.push(e),
        onRateLimited: (e) => events.push(e),
      },
    });
    const errors = [
      (
        await client.customers.list({
          email: PERSONAL[0],
          organisationnumber: PERSONAL[1],
          name: PERSONAL[2],
          phone: PERSONAL[3],
        })
      )._unsafeUnwrapErr(),
      (await client.customers.findByPhone(PERSONAL[3]))._unsafeUnwrapErr(),
      (await client.customers.get(PERSONAL[1]))._unsafeUnwrapErr(),
      (await client.customers.create({ Name: PERSONAL[2], Email: PERSONAL[0] }))._unsafeUnwrapErr(),
    ];
    expect(errors.map((e) => e.kind)).toEqual(['api', 'api', 'api', 'unknown-outcome']);
    expect(errors[2]?.request).toEqual({ method: 'GET', path: '/3/customers/{CustomerNumber}' });
    const serialised = JSON.stringify({ errors, events, lines });
    for (const secret of [ACCESS, 'refresh-secret', 'client-secret', 'Bearer', ...PERSONAL]) {
      expect(serialised).not.toContain(secret);
    }
    expect(events.length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(0);
    // Messages are still useful.
    expect(errors[0]?.message).toContain('2000587');
  });

  it('keeps the raw fetch failure as cause, which names no URL (a query may hold personal data)', async () => {
    server.use(http.get(`${API}/3/customers`, () => HttpResponse.error()));
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
      retry: { maxAttempts: 1 },
    });
    const error = (await client.customers.list({ email: 'anna@example.se' }))._unsafeUnwrapErr();
    expect(error.kind).toBe('network');
    expect(String((error.cause as Error).message)).not.toContain('anna');
  });
});

describe('hooks', () => {
  it('reports method, path template, attempt, status and duration; a throwing hook changes nothing', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/3/customers/:n`, () => {
        calls += 1;
        return calls === 1
          ? new HttpResponse(null, { status: 503 })
          : HttpResponse.json({ Customer: { CustomerNumber: '5' } });
      }),
    );
    const seen: string[] = [];
    const lines: string[] = [];
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
      retry: { baseDelayMs: 1 },
      logger: recordingLogger(lines),
      hooks: {
        onRequest: (e) => {
          seen.push(`request ${e.method} ${e.path} #${e.attempt}`);
          throw new Error('hook bug');
        },
        onResponse: (e) => {
          expect(e.durationMs).toBeGreaterThanOrEqual(0);
          seen.push(`response ${e.status} #${e.attempt}`);
        },
        onRetry: (e) => seen.push(`retry ${e.reason} #${e.attempt}`),
      },
    });
    expect((await client.customers.get('5')).isOk()).toBe(true);
    expect(seen).toEqual([
      'request GET /3/customers/{CustomerNumber} #1',
      'response 503 #1',
      'retry server-error #1',
      'request GET /3/customers/{CustomerNumber} #2',
      'response 200 #2',
    ]);
    expect(lines.some((line) => line.startsWith('warn fortnox hook threw'))).toBe(true);
  });
});

describe('Fortnox messages that echo values', () => {
  it('keeps the Swedish message but masks the echoed value', async () => {
    server.use(
      http.put(`${API}/3/customers/:n`, () =>
        HttpResponse.json(
          errorBody(
            2000359,
            'Värdet innehåller ej tillåtna tecken. (Anna Svensson, anna@example.se 070-123 45 67)',
          ),
          { status: 400 },
        ),
      ),
    );
    const client = createFortnoxClient({
      auth: { type: 'access-token', accessToken: 't' },
      apiBaseUrl: API,
    });
    const error = (
      await client.customers.update('1', { Name: 'Anna Svensson' })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'api',
      code: 2000359,
      fortnoxMessage: 'Värdet innehåller ej tillåtna tecken. (…)',
      explanation: 'A field contains characters Fortnox does not allow.',
    });
    expect(JSON.stringify(error)).not.toMatch(/Anna|anna@|123 45/);
  });

  it.each([
    ['Kundnummer 5560000001 används redan.', 'Kundnummer … används redan.'],
    ["Felaktig e-post 'a@b.se'", "Felaktig e-post '…'"],
    ['Kan inte hitta kunden.', 'Kan inte hitta kunden.'],
    ['Ogiltig e-post a@b.se', 'Ogiltig e-post …'],
    ['Telefon +46 70 123 45 67 är fel', 'Telefon … är fel'],
    ['Ej tillåtna tecken: Anna <Svensson>', 'Ej tillåtna tecken: …'],
  ])('masks %s', (message, masked) => {
    expect(maskEchoedValues(message)).toBe(masked);
  });
});
