/**
 * Every failure of the Fortnox client, as plain tagged objects (errors as data: they serialise,
 * compare and log safely). Discriminate on `kind`. No error carries a token, a secret or personal
 * data: the request is kept as method + path template only.
 */

/** The request an error came from, redacted: no headers, no query values, no customer number. */
export type RedactedRequest = {
  /** HTTP method, e.g. `'GET'`. */
  readonly method: string;
  /** Path template without personal data, e.g. `'/3/customers/{CustomerNumber}'`. */
  readonly path: string;
};

/** One problem found by schema validation: where, and what (never the offending value). */
export type FortnoxValidationIssue = {
  /** Path to the field, e.g. `['Customer', 'Email']`. */
  readonly path: readonly (string | number)[];
  /** zod's issue code, e.g. `'invalid_type'` or `'custom'`. */
  readonly code: string;
  /** What is wrong, in English. */
  readonly message: string;
};

type ErrorBase = {
  /** What went wrong, in English, without personal data or tokens. */
  readonly message: string;
  /** True when the same call may succeed if tried again later. */
  readonly retryable: boolean;
  /** The request this came from (redacted), when there was one. */
  readonly request?: RedactedRequest;
  /** The underlying error or value, when there is one. */
  readonly cause?: unknown;
};

/** Fortnox answered with an error (4xx other than 401/429, or 5xx for an idempotent call). */
export type FortnoxApiError = ErrorBase & {
  readonly kind: 'api';
  /** HTTP status. */
  readonly status: number;
  /** Fortnox's error code (`ErrorInformation.code`), e.g. `2000433`. */
  readonly code?: number;
  /** Fortnox's own (Swedish) message, with any values it echoes masked (see `maskEchoedValues`). */
  readonly fortnoxMessage?: string;
  /** English explanation of `code`, for the codes this library knows. */
  readonly explanation?: string;
};

/** Why authentication failed. */
export type AuthErrorReason =
  | 'unauthorized'
  | 'invalid-grant'
  | 'invalid-client'
  | 'missing-tokens'
  | 'token-store-failed'
  | 'token-endpoint';

/** Authentication failed: the access token was rejected or could not be obtained or stored. */
export type FortnoxAuthError = ErrorBase & {
  readonly kind: 'auth';
  /** What failed. */
  readonly reason: AuthErrorReason;
  /** True when a person must connect the Fortnox account again (authorise the integration anew). */
  readonly reconnectRequired: boolean;
  /** HTTP status, when an HTTP answer caused this. */
  readonly status?: number;
  /** The OAuth `error` field of the token endpoint (e.g. `'invalid_grant'`), when there was one. */
  readonly oauthError?: string;
  /** Fortnox's error code, when the API sent one. */
  readonly code?: number;
};

/** Fortnox kept answering 429 until the retry budget ran out. */
export type FortnoxRateLimitedError = ErrorBase & {
  readonly kind: 'rate-limited';
  readonly status: 429;
  /** The wait Fortnox asked for (`Retry-After`), or the back-off this client chose. */
  readonly retryAfterMs: number;
};

/** The request could not reach Fortnox, or the connection broke (for calls that are safe to repeat). */
export type FortnoxNetworkError = ErrorBase & { readonly kind: 'network' };

/** An attempt took longer than the timeout. */
export type FortnoxTimeoutError = ErrorBase & {
  readonly kind: 'timeout';
  /** The per-attempt timeout that ran out. */
  readonly timeoutMs: number;
};

/** Fortnox answered 2xx with a body that is not what its API promises. */
export type FortnoxInvalidResponseError = ErrorBase & {
  readonly kind: 'invalid-response';
  readonly status: number;
  /** Where the body broke the schema (no values). */
  readonly issues: readonly FortnoxValidationIssue[];
};

/** What we were asked to send is invalid; nothing was sent. */
export type FortnoxValidationError = ErrorBase & {
  readonly kind: 'validation';
  /** Every problem found. */
  readonly issues: readonly FortnoxValidationIssue[];
};

/**
 * Why the outcome of a create is unknown: no clear answer came (`network`, `timeout`,
 * `server-error`, `aborted`), or a 2xx came whose body could not be read (`unreadable-response`:
 * carried out, but the record it made is unknown).
 */
export type UnknownOutcomeReason =
  | 'network'
  | 'timeout'
  | 'server-error'
  | 'aborted'
  | 'unreadable-response';

/**
 * A non-idempotent call (POST) may or may not have been carried out: the request was sent but no
 * clear answer came back. It is never retried automatically; reconcile (look the record up) first.
 */
export type FortnoxUnknownOutcomeError = ErrorBase & {
  readonly kind: 'unknown-outcome';
  /** What made the outcome unknown. */
  readonly reason: UnknownOutcomeReason;
  /** HTTP status, for `'server-error'` and `'unreadable-response'`. */
  readonly status?: number;
};

/** The caller's `AbortSignal` fired before the call finished. */
export type FortnoxAbortedError = ErrorBase & { readonly kind: 'aborted' };

/** Every error the Fortnox client returns, discriminated by `kind`. */
export type FortnoxError =
  | FortnoxApiError
  | FortnoxAuthError
  | FortnoxRateLimitedError
  | FortnoxNetworkError
  | FortnoxTimeoutError
  | FortnoxInvalidResponseError
  | FortnoxValidationError
  | FortnoxUnknownOutcomeError
  | FortnoxAbortedError;

/** The `kind` of a {@link FortnoxError}. */
export type FortnoxErrorKind = FortnoxError['kind'];

/** Every {@link FortnoxErrorKind}, for exhaustive handling and guards. */
export const FORTNOX_ERROR_KINDS = [
  'api',
  'auth',
  'rate-limited',
  'network',
  'timeout',
  'invalid-response',
  'validation',
  'unknown-outcome',
  'aborted',
] as const satisfies readonly FortnoxErrorKind[];

const KINDS: ReadonlySet<string> = new Set(FORTNOX_ERROR_KINDS);

/** True when `value` is a {@link FortnoxError}. */
export function isFortnoxError(value: unknown): value is FortnoxError {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message, retryable } = value as Record<string, unknown>;
  return (
    typeof kind === 'string' &&
    KINDS.has(kind) &&
    typeof message === 'string' &&
    typeof retryable === 'boolean'
  );
}

/** True when `error` means a person must connect the Fortnox account again. */
export function isReconnectRequired(error: FortnoxError): error is FortnoxAuthError {
  return error.kind === 'auth' && error.reconnectRequired;
}

/** True when the API said the customer (or other resource) does not exist (HTTP 404 / 2000433). */
export function isNotFoundError(error: FortnoxError): error is FortnoxApiError {
  return error.kind === 'api' && (error.status === 404 || error.code === 2000433);
}
