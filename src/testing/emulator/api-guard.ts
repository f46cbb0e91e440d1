import type { RateLimiter } from './rate-limiter.js';
import { type ApiError, apiError } from './responses.js';
import type { Grant, TokenRefusal } from './token-store.js';

/** Reads the bearer token of a request; `undefined` when there is none. */
export function readBearerToken(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '');
  return match?.[1];
}

/** The outcome of authenticating an API request. */
export type GuardOutcome =
  | { readonly kind: 'allowed'; readonly grant: Grant }
  /** A bad, expired or revoked token: Fortnox's bare `401 {"message":"unauthorized"}`. */
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'refused'; readonly error: ApiError; readonly tenantId: string | undefined }
  | {
      readonly kind: 'rate-limited';
      readonly retryAfterSeconds: number;
      readonly tenantId: string;
    };

/** The scope each API resource needs. */
function scopeFor(path: string): string | undefined {
  return path.startsWith('/3/customers') ? 'customer' : undefined;
}

/**
 * Authorises and rate-limits one `/3/...` request, given what its bearer token proved: 401 (2000311
 * without a token; `unauthorized` for a bad, expired or revoked one), 403 (2000663 for a missing
 * scope), 429.
 */
export function guardApiRequest(
  path: string,
  grant: Grant | TokenRefusal,
  limiter: RateLimiter | undefined,
): GuardOutcome {
  if (grant === 'missing')
    return { kind: 'refused', error: apiError(2000311), tenantId: undefined };
  if (typeof grant === 'string') return { kind: 'unauthorized' };
  const scope = scopeFor(path);
  if (scope !== undefined && !grant.scopes.includes(scope)) {
    return { kind: 'refused', error: apiError(2000663), tenantId: grant.tenantId };
  }
  const decision = limiter?.take(`${grant.tenantId}\u0000${grant.clientId}`) ?? { allowed: true };
  if (!decision.allowed) {
    return {
      kind: 'rate-limited',
      retryAfterSeconds: decision.retryAfterSeconds,
      tenantId: grant.tenantId,
    };
  }
  return { kind: 'allowed', grant };
}
