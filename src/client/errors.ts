/**
 * Every failure of the Fortnox client: small `Error` classes with a literal `name`, discriminated by
 * `kind`, each with an English `message`, a `userMessage` for a person (Swedish and English) and
 * `cause`. No error carries a token, a secret or personal data: the request is kept as method + path
 * template only, and `JSON.stringify(error)` leaves out `stack` and `cause`.
 */
import {
  assignDefined,
  FortnoxSyncError,
  isLocalizedMessage,
  type LocalizedMessage,
} from '../fortnox/index.js';
import {
  describeApiError,
  describeAuthError,
  describeUnknownOutcome,
  USER_MESSAGES,
} from './user-messages.js';

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

/** The fields every client error is built from. */
export type FortnoxErrorFields = {
  /** What went wrong, in English, without personal data or tokens. */
  readonly message: string;
  /** True when the same call may succeed if tried again later. */
  readonly retryable: boolean;
  /** The request this came from (redacted), when there was one. */
  readonly request?: RedactedRequest;
  /** The underlying error or value, when there is one. */
  readonly cause?: unknown;
};

/** The base of every {@link FortnoxError}: what all kinds share. */
export abstract class FortnoxClientError extends FortnoxSyncError {
  /** True when the same call may succeed if tried again later. */
  declare readonly retryable: boolean;
  /** The request this came from (redacted), when there was one. */
  declare readonly request?: RedactedRequest;

  constructor(fields: FortnoxErrorFields, userMessage: LocalizedMessage) {
    super(fields.message, { userMessage, cause: fields.cause });
    assignDefined(this, fields);
  }
}

/** The fields of a {@link FortnoxApiError}. */
export type FortnoxApiErrorFields = FortnoxErrorFields & {
  /** HTTP status. */
  readonly status: number;
  /** Fortnox's error code (`ErrorInformation.code`), e.g. `2000433`. */
  readonly code?: number;
  /** Fortnox's own (Swedish) message, with any values it echoes masked (see `maskEchoedValues`). */
  readonly fortnoxMessage?: string;
  /** English explanation of `code`, for the codes this library knows. */
  readonly explanation?: string;
};

/** Fortnox answered with an error (4xx other than 401/429, or 5xx for an idempotent call). */
export class FortnoxApiError extends FortnoxClientError {
  override readonly name = 'FortnoxApiError';
  readonly kind = 'api';
  declare readonly status: number;
  declare readonly code?: number;
  declare readonly fortnoxMessage?: string;
  declare readonly explanation?: string;

  constructor(fields: FortnoxApiErrorFields) {
    super(fields, describeApiError(fields.status, fields.code));
  }
}

/** Why authentication failed. */
export type AuthErrorReason =
  | 'unauthorized'
  | 'invalid-grant'
  | 'invalid-client'
  | 'missing-tokens'
  | 'token-store-failed'
  | 'token-endpoint';

