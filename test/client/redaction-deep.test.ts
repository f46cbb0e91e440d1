/**
 * Everything the client hands out (results, errors with their whole cause chains, hook events, log
 * lines) serialised in depth and searched for credentials and personal data.
 */
import type { ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createMemoryTokenStore,
  type FortnoxError,
  type LogFields,
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

const ACCESS = makeJwt({ tenantId: 42, sub: 'access-claims' });
const REFRESH = 'refresh-token-7f3a9c';
const CLIENT_SECRET = 'client-secret-b41d';
const BASIC = btoa(`client-id:${CLIENT_SECRET}`);
const EMAIL = 'anna.svensson@example.se';
const PERSONNUMMER = '19850101-1237';
const PERSONNUMMER_DIGITS = '198501011237';
const PHONE = '070-123 45 67';
const NAME = 'Anna Svensson';
const FORBIDDEN = [
  ACCESS,
  REFRESH,
  CLIENT_SECRET,
  BASIC,
  EMAIL,
  PERSONNUMMER,
  PERSONNUMMER_DIGITS,
  PHONE,
  '0701234567',
  NAME,
  'Bearer ',
  'Basic ',
];

/** JSON of `value` that also opens Errors (message, stack, cause, own fields) and nested causes. */
function serialiseDeeply(value: unknown, seen = new Set<unknown>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const own = Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, serialiseDeeply(v, seen)]),
    );
    return {
      name: value.name,
      message: value.message,
      stack: value.stack,
      cause: serialiseDeeply(value.cause, seen),
      ...own,
    };
  }
  if (Array.isArray(value)) return value.map((item) => serialiseDeeply(item, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialiseDeeply(v, seen)]));
}

describe('deep redaction', () => {
  it('no token, secret, e-mail, personnummer, phone or name in any error, cause, event or log line', async () => {
    let tokenCalls = 0;
    server.use(
      http.post(`${AUTH}/oauth-v1/token`, () => {
        tokenCalls += 1;
        // First a refresh that works, later the refresh token dies.
        if (tokenCalls === 1)
          return HttpResponse.json({
            access_token: ACCESS,
            refresh_token: REFRESH,
            expires_in: 3600,
          });
        return new HttpResponse('{"error":"invalid_grant"}', {
          status: 400,
          headers: { 'Content-Type': 'text/html' },
        });
      }),
      http.get(`${API}/3/customers`, ({ request }) =>
        new URL(request.url).searchParams.has('email')
          ? HttpResponse.error()
          : HttpResponse.json(errorBody(2000587, `Ogiltigt filter (${PERSONNUMMER})`), {
              status: 400,
            }),
      ),
      http.get(
        `${API}/3/customers/:n`,
        () => new HttpResponse(`<html>${NAME}</html>`, { status: 503 }),
      ),
      http.post(`${API}/3/customers`, () => HttpResponse.error()),
      http.put(`${API}/3/customers/:n`, () =>
        HttpResponse.json(
          errorBody(
            2000359,
            `Värdet innehåller ej tillåtna tecken: ${NAME} ${EMAIL} ${PHONE}`,
            'upper',
          ),
          { status: 400 },
        ),
      ),
      http.delete(`${API}/3/customers/:n`, () => new HttpResponse(null, { status: 401 })),
    );
    const events: unknown[] = [];
    const lines: unknown[] = [];
    const log = (level: string) => (message: string, fields?: LogFields) =>
      void lines.push({ level, message, fields });
    const tokenStore = createMemoryTokenStore({
      '42': { accessToken: 'old-access', refreshToken: 'refresh-0', expiresAt: 0 },
    });
    const client = createFortnoxClient({
      auth: {
        type: 'refresh-token',
        clientId: 'client-id',
        clientSecret: CLIENT_SECRET,
        tenantId: '42',
        tokenStore,
      },
      apiBaseUrl: API,
      authBaseUrl: AUTH,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
      hooks: {
        onRequest: (e) => events.push(e),
        onResponse: (e) => events.push(e),
        onRetry: (e) => events.push(e),
        onRateLimited: (e) => events.push(e),
      },
    });
    const errors: FortnoxError[] = [];
    const collect = async <T>(result: ResultAsync<T, FortnoxError>) => {
      const settled = await result;
      expect(settled.isErr()).toBe(true);
      errors.push(settled._unsafeUnwrapErr());
    };
    await collect(
      client.customers.list({ organisationnumber: PERSONNUMMER, name: NAME, phone: PHONE }),
    );
    await collect(client.customers.findByEmail(EMAIL));
    await collect(client.customers.get(PERSONNUMMER));
    await collect(
      client.customers.create({
        Name: NAME,
        Email: EMAIL,
        Phone1: PHONE,
        OrganisationNumber: PERSONNUMMER,
      }),
    );
    await collect(client.customers.create({ Name: `${NAME} <x>`, Email: `${EMAIL}@` }));
    await collect(client.customers.update(PERSONNUMMER, { Name: NAME, Email: EMAIL }));
    await collect(client.customers.findByPhone(PHONE, { timeoutMs: Number.NaN }));
    // The 401 invalidates the token; its renewal meets a dead refresh token.
    await collect(client.customers.remove(PERSONNUMMER));
    expect(errors.map((e) => e.kind)).toEqual([
      'api',
      'network',
      'api',
      'unknown-outcome',
      'validation',
      'api',
      'validation',
      'auth',
    ]);
    expect(errors.at(-1)).toMatchObject({ reason: 'invalid-grant', reconnectRequired: true });
    expect(events.length).toBeGreaterThan(10);
    expect(lines.length).toBeGreaterThan(10);
    const everything = JSON.stringify(serialiseDeeply({ errors, events, lines }));
    for (const secret of FORBIDDEN) expect(everything, secret).not.toContain(secret);
  });
});
