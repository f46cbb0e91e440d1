import type { FaultRule } from './faults.js';
import type { ErrorCasing } from './responses.js';
import { checkUpstreamLatency, type UpstreamLatency } from './upstream-latency.js';

/** The tenant (Fortnox company, `DatabaseNumber`) that exists from the start. */
export const DEFAULT_TENANT_ID = '1000001';
/** The OAuth client registered by default. */
export const DEFAULT_CLIENT_ID = 'fortnox-sync-emulator';
/** The secret of {@link DEFAULT_CLIENT_ID}. */
export const DEFAULT_CLIENT_SECRET = 'emulator-client-secret';
/** Scopes granted when an authorization request names none. */
export const DEFAULT_SCOPES: readonly string[] = ['customer', 'companyinformation'];
/** Access token lifetime, as Fortnox: one hour. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
/** Refresh token lifetime, as Fortnox: 45 days. */
export const DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS = 45 * 24 * 3600;
/** Authorization code lifetime, as Fortnox: 10 minutes. */
export const DEFAULT_AUTHORIZATION_CODE_LIFETIME_SECONDS = 600;
/**
 * The emulator's rate limit, as Fortnox's budget: 25 requests per sliding 5 s per tenant and client id.
 * (The client's own budget is the root export `DEFAULT_RATE_LIMIT`, a number.)
 */
export const DEFAULT_EMULATOR_RATE_LIMIT: ResolvedRateLimitOptions = {
  limit: 25,
  windowMs: 5000,
  retryAfter: true,
};
/** Page size when a list request sends no `limit`. */
export const DEFAULT_PAGE_LIMIT = 100;
/** First number of the customer number series. */
export const DEFAULT_CUSTOMER_NUMBER_START = 1;
/** Origins the msw handlers answer for: Fortnox's API and OAuth hosts. */
export const DEFAULT_ORIGINS: readonly string[] = [
  'https://api.fortnox.se',
  'https://apps.fortnox.se',
];
/** Interface the HTTP server binds to. */
export const DEFAULT_HOST = '127.0.0.1';
/** Key the emulator signs its JWT access tokens with (HS256). Not a secret: this is a test double. */
export const DEFAULT_TOKEN_SECRET = 'fortnox-sync-emulator-signing-key';

/** A registered OAuth client. */
export type EmulatorClient = {
  /** The OAuth client id (also part of the rate-limit key). */
  readonly clientId: string;
  /** The secret checked in the token endpoint's Basic authentication. */
  readonly clientSecret: string;
  /** Allowed redirect URIs; empty or absent allows any. */
  readonly redirectUris?: readonly string[];
};

/** Rate limiter settings. */
export type RateLimitOptions = {
  /** Requests allowed per window. @defaultValue 25 */
  limit?: number;
  /** Sliding window length in milliseconds. @defaultValue 5000 */
  windowMs?: number;
  /** Send `Retry-After` (seconds) with 429; UNVERIFIED for real Fortnox. @defaultValue true */
  retryAfter?: boolean;
};
/** {@link RateLimitOptions} with every default applied. */
export type ResolvedRateLimitOptions = Required<RateLimitOptions>;

/** OAuth server settings. */
export type OAuthOptions = {
  /** Registered clients. @defaultValue one client, {@link DEFAULT_CLIENT_ID} / {@link DEFAULT_CLIENT_SECRET} */
  clients?: readonly EmulatorClient[];
  /** `auto` redirects at once; `page` shows a minimal consent page with an Approve button. @defaultValue 'auto' */
  consent?: 'auto' | 'page';
  /** How long an access token lives, in seconds. @defaultValue 3600 (as Fortnox) */
  accessTokenLifetimeSeconds?: number;
  /** How long a refresh token lives, in seconds. @defaultValue 45 days (as Fortnox) */
  refreshTokenLifetimeSeconds?: number;
  /** How long an authorization code lives, in seconds. @defaultValue 600 (as Fortnox) */
  authorizationCodeLifetimeSeconds?: number;
  /** HS256 key of the access tokens. @defaultValue {@link DEFAULT_TOKEN_SECRET} */
  tokenSecret?: string;
};
/** {@link OAuthOptions} with every default applied. */
export type ResolvedOAuthOptions = Required<OAuthOptions>;

/** Per-tenant settings. */
export type TenantOptions = {
  /** First number of this tenant's number series. @defaultValue the emulator's `customerNumberStart` */
  customerNumberStart?: number;
  /** Generate this many realistic Swedish customers at start (and after `reset()`). @defaultValue 0 */
  seedCustomers?: number;
  /** Seed of the generated customers. @defaultValue 1 */
  seed?: number;
};

