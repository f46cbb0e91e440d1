/** FortnoxClient: the typed HTTP client for Fortnox's API (every export named, no `export *`). */

export type {
  AccessTokenAuth,
  ClientCredentialsAuth,
  FortnoxAuth,
  RefreshTokenAuth,
} from './auth-options.js';
export { createFortnoxClient, type FortnoxClient } from './client.js';
export { type Clock, SYSTEM_CLOCK } from './clock.js';
export {
  CUSTOMER_SEARCH_PARAMS,
  type CustomerListQuery,
  type CustomerSearchParam,
  parseCustomerListQuery,
} from './customer-query.js';
export type { CustomerPagesQuery, CustomersResource } from './customers.js';
export {
  DEFAULT_API_BASE_URL,
  DEFAULT_AUTH_BASE_URL,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RATE_SAFETY_MARGIN_MS,
  DEFAULT_RATE_WINDOW_MS,
  DEFAULT_REFRESH_SKEW_MS,
  DEFAULT_RETRY_OPTIONS,
  DEFAULT_TIMEOUT_MS,
} from './defaults.js';
export {
  type AuthErrorReason,
  FORTNOX_ERROR_KINDS,
  FortnoxAbortedError,
  FortnoxApiError,
  type FortnoxApiErrorFields,
  FortnoxAuthError,
  type FortnoxAuthErrorFields,
  FortnoxClientError,
  type FortnoxError,
  type FortnoxErrorFields,
  type FortnoxErrorKind,
  FortnoxInvalidResponseError,
  type FortnoxInvalidResponseErrorFields,
  FortnoxNetworkError,
  FortnoxRateLimitedError,
  type FortnoxRateLimitedErrorFields,
  FortnoxTimeoutError,
  type FortnoxTimeoutErrorFields,
  FortnoxUnknownOutcomeError,
  type FortnoxUnknownOutcomeErrorFields,
  FortnoxValidationError,
  type FortnoxValidationErrorFields,
  type FortnoxValidationIssue,
  isFortnoxError,
  isNotFoundError,
  isReconnectRequired,
  type RedactedRequest,
  type UnknownOutcomeReason,
} from './errors.js';
export type { ExactFinders, PhoneSearchOptions } from './exact-finders.js';
export {
  type FortnoxClientHooks,
  type LogFields,
  type Logger,
  type RateLimitedEvent,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
  type RetryReason,
  SILENT_LOGGER,
} from './hooks.js';
export { type AccessTokenClaims, decodeAccessTokenClaims } from './jwt.js';
export { emailKey, identityNumberKey, nameKey, phoneKey } from './match-keys.js';
export {
  type AuthorizationUrlOptions,
  buildAuthorizationUrl,
  type ExchangeAuthorizationCodeOptions,
  exchangeAuthorizationCode,
  type OAuthCallOptions,
  type RevokeTokenOptions,
  revokeToken,
} from './oauth.js';
export {
  type FortnoxClientOptions,
  type FortnoxRateLimitOptions,
  normalizeClientOptions,
  type ResolvedFortnoxClientOptions,
} from './options.js';
export type { CustomerPage, ListCallOptions, ListProgress } from './pagination.js';
export {
  createSlidingWindowRateLimiter,
  type RateLimiter,
  type RateLimitRelease,
  type SlidingWindowRateLimiter,
  type SlidingWindowRateLimiterOptions,
} from './rate-limiter.js';
export type { CallOptions } from './request-pipeline.js';
export {
  computeBackoffDelay,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './retry-policy.js';
export { createMemoryTokenStore, type FortnoxTokens, type TokenStore } from './token-store.js';
export type { FetchFunction } from './transport.js';
