import { err, errAsync, type Result, ResultAsync } from 'neverthrow';
import type { z } from 'zod';
import {
  type ClassifiedAttempt,
  classifyAttempt,
  createRateLimitedError,
  createUnknownOutcomeError,
} from './attempt-outcome.js';
import { MAX_TIMER_MS, sleep } from './clock.js';
import { createValidationError } from './error-factory.js';
import { type FortnoxError, FortnoxNetworkError, type RedactedRequest } from './errors.js';
import type { EventEmitter } from './hooks.js';
import type { ResolvedFortnoxClientOptions } from './options.js';
import type { RateLimitRelease } from './rate-limiter.js';
import { type AttemptFailure, decideRetry } from './retry-policy.js';
import type { TokenManager } from './token-manager.js';
import type { Transport } from './transport.js';
import { createAbortedError } from './transport-errors.js';

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

function buildUrl(prefix: string, path: string, query: URLSearchParams | undefined): string {
  const search = query === undefined ? '' : query.toString();
  return search === '' ? prefix + path : `${prefix}${path}?${search}`;
}

/** Creates the pipeline of one client. */
export function createRequestPipeline(deps: Dependencies): RequestPipeline {
  const { options, transport, tokens, events } = deps;
  const { clock, rateLimiter, rateLimitKey, retry, random } = options;
  // Paths are appended to the base (it has no query or fragment: the options refuse them).
  const prefix = options.apiBaseUrl.href.replace(/\/$/, '');

  /** Ends a rate-limit slot: Fortnox has counted the request by the time its answer is in. */
  const warnRelease = () =>
    events.warn('fortnox rate limiter failed to release a slot', { key: rateLimitKey });
  function endSlot(release: RateLimitRelease | undefined): void {
    if (release === undefined) return;
    try {
      const ended: unknown = release();
      // Only a custom limiter's asynchronous release returns a promise; the built-in one returns nothing.
      if (typeof (ended as PromiseLike<void> | undefined)?.then === 'function') {
        Promise.resolve(ended).catch(warnRelease);
      }
    } catch {
      warnRelease();
    }
  }

  async function run<T>(spec: RequestSpec<T>, call: CallOptions): Promise<Result<T, FortnoxError>> {
    const { method, pathTemplate: path } = spec;
    const request: RedactedRequest = { method, path };
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const { signal } = call;
    const url = buildUrl(prefix, spec.path, spec.query);
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    let renewedAfter401 = false;
    let ambiguousBefore = false;
    for (let attempt = 1; ; attempt += 1) {
      // Token first: a slow refresh must not hold a rate-limit slot it does not use.
      const token = await tokens.getAccessToken(signal);
      if (token.isErr()) return err(token.error);
      let release: RateLimitRelease | undefined;
      try {
        release = (await rateLimiter.acquire(rateLimitKey, signal)) ?? undefined;
      } catch (cause) {
        if (signal?.aborted) return err(createAbortedError(request, cause));
        return err(
          new FortnoxNetworkError({
            retryable: true,
            request,
            cause,
            message: 'The rate limiter failed.',
          }),
        );
      }
      events.request({ method, path, attempt });
      const started = clock.now();
      let outcome: Awaited<ReturnType<typeof transport>>;
      try {
        outcome = await transport({
          method,
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
      } finally {
        endSlot(release);
      }
      if (outcome.type === 'aborted') {
        // An abort after a POST went out leaves its outcome unknown.
        if (method !== 'POST') return err(createAbortedError(request, outcome.cause));
        return err(createUnknownOutcomeError(request, 'aborted', { cause: outcome.cause }));
      }
      if (outcome.type === 'response') {
        events.response({
          method,
          path,
          attempt,
          status: outcome.status,
          durationMs: clock.now() - started,
        });
      }
      const notFoundMeansDone: boolean = spec.notFoundMeansDone === true && ambiguousBefore;
      const classified: ClassifiedAttempt<T> = classifyAttempt(
        { request, responseSchema: spec.responseSchema, timeoutMs, notFoundMeansDone },
        outcome,
      );
      if (classified.type === 'done') {
        const { result } = classified;
        // A create that answered 2xx did happen: without its body, only a lookup can tell which record.
        if (method === 'POST' && result.isErr() && result.error.kind === 'invalid-response') {
          const { status } = result.error;
          return err(
            createUnknownOutcomeError(request, 'unreadable-response', {
              status,
              cause: result.error,
            }),
          );
        }
        return result;
      }
      if (classified.type === 'unauthorized') {
        if (!tokens.canRenew || renewedAfter401) return err(classified.error);
        // Rejected token (revoked or expired early): renew once and repeat; a 401 was not executed.
        tokens.invalidate(token.value);
        renewedAfter401 = true;
        events.retry({ method, path, attempt, reason: 'unauthorized', delayMs: 0, status: 401 });
        continue;
      }
      const failure: AttemptFailure = classified.failure;
      let { error } = classified;
      const decision = decideRetry(method, failure, attempt, retry, random);
      if (failure.type === 'rate-limited') {
        const delayMs = decision.delayMs ?? 0;
        // A giant Retry-After ends this call; other calls wait at most maxRetryAfterMs, then probe.
        try {
          await rateLimiter.pause(rateLimitKey, Math.min(delayMs, retry.maxRetryAfterMs));
        } catch {
          // This call still waits `delayMs` below; only the other calls are not held back.
          events.warn('fortnox rate limiter failed to pause', { key: rateLimitKey });
        }
        events.rateLimited({
          method,
          path,
          attempt,
          delayMs,
          fromRetryAfter: failure.retryAfterMs !== undefined,
        });
        error = createRateLimitedError(request, delayMs);
      }
      if (!decision.retry) {
        if (!decision.outcomeUnknown) return err(error);
        const reason =
          failure.type === 'server-error' || failure.type === 'timeout' ? failure.type : 'network';
        const status = failure.type === 'server-error' ? { status: failure.status } : {};
        return err(createUnknownOutcomeError(request, reason, { ...status, cause: error }));
      }
      ambiguousBefore ||=
        failure.type !== 'rate-limited' && !(failure.type === 'network' && !failure.sent);
      const status =
        failure.type === 'server-error'
          ? { status: failure.status }
          : failure.type === 'rate-limited'
            ? { status: 429 }
            : {};
      events.retry({
        method,
        path,
        attempt,
        reason: failure.type,
        delayMs: decision.delayMs,
        ...status,
      });
      try {
        await sleep(clock, decision.delayMs, signal);
      } catch (cause) {
        return err(createAbortedError(request, cause));
      }
    }
  }

  return {
    send(spec, call = {}) {
      const { timeoutMs } = call;
      if (
        timeoutMs !== undefined &&
        !(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_TIMER_MS)
      ) {
        return errAsync(
          createValidationError('timeoutMs', `must be an integer from 1 to ${MAX_TIMER_MS} (ms)`),
        );
      }
      return new ResultAsync(run(spec, call));
    },
  };
}
