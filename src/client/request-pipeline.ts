import { err, ok, type Result, ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import { parseErrorInformation } from '../fortnox/index.js';
import { sleep } from './clock.js';
import { createApiError, parseJsonText, toValidationIssues } from './error-factory.js';
import type { FortnoxError, RedactedRequest } from './errors.js';
import type { EventEmitter, RetryReason } from './hooks.js';
import type { ResolvedFortnoxClientOptions } from './options.js';
import { type AttemptFailure, decideRetry, parseRetryAfter } from './retry-policy.js';
import type { TokenManager } from './token-manager.js';
import type { ExchangeOutcome, Transport } from './transport.js';
import { outcomeToTransportError } from './transport-errors.js';

/** Per-call options of every client method. */
export type CallOptions = {
  /** Aborts the call: waiting for a rate-limit slot, back-off, and the request itself. */
  readonly signal?: AbortSignal;
  /** Per-attempt timeout in ms for this call. @defaultValue the client's `timeoutMs` */
  readonly timeoutMs?: number;
};

/** One API call to make. */
export type RequestSpec<T> = {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The real path, customer number URL-encoded. */
  readonly path: string;
  /** The path without personal data, for events and errors. */
  readonly pathTemplate: string;
  readonly query?: URLSearchParams;
  /** JSON body. */
  readonly body?: unknown;
  /** Schema of a 2xx body; `undefined` expects no body (204). */
  readonly responseSchema: z.ZodType<T> | undefined;
  /** A 404 after an ambiguous failed attempt means done (a DELETE that went through). */
  readonly notFoundMeansDone?: boolean;
};

/** Sends API requests: rate limit → token → HTTP → status handling → retry. */
export type RequestPipeline = {
  send<T>(spec: RequestSpec<T>, call?: CallOptions): ResultAsync<T, FortnoxError>;
};

type Dependencies = {
  readonly options: ResolvedFortnoxClientOptions;
  readonly transport: Transport;
  readonly tokens: TokenManager;
  readonly events: EventEmitter;
};

function buildUrl(base: URL, path: string, query: URLSearchParams | undefined): URL {
  const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
  if (query !== undefined) url.search = query.toString();
  return url;
}

function unknownOutcome(
  request: RedactedRequest,
  reason: 'network' | 'timeout' | 'server-error' | 'aborted',
  extra: { status?: number; cause?: unknown },
): FortnoxError {
  return {
    kind: 'unknown-outcome',
    reason,
    retryable: false,
    request,
    ...extra,
    message: `${request.method} ${request.path} may or may not have been carried out (${reason}); look the record up before trying again.`,
  };
}

function unauthorized(request: RedactedRequest, status: number, bodyText: string): FortnoxError {
  const code = parseErrorInformation(parseJsonText(bodyText))?.code;
  return {
    kind: 'auth',
    reason: 'unauthorized',
    reconnectRequired: true,
    retryable: false,
    status,
    request,
    ...(code === undefined ? {} : { code }),
    message: `Fortnox rejected the access token (${status}); a person must connect the Fortnox account again.`,
  };
}

function parseBody<T>(
  spec: RequestSpec<T>,
  status: number,
  bodyText: string,
  request: RedactedRequest,
): Result<T, FortnoxError> {
  if (spec.responseSchema === undefined) return ok(undefined as T);
  const parsed = spec.responseSchema.safeParse(parseJsonText(bodyText));
  if (parsed.success) return ok(parsed.data);
  return err({
    kind: 'invalid-response',
    status,
    retryable: false,
    request,
    issues: toValidationIssues(parsed.error),
    message: `Fortnox answered ${request.method} ${request.path} with a body that does not match its API.`,
  });
}

/** Creates the pipeline of one client. */
export function createRequestPipeline(deps: Dependencies): RequestPipeline {
  const { options, transport, tokens, events } = deps;
  const { clock, rateLimiter, rateLimitKey, retry, random } = options;

  async function run<T>(spec: RequestSpec<T>, call: CallOptions): Promise<Result<T, FortnoxError>> {
    const request: RedactedRequest = { method: spec.method, path: spec.pathTemplate };
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const { signal } = call;
    const url = buildUrl(options.apiBaseUrl, spec.path, spec.query);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const aborted = (cause: unknown): FortnoxError => ({
      kind: 'aborted',
      retryable: false,
      request,
      cause,
      message: `${request.method} ${request.path} was aborted.`,
    });
    let renewedAfter401 = false;
    let ambiguousBefore = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await rateLimiter.acquire(rateLimitKey, signal);
      } catch (cause) {
        if (signal?.aborted) return err(aborted(cause));
        return err({
          kind: 'network',
          retryable: true,
          request,
          cause,
          message: 'The rate limiter failed.',
        });
      }
      const token = await tokens.getAccessToken(signal);
      if (token.isErr()) return err(token.error);
      events.request({ method: spec.method, path: spec.pathTemplate, attempt });
      const started = clock.now();
      const outcome: ExchangeOutcome = await transport({
        method: spec.method,
        url,
        headers: {
          Authorization: `Bearer ${token.value}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        timeoutMs,
        signal,
      });
      let failure: AttemptFailure;
      let lastError: FortnoxError;
      if (outcome.type === 'response') {
        const { status, bodyText } = outcome;
        events.response({
          method: spec.method,
          path: spec.pathTemplate,
          attempt,
          status,
          durationMs: clock.now() - started,
        });
        if (status >= 200 && status < 300) return parseBody(spec, status, bodyText, request);
        if (status === 404 && spec.notFoundMeansDone && ambiguousBefore) return ok(undefined as T);
        if (status === 401) {
          if (!tokens.canRenew || renewedAfter401)
            return err(unauthorized(request, status, bodyText));
          // The token was rejected (revoked or expired early): renew once and repeat; a 401 means not executed.
          tokens.invalidate(token.value);
          renewedAfter401 = true;
          events.retry({
            method: spec.method,
            path: spec.pathTemplate,
            attempt,
            reason: 'unauthorized',
            delayMs: 0,
            status,
          });
          continue;
        }
        if (status === 429) {
          const retryAfterMs = parseRetryAfter(outcome.headers.get('retry-after'), Date.now());
          failure = { type: 'rate-limited', retryAfterMs };
          lastError = {
            kind: 'rate-limited',
            status: 429,
            retryable: true,
            request,
            retryAfterMs: 0,
            message: '',
          };
        } else if (status >= 500) {
          failure = { type: 'server-error', status };
          lastError = createApiError(status, bodyText, request);
        } else {
          return err(createApiError(status, bodyText, request));
        }
      } else if (outcome.type === 'aborted') {
        // An abort after a POST went out leaves its outcome unknown.
        return err(
          spec.method === 'POST'
            ? unknownOutcome(request, 'aborted', { cause: outcome.cause })
            : aborted(outcome.cause),
        );
      } else {
        failure =
          outcome.type === 'timeout'
            ? { type: 'timeout' }
            : { type: 'network', sent: outcome.sent };
        lastError = outcomeToTransportError(outcome, request, timeoutMs);
      }
      const decision = decideRetry(spec.method, failure, attempt, retry, random);
      if (failure.type === 'rate-limited') {
        const delayMs = decision.delayMs ?? 0;
        await rateLimiter.pause(rateLimitKey, delayMs);
        events.rateLimited({
          method: spec.method,
          path: spec.pathTemplate,
          attempt,
          delayMs,
          fromRetryAfter: failure.retryAfterMs !== undefined,
        });
        lastError = {
          kind: 'rate-limited',
          status: 429,
          retryable: true,
          request,
          retryAfterMs: delayMs,
          message: `Fortnox kept answering 429 (rate limited) to ${request.method} ${request.path}; try again in ${Math.ceil(delayMs / 1000)} s.`,
        };
      }
      if (!decision.retry) {
        if (!decision.outcomeUnknown) return err(lastError);
        const reason =
          failure.type === 'server-error'
            ? 'server-error'
            : failure.type === 'timeout'
              ? 'timeout'
              : 'network';
        const status = failure.type === 'server-error' ? { status: failure.status } : {};
        return err(unknownOutcome(request, reason, { ...status, cause: lastError }));
      }
      ambiguousBefore ||=
        failure.type !== 'rate-limited' && !(failure.type === 'network' && !failure.sent);
      const reason: RetryReason = failure.type;
      events.retry({
        method: spec.method,
        path: spec.pathTemplate,
        attempt,
        reason,
        delayMs: decision.delayMs,
        ...('status' in failure ? { status: failure.status } : {}),
      });
      try {
        await sleep(clock, decision.delayMs, signal);
      } catch (cause) {
        return err(aborted(cause));
      }
    }
  }

  return {
    send: (spec, call = {}) => new ResultAsync(run(spec, call)),
  };
}