/** Options of {@link createFortnoxEmulator}; every one is optional. */
export type FortnoxEmulatorOptions = {
  /** Clock for tokens, codes, rate limits and `lastmodified` (epoch ms). @defaultValue Date.now */
  now?: () => number;
  /** How injected latency waits. @defaultValue setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** The tenant that exists from the start and gets the OAuth consent. @defaultValue {@link DEFAULT_TENANT_ID} */
  defaultTenantId?: string;
  /** Settings of the default tenant and of others created at start. @defaultValue only the default tenant, empty */
  tenants?: Readonly<Record<string, TenantOptions>>;
  /** First number of every tenant's number series (e.g. 1 or 1001). @defaultValue 1 */
  customerNumberStart?: number;
  /**
   * How several search parameters combine (UNVERIFIED in Fortnox): `all` = AND, `any` = OR.
   * @defaultValue 'all'
   */
  searchCombination?: 'all' | 'any';
  /** Inner key casing of `ErrorInformation`. @defaultValue 'lower' */
  errorCasing?: ErrorCasing;
  /** What a write containing a read-only field (`@url`, `Country`, …) gets. @defaultValue 'ignore' */
  readOnlyFields?: 'ignore' | 'reject';
  /** OAuth server settings. @defaultValue see {@link OAuthOptions} */
  oauth?: OAuthOptions;
  /** Rate limit, or `false` to switch it off. @defaultValue {@link DEFAULT_EMULATOR_RATE_LIMIT} */
  rateLimit?: RateLimitOptions | false;
  /**
   * Time each API request travels before Fortnox counts it against the rate limit: new connections
   * slow (TLS), reused ones fast. Shows a client limiter that counts at send time overrunning Fortnox.
   * @defaultValue none
   * @example { coldMs: [60, 300], warmMs: 10 }
   */
  upstreamLatency?: UpstreamLatency;
  /** Fault injection: seed of its random source and the initial rules. @defaultValue `{ seed: 1, rules: [] }` */
  faults?: { seed?: number; rules?: readonly FaultRule[] };
  /** Origins the msw handlers intercept. @defaultValue {@link DEFAULT_ORIGINS} */
  origins?: readonly string[];
  /**
   * Fixed bearer tokens (token → tenant id) that never expire; handy for tests without OAuth.
   * @defaultValue none
   */
  staticTokens?: Readonly<Record<string, string>>;
};

/** {@link FortnoxEmulatorOptions} with every default applied. */
export type ResolvedFortnoxEmulatorOptions = {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly defaultTenantId: string;
  readonly tenants: Readonly<Record<string, TenantOptions>>;
  readonly customerNumberStart: number;
  readonly searchCombination: 'all' | 'any';
  readonly errorCasing: ErrorCasing;
  readonly readOnlyFields: 'ignore' | 'reject';
  readonly oauth: ResolvedOAuthOptions;
  readonly rateLimit: ResolvedRateLimitOptions | false;
  readonly upstreamLatency: UpstreamLatency | undefined;
  readonly faults: { readonly seed: number; readonly rules: readonly FaultRule[] };
  readonly origins: readonly string[];
  readonly staticTokens: Readonly<Record<string, string>>;
};

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`createFortnoxEmulator: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function checkTenants(
  tenants: Readonly<Record<string, TenantOptions>>,
): Readonly<Record<string, TenantOptions>> {
  for (const [tenantId, settings] of Object.entries(tenants)) {
    if (settings.customerNumberStart !== undefined) {
      positiveInteger(`tenants.${tenantId}.customerNumberStart`, settings.customerNumberStart);
    }
    const count = settings.seedCustomers;
    if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
      throw new TypeError(
        `createFortnoxEmulator: tenants.${tenantId}.seedCustomers must be a non-negative integer, got ${count}`,
      );
    }
  }
  return tenants;
}

/** Applies the defaults; throws a `TypeError` that names the option on a misconfiguration. */
export function normalizeEmulatorOptions(
  options: FortnoxEmulatorOptions = {},
): ResolvedFortnoxEmulatorOptions {
  const oauth = options.oauth ?? {};
  const clients = oauth.clients ?? [
    { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET },
  ];
  if (clients.length === 0) {
    throw new TypeError('createFortnoxEmulator: oauth.clients needs at least one client');
  }
  const rate =
    options.rateLimit === false ? false : { ...DEFAULT_EMULATOR_RATE_LIMIT, ...options.rateLimit };
  if (rate !== false) {
    positiveInteger('rateLimit.limit', rate.limit);
    positiveInteger('rateLimit.windowMs', rate.windowMs);
  }
  return {
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    defaultTenantId: options.defaultTenantId ?? DEFAULT_TENANT_ID,
    tenants: checkTenants(options.tenants ?? {}),
    customerNumberStart: positiveInteger(
      'customerNumberStart',
      options.customerNumberStart ?? DEFAULT_CUSTOMER_NUMBER_START,
    ),
    searchCombination: options.searchCombination ?? 'all',
    errorCasing: options.errorCasing ?? 'lower',
    readOnlyFields: options.readOnlyFields ?? 'ignore',
    oauth: {
      clients,
      consent: oauth.consent ?? 'auto',
      accessTokenLifetimeSeconds: positiveInteger(
        'oauth.accessTokenLifetimeSeconds',
        oauth.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS,
      ),
      refreshTokenLifetimeSeconds: positiveInteger(
        'oauth.refreshTokenLifetimeSeconds',
        oauth.refreshTokenLifetimeSeconds ?? DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS,
      ),
      authorizationCodeLifetimeSeconds: positiveInteger(
        'oauth.authorizationCodeLifetimeSeconds',
        oauth.authorizationCodeLifetimeSeconds ?? DEFAULT_AUTHORIZATION_CODE_LIFETIME_SECONDS,
      ),
      tokenSecret: oauth.tokenSecret ?? DEFAULT_TOKEN_SECRET,
    },
    rateLimit: rate,
    upstreamLatency:
      options.upstreamLatency === undefined
        ? undefined
        : checkUpstreamLatency(options.upstreamLatency),
    faults: { seed: options.faults?.seed ?? 1, rules: options.faults?.rules ?? [] },
    origins: (options.origins ?? DEFAULT_ORIGINS).map((origin) => new URL(origin).origin),
    staticTokens: options.staticTokens ?? {},
  };
}
