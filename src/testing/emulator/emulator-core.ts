import { assertSupportedNode } from '../../client/node-version.js';
import { guardApiRequest, readBearerToken } from './api-guard.js';
import { handleCustomerRoute, notFoundResponse } from './customer-routes.js';
import type { EmulatorTenant } from './emulator-tenant.js';
import { createFaultController, type FaultController, type FaultKind } from './faults.js';
import { type EmulatorServer, type ListenOptions, startEmulatorServer } from './http-server.js';
import { handleOAuthRoute } from './oauth-routes.js';
import {
  type FortnoxEmulatorOptions,
  normalizeEmulatorOptions,
  type ResolvedFortnoxEmulatorOptions,
} from './options.js';
import { createRateLimiter } from './rate-limiter.js';
import { createRequestLog, type RequestLogEntry } from './request-log.js';
import { type ApiError, apiError, errorResponse, jsonResponse } from './responses.js';
import { createTenantRegistry } from './tenant-registry.js';
import { createTokenStore, type Grant, type TokenRefusal } from './token-store.js';
import { createUpstreamConnections } from './upstream-latency.js';

/** Counters for assertions in tests. */
export type EmulatorStats = {
  /** Every request handled. */
  readonly requests: number;
  /** 429 answers, from the limiter and from injected bursts. */
  readonly rateLimited: number;
  /** How often each kind of fault fired. */
  readonly faults: Readonly<Record<FaultKind, number>>;
};

/** Options of {@link FortnoxEmulatorCore.issueAccessToken}. */
export type IssueTokenOptions = {
  /** How long the token lives, in seconds. @defaultValue the emulator's access token lifetime */
  lifetimeSeconds?: number;
  /** The scopes the token grants. @defaultValue ['customer', 'companyinformation'] */
  scopes?: readonly string[];
  /** The OAuth client the token is issued to. @defaultValue the first registered client */
  clientId?: string;
};

/** The stateful Fortnox emulator without any test-framework binding (no msw). */
export type FortnoxEmulatorCore = {
  /** The options with every default applied. */
  readonly options: ResolvedFortnoxEmulatorOptions;
  /** Answers one fetch-API request like Fortnox would; a network error is `Response.error()`. */
  handle(request: Request): Promise<Response>;
  /** A tenant's data (created on first use). @defaultValue the default tenant */
  tenant(tenantId?: string): EmulatorTenant;
  /** Ids of the tenants that exist. */
  tenantIds(): string[];
  /** A valid access token for a tenant, without going through OAuth. */
  issueAccessToken(tenantId?: string, options?: IssueTokenOptions): string;
  /** Revokes every access and refresh token of a tenant (the user disconnected the integration). */
  revokeTokens(tenantId?: string): void;
  /** Fault injection, switchable at runtime. */
  readonly faults: Omit<FaultController, 'roll' | 'reset'>;
  /** The request log: method, path, status, tenant, faults. No bodies, no tokens. */
  requests(): readonly RequestLogEntry[];
  /** Counters of requests, 429 answers and fired faults since the start or the last `reset()`. */
  stats(): EmulatorStats;
  /** Back to the initial state: tenants, seeds, tokens, rate windows, faults, log. */
  reset(): void;
  /** Starts a real HTTP server on 127.0.0.1 (or `host`) answering through {@link handle}. */
  listen(options?: ListenOptions): Promise<EmulatorServer>;
};

