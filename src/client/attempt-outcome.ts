import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { parseErrorInformation } from '../fortnox/index.js';
import { createApiError, parseJsonText, toValidationIssues } from './error-factory.js';
import {
  FortnoxAuthError,
  type FortnoxError,
  FortnoxInvalidResponseError,
  FortnoxRateLimitedError,
  FortnoxUnknownOutcomeError,
  type RedactedRequest,
  type UnknownOutcomeReason,
} from './errors.js';
import { type AttemptFailure, parseRetryAfter } from './retry-policy.js';
import type { ExchangeOutcome } from './transport.js';
import { outcomeToTransportError } from './transport-errors.js';

/** What one attempt came to, before any retry decision. */
export type ClassifiedAttempt<T> =
  /** Final: success, or an error no retry can fix. */
  | { readonly type: 'done'; readonly result: Result<T, FortnoxError> }
  /** 401: the token was rejected (renew and repeat once, when the token can be renewed). */
  | { readonly type: 'unauthorized'; readonly error: FortnoxError }
  /** A failure the retry policy decides on; `error` is returned if it is not retried. */
  | { readonly type: 'failed'; readonly failure: AttemptFailure; readonly error: FortnoxError };

/** How to read an attempt's answer. */
export type AttemptContext<T> = {
  readonly request: RedactedRequest;
  readonly responseSchema: z.ZodType<T> | undefined;
  readonly timeoutMs: number;
  /** A 404 now means done: a DELETE repeated after an ambiguous failure. */
  readonly notFoundMeansDone: boolean;
};

/** The error for a non-idempotent call that may or may not have been carried out. */
export function createUnknownOutcomeError(
  request: RedactedRequest,
  reason: UnknownOutcomeReason,
  extra: { readonly status?: number; readonly cause?: unknown },
): FortnoxError {
  return new FortnoxUnknownOutcomeError({
    reason,
    retryable: false,
    request,
    ...extra,
    message:
      reason === 'unreadable-response'
        ? `${request.method} ${request.path} was carried out but its answer could not be read; look the record up before trying again.`
        : `${request.method} ${request.path} may or may not have been carried out (${reason}); look the record up before trying again.`,
  });
}

function unauthorizedError(
  request: RedactedRequest,
  status: number,
  bodyText: string,
): FortnoxError {
  const code = parseErrorInformation(parseJsonText(bodyText)).unwrapOr(undefined)?.code;
  return new FortnoxAuthError({
    reason: 'unauthorized',
    reconnectRequired: true,
    retryable: false,
    status,
    request,
    ...(code === undefined ? {} : { code }),
    message: `Fortnox rejected the access token (${status}); a person must connect the Fortnox account again.`,
  });
}

function parseBody<T>(
  context: AttemptContext<T>,
  status: number,
  bodyText: string,
): Result<T, FortnoxError> {
  // A schema-less call expects no body (DELETE answers 204).
  if (context.responseSchema === undefined) return ok(undefined as T);
  const parsed = context.responseSchema.safeParse(parseJsonText(bodyText));
  if (parsed.success) return ok(parsed.data);
  const { request } = context;
  return err(
    new FortnoxInvalidResponseError({
      status,
      retryable: false,
      request,
      issues: toValidationIssues(parsed.error),
      message: `Fortnox answered ${request.method} ${request.path} with a body that does not match its API.`,
    }),
  );
}

/** Classifies one exchange (an abort is handled by the caller: it never retries). */
export function classifyAttempt<T>(
  context: AttemptContext<T>,
  outcome: Exclude<ExchangeOutcome, { type: 'aborted' }>,
): ClassifiedAttempt<T> {
  const { request } = context;
  if (outcome.type !== 'response') {
    const failure: AttemptFailure =
      outcome.type === 'timeout' ? { type: 'timeout' } : { type: 'network', sent: outcome.sent };
    return {
      type: 'failed',
      failure,
      error: outcomeToTransportError(outcome, request, context.timeoutMs),
    };
  }
  const { status, bodyText } = outcome;
  if (status >= 200 && status < 300)
    return { type: 'done', result: parseBody(context, status, bodyText) };
  if (status === 404 && context.notFoundMeansDone)
    return { type: 'done', result: ok(undefined as T) };
  if (status === 401)
    return { type: 'unauthorized', error: unauthorizedError(request, status, bodyText) };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(outcome.headers.get('retry-after'), Date.now());
    return {
      type: 'failed',
      failure: { type: 'rate-limited', retryAfterMs },
      // The pipeline replaces it with the actual wait once the retry policy has chosen it.
      error: createRateLimitedError(request, retryAfterMs ?? 0),
    };
  }
  const error = createApiError(status, bodyText, request);
  if (status >= 500) return { type: 'failed', failure: { type: 'server-error', status }, error };
  return { type: 'done', result: err(error) };
}

/** The final `rate-limited` error once the wait is known. */
export function createRateLimitedError(request: RedactedRequest, delayMs: number): FortnoxError {
  return new FortnoxRateLimitedError({
    retryable: true,
    request,
    retryAfterMs: delayMs,
    message: `Fortnox kept answering 429 (rate limited) to ${request.method} ${request.path}; try again in ${Math.ceil(delayMs / 1000)} s.`,
  });
}
