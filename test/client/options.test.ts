import { describe, expect, it } from 'vitest';
import {
  createFortnoxClient,
  createMemoryTokenStore,
  createSlidingWindowRateLimiter,
  DEFAULT_API_BASE_URL,
  DEFAULT_AUTH_BASE_URL,
  DEFAULT_RETRY_OPTIONS,
  DEFAULT_TIMEOUT_MS,
  type FortnoxClientOptions,
  normalizeClientOptions,
} from '../../src/client/index.js';

const token = { type: 'access-token', accessToken: 't' } as const;

describe('normalizeClientOptions', () => {
  it('applies the defaults', () => {
    const resolved = normalizeClientOptions({ auth: token });
    expect(resolved.apiBaseUrl.href).toBe(`${DEFAULT_API_BASE_URL}/`);
    expect(resolved.authBaseUrl.href).toBe(`${DEFAULT_AUTH_BASE_URL}/`);
    expect(resolved.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(resolved.retry).toEqual(DEFAULT_RETRY_OPTIONS);
    expect(resolved.rateLimitKey).toBe('default');
  });

  it('merges partial retry options and uses the tenant id as rate-limit key', () => {
    const resolved = normalizeClientOptions({
      auth: { type: 'client-credentials', clientId: 'c', clientSecret: 's', tenantId: '99' },
      retry: { maxAttempts: 2 },
    });
    expect(resolved.retry).toEqual({ ...DEFAULT_RETRY_OPTIONS, maxAttempts: 2 });
    expect(resolved.rateLimitKey).toBe('99');
  });
});

describe('HTTPS enforcement', () => {
  it.each(['https://api.fortnox.se', 'http://localhost:8080', 'http://127.0.0.1:3000/fortnox'])(
    'accepts %s',
    (apiBaseUrl) => {
      expect(() => createFortnoxClient({ auth: token, apiBaseUrl })).not.toThrow();
    },
  );

  it.each([
    'http://api.fortnox.se',
    'http://10.0.0.5',
    'ftp://localhost',
    'api.fortnox.se',
    'https://x/?a=1',
  ])('rejects %s at construction', (apiBaseUrl) => {
    expect(() => createFortnoxClient({ auth: token, apiBaseUrl })).toThrow(TypeError);
  });

  it.each([
    ['apiBaseUrl', 'https://api.fortnox.se/3', "Write 'https://api.fortnox.se'"],
    ['apiBaseUrl', 'http://127.0.0.1:4010/3/', "Write 'http://127.0.0.1:4010'"],
    ['authBaseUrl', 'https://apps.fortnox.se/oauth-v1', "Write 'https://apps.fortnox.se'"],
  ] as const)('refuses a %s that already ends in the API path (%s)', (name, value, fix) => {
    expect(() => createFortnoxClient({ auth: token, [name]: value })).toThrow(fix);
  });

  it('checks the auth base URL too, with a message showing the fix', () => {
    expect(() =>
      createFortnoxClient({ auth: token, authBaseUrl: 'http://apps.fortnox.se' }),
    ).toThrow(/authBaseUrl must use https:\/\//);
  });
});

describe('auth misconfiguration', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['no auth', {}, /options\.auth is required.*type: 'refresh-token'/],
    ['unknown type', { auth: { type: 'password' } }, /auth\.type must be/],
    [
      'empty access token',
      { auth: { type: 'access-token', accessToken: '' } },
      /accessToken.*type: 'access-token', accessToken/,
    ],
    [
      'refresh without store',
      { auth: { type: 'refresh-token', clientId: 'c', clientSecret: 's', tenantId: '1' } },
      /tokenStore.*createMemoryTokenStore\(\)/,
    ],
    [
      'refresh without secret',
      {
        auth: {
          type: 'refresh-token',
          clientId: 'c',
          tenantId: '1',
          tokenStore: createMemoryTokenStore(),
        },
      },
      /clientSecret/,
    ],
    [
      'client credentials without tenant',
      { auth: { type: 'client-credentials', clientId: 'c', clientSecret: 's' } },
      /tenantId/,
    ],
    [
      'negative skew',
      {
        auth: {
          type: 'client-credentials',
          clientId: 'c',
          clientSecret: 's',
          tenantId: '1',
          refreshSkewMs: -1,
        },
      },
      /refreshSkewMs/,
    ],
  ];
  it.each(cases)('throws for %s', (_, options, message) => {
    expect(() => createFortnoxClient(options as FortnoxClientOptions)).toThrow(message);
  });

  it('never echoes a secret in the construction error', () => {
    const options = {
      auth: { type: 'refresh-token', clientId: 'c', clientSecret: 'top-secret', tenantId: '' },
    };
    expect(() => createFortnoxClient(options as FortnoxClientOptions)).toThrow(
      /^(?!.*top-secret)/s,
    );
  });

  it('rejects both rateLimit and rateLimiter, and bad numbers', () => {
    const both = {
      auth: token,
      rateLimit: { limit: 5 },
      rateLimiter: createSlidingWindowRateLimiter(),
    };
    expect(() => createFortnoxClient(both as unknown as FortnoxClientOptions)).toThrow(
      /either rateLimit/,
    );
    expect(() => createFortnoxClient({ auth: token, timeoutMs: 0 })).toThrow(RangeError);
    // Beyond 2^31 − 1 ms a timer fires at once: a huge wait would become none.
    expect(() => createFortnoxClient({ auth: token, timeoutMs: 2 ** 31 })).toThrow(RangeError);
    expect(() =>
      createFortnoxClient({ auth: token, retry: { maxRetryAfterMs: 30 * 86_400_000 } }),
    ).toThrow(RangeError);
    expect(() => createFortnoxClient({ auth: token, retry: { maxAttempts: 0 } })).toThrow(
      RangeError,
    );
    expect(() => createFortnoxClient({ auth: token, rateLimit: { limit: -1 } })).toThrow(
      RangeError,
    );
  });

  it('does not compile invalid combinations', () => {
    const missingStore: FortnoxClientOptions = {
      // @ts-expect-error a refresh-token strategy needs a tokenStore
      auth: { type: 'refresh-token', clientId: 'c', clientSecret: 's', tenantId: '1' },
    };
    const mixed: FortnoxClientOptions = {
      // @ts-expect-error an access token has no client secret
      auth: { type: 'access-token', accessToken: 't', clientSecret: 's' },
    };
    // @ts-expect-error rateLimit and rateLimiter exclude each other
    const both: FortnoxClientOptions = {
      auth: token,
      rateLimit: { limit: 1 },
      rateLimiter: createSlidingWindowRateLimiter(),
    };
    expect([missingStore, mixed, both]).toHaveLength(3);
  });
});