/** Creates the emulator core. Use `createFortnoxEmulator` for the msw handlers as well. */
export function createEmulatorCore(input: FortnoxEmulatorOptions = {}): FortnoxEmulatorCore {
  assertSupportedNode('createFortnoxEmulator');
  const options = normalizeEmulatorOptions(input);
  const tokens = createTokenStore(options);
  const limiter =
    options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit, options.now);
  const faults = createFaultController(options.faults.seed, options.faults.rules);
  const upstream =
    options.upstreamLatency === undefined
      ? undefined
      : createUpstreamConnections(options.upstreamLatency);
  const log = createRequestLog();
  let publicOrigin = options.origins[0] ?? 'https://api.fortnox.se';
  const tenants = createTenantRegistry(options, () => publicOrigin);
  let errorCount = 0;
  let requestCount = 0;
  let rateLimitedCount = 0;

  const fail = (error: ApiError, headers: HeadersInit = {}) => {
    errorCount += 1;
    const upper =
      options.errorCasing === 'upper' ||
      (options.errorCasing === 'alternate' && errorCount % 2 === 0);
    return errorResponse(error, upper, headers);
  };

  const tooManyRequests = (retryAfterSeconds: number) => {
    rateLimitedCount += 1;
    const retry = options.rateLimit !== false && options.rateLimit.retryAfter;
    return jsonResponse(
      { message: 'Too Many Requests' },
      429,
      retry ? { 'Retry-After': String(retryAfterSeconds) } : {},
    );
  };

  const serverError = (status: 500 | 503) =>
    status === 500
      ? fail(apiError(1000003))
      : new Response('<html><body><h1>503 Service Unavailable</h1></body></html>', {
          status: 503,
          headers: { 'Content-Type': 'text/html' },
        });

  async function route(
    request: Request,
    path: string,
    grant: Grant | TokenRefusal,
  ): Promise<{ response: Response; tenantId: string | undefined }> {
    if (path.startsWith('/oauth-v1/')) {
      const context = { options, tokens, hasTenant: tenants.has };
      return { response: await handleOAuthRoute(context, request, path), tenantId: undefined };
    }
    const match = /^\/3\/customers(?:\/([^/]+))?\/?$/.exec(path);
    if (!path.startsWith('/3/')) return { response: notFoundResponse(), tenantId: undefined };
    const guard = guardApiRequest(path, grant, limiter);
    if (guard.kind === 'refused') return { response: fail(guard.error), tenantId: guard.tenantId };
    if (guard.kind === 'rate-limited') {
      return { response: tooManyRequests(guard.retryAfterSeconds), tenantId: guard.tenantId };
    }
    const tenantId = guard.grant.tenantId;
    if (match === null) return { response: notFoundResponse(), tenantId };
    const response = await handleCustomerRoute(
      { options, fail },
      request,
      tenants.state(tenantId),
      match[1],
    );
    return { response, tenantId };
  }

  async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const method = request.method.toUpperCase();
    if (upstream === undefined || !path.startsWith('/3/')) return arrived(request, path, method);
    // The request is on its way: Fortnox counts it (rate limit) only once it has arrived.
    const trip = upstream.enter({ method, path });
    try {
      if (trip.latencyMs > 0) await options.sleep(trip.latencyMs);
      return await arrived(request, path, method);
    } finally {
      trip.leave();
    }
  }

  async function arrived(request: Request, path: string, method: string): Promise<Response> {
    requestCount += 1;
    const bearer = path.startsWith('/3/') ? readBearerToken(request) : undefined;
    const grant = bearer === undefined ? 'missing' : tokens.verifyAccessToken(bearer);
    const hintedTenant = typeof grant === 'object' ? grant.tenantId : undefined;
    const fired = faults.roll({ method, path, tenantId: hintedTenant });
    const kinds = fired.map((rule) => rule.kind);
    const finish = (response: Response, tenantId: string | undefined) => {
      log.add({
        at: options.now(),
        method,
        path,
        status: response.type === 'error' ? 0 : response.status,
        tenantId,
        faults: kinds,
      });
      return response;
    };
    const latency = fired.reduce(
      (sum, rule) => sum + (rule.kind === 'latency' ? (rule.latencyMs ?? 200) : 0),
      0,
    );
    if (latency > 0) await options.sleep(latency);
    for (const rule of fired) {
      switch (rule.kind) {
        case 'connection-reset':
          return finish(Response.error(), hintedTenant);
        case 'server-error':
          return finish(serverError(rule.status ?? 500), hintedTenant);
        case 'rate-limit':
          return finish(
            tooManyRequests(
              options.rateLimit === false ? 1 : Math.ceil(options.rateLimit.windowMs / 1000),
            ),
            hintedTenant,
          );
        case 'licence-error':
          return finish(fail(apiError(2001103)), hintedTenant);
        case 'revoke-token':
          if (hintedTenant !== undefined) tokens.revokeTenant(hintedTenant);
          break;
        default:
          break;
      }
    }
    // A revoke-token fault above has just revoked this token: the request must see that.
    const current =
      kinds.includes('revoke-token') && bearer !== undefined
        ? tokens.verifyAccessToken(bearer)
        : grant;
    const { response, tenantId } = await route(request, path, current);
    // The write happened; the client never hears about it.
    if (kinds.includes('lost-response')) return finish(Response.error(), tenantId);
    return finish(response, tenantId);
  }

  tenants.seed();

  return {
    options,
    handle,
    tenant: (tenantId = options.defaultTenantId) => tenants.tenant(tenantId),
    tenantIds: tenants.ids,
    issueAccessToken(tenantId = options.defaultTenantId, issue = {}) {
      tenants.state(tenantId);
      const clientId = issue.clientId ?? options.oauth.clients[0]?.clientId ?? '';
      const scopes = issue.scopes ?? ['customer', 'companyinformation'];
      return tokens.issueAccessToken({ tenantId, clientId, scopes }, issue.lifetimeSeconds)
        .accessToken;
    },
    revokeTokens: (tenantId = options.defaultTenantId) => tokens.revokeTenant(tenantId),
    faults: {
      inject: (rule) => faults.inject(rule),
      clear: () => faults.clear(),
      rules: () => faults.rules(),
      counts: () => faults.counts(),
    },
    requests: () => log.entries(),
    stats: () => ({
      requests: requestCount,
      rateLimited: rateLimitedCount,
      faults: faults.counts(),
    }),
    reset() {
      tokens.clear();
      limiter?.clear();
      upstream?.reset();
      faults.reset();
      log.clear();
      requestCount = 0;
      rateLimitedCount = 0;
      errorCount = 0;
      tenants.seed();
    },
    async listen(listenOptions) {
      const server = await startEmulatorServer(handle, listenOptions);
      publicOrigin = server.url;
      return server;
    },
  };
}