/** The fields of a {@link FortnoxAuthError}. */
export type FortnoxAuthErrorFields = FortnoxErrorFields & {
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

/** Authentication failed: the access token was rejected or could not be obtained or stored. */
export class FortnoxAuthError extends FortnoxClientError {
  override readonly name = 'FortnoxAuthError';
  readonly kind = 'auth';
  declare readonly reason: AuthErrorReason;
  declare readonly reconnectRequired: boolean;
  declare readonly status?: number;
  declare readonly oauthError?: string;
  declare readonly code?: number;

  constructor(fields: FortnoxAuthErrorFields) {
    super(fields, describeAuthError(fields.reason, fields.reconnectRequired));
  }
}

/** The fields of a {@link FortnoxRateLimitedError}. */
export type FortnoxRateLimitedErrorFields = FortnoxErrorFields & {
  /** The wait Fortnox asked for (`Retry-After`), or the back-off this client chose. */
  readonly retryAfterMs: number;
};

/** Fortnox kept answering 429 until the retry budget ran out. */
export class FortnoxRateLimitedError extends FortnoxClientError {
  override readonly name = 'FortnoxRateLimitedError';
  readonly kind = 'rate-limited';
  readonly status = 429;
  declare readonly retryAfterMs: number;

  constructor(fields: FortnoxRateLimitedErrorFields) {
    super(fields, USER_MESSAGES['rate-limited']);
  }
}

/** The request could not reach Fortnox, or the connection broke (for calls that are safe to repeat). */
export class FortnoxNetworkError extends FortnoxClientError {
  override readonly name = 'FortnoxNetworkError';
  readonly kind = 'network';

  constructor(fields: FortnoxErrorFields) {
    super(fields, USER_MESSAGES.network);
  }
}

/** The fields of a {@link FortnoxTimeoutError}. */
export type FortnoxTimeoutErrorFields = FortnoxErrorFields & {
  /** The per-attempt timeout that ran out. */
  readonly timeoutMs: number;
};

/** An attempt took longer than the timeout. */
export class FortnoxTimeoutError extends FortnoxClientError {
  override readonly name = 'FortnoxTimeoutError';
  readonly kind = 'timeout';
  declare readonly timeoutMs: number;

  constructor(fields: FortnoxTimeoutErrorFields) {
    super(fields, USER_MESSAGES.timeout);
  }
}

/** The fields of a {@link FortnoxInvalidResponseError}. */
export type FortnoxInvalidResponseErrorFields = FortnoxErrorFields & {
  readonly status: number;
  /** Where the body broke the schema (no values). */
  readonly issues: readonly FortnoxValidationIssue[];
};

/** Fortnox answered 2xx with a body that is not what its API promises. */
export class FortnoxInvalidResponseError extends FortnoxClientError {
  override readonly name = 'FortnoxInvalidResponseError';
  readonly kind = 'invalid-response';
  declare readonly status: number;
  declare readonly issues: readonly FortnoxValidationIssue[];

  constructor(fields: FortnoxInvalidResponseErrorFields) {
    super(fields, USER_MESSAGES['invalid-response']);
  }
}

/** The fields of a {@link FortnoxValidationError}. */
export type FortnoxValidationErrorFields = FortnoxErrorFields & {
  /** Every problem found. */
  readonly issues: readonly FortnoxValidationIssue[];
};

/** What we were asked to send is invalid; nothing was sent. */
export class FortnoxValidationError extends FortnoxClientError {
  override readonly name = 'FortnoxValidationError';
  readonly kind = 'validation';
  declare readonly issues: readonly FortnoxValidationIssue[];

  constructor(fields: FortnoxValidationErrorFields) {
    super(fields, USER_MESSAGES.validation);
  }
}

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

/** The fields of a {@link FortnoxUnknownOutcomeError}. */
export type FortnoxUnknownOutcomeErrorFields = FortnoxErrorFields & {
  /** What made the outcome unknown. */
  readonly reason: UnknownOutcomeReason;
  /** HTTP status, for `'server-error'` and `'unreadable-response'`. */
  readonly status?: number;
};

/**
 * A non-idempotent call (POST) may or may not have been carried out: the request was sent but no
 * clear answer came back. It is never retried automatically; reconcile (look the record up) first.
 */
export class FortnoxUnknownOutcomeError extends FortnoxClientError {
  override readonly name = 'FortnoxUnknownOutcomeError';
  readonly kind = 'unknown-outcome';
  declare readonly reason: UnknownOutcomeReason;
  declare readonly status?: number;

  constructor(fields: FortnoxUnknownOutcomeErrorFields) {
    super(fields, describeUnknownOutcome(fields.reason));
  }
}

/** The caller's `AbortSignal` fired before the call finished. */
export class FortnoxAbortedError extends FortnoxClientError {
  override readonly name = 'FortnoxAbortedError';
  readonly kind = 'aborted';

  constructor(fields: FortnoxErrorFields) {
    super(fields, USER_MESSAGES.aborted);
  }
}

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

/**
 * True when `value` is a {@link FortnoxError}: an instance, or its JSON form after it crossed a queue
 * or a database (then a plain object with the same fields, without `stack` and `cause`).
 */
export function isFortnoxError(value: unknown): value is FortnoxError {
  if (value instanceof FortnoxClientError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message, retryable, userMessage } = value as Record<string, unknown>;
  return (
    typeof kind === 'string' &&
    KINDS.has(kind) &&
    typeof message === 'string' &&
    typeof retryable === 'boolean' &&
    isLocalizedMessage(userMessage)
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
