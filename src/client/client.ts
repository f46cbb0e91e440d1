import { type CustomersResource, createCustomersResource } from './customers.js';
import { createEventEmitter } from './hooks.js';
import { type FortnoxClientOptions, normalizeClientOptions } from './options.js';
import { createRequestPipeline } from './request-pipeline.js';
import type { TokenEndpointContext } from './token-endpoint.js';
import { createTokenManager } from './token-manager.js';
import { createTransport } from './transport.js';

/** A typed Fortnox API client for one tenant. Every fallible call returns `ResultAsync`. */
export type FortnoxClient = {
  /** The customer register. */
  readonly customers: CustomersResource;
};

/**
 * Creates a Fortnox client: OAuth2 (fixed token, refresh token with a {@link TokenStore}, or client
 * credentials), a per-tenant sliding-window rate limit (25 requests / 5 s), retries that never repeat
 * a POST of unknown outcome, typed errors and redacted events. Bad options throw at once.
 * @example
 * const client = createFortnoxClient({
 *   auth: { type: 'refresh-token', clientId, clientSecret, tenantId, tokenStore },
 * });
 * const customer = await client.customers.get('1001');
 * if (customer.isErr()) console.error(customer.error.kind, customer.error.message);
 */
export function createFortnoxClient(options: FortnoxClientOptions): FortnoxClient {
  const resolved = normalizeClientOptions(options);
  const transport = createTransport(resolved.fetch);
  const endpoint = (clientId: string, clientSecret: string): TokenEndpointContext => ({
    transport,
    authBaseUrl: resolved.authBaseUrl,
    clientId,
    clientSecret,
    timeoutMs: resolved.timeoutMs,
    retry: resolved.retry,
    clock: resolved.clock,
    random: resolved.random,
    now: Date.now,
  });
  const pipeline = createRequestPipeline({
    options: resolved,
    transport,
    tokens: createTokenManager(resolved.auth, endpoint),
    events: createEventEmitter(resolved.hooks, resolved.logger),
  });
  return { customers: createCustomersResource(pipeline) };
}
