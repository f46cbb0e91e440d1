import {
  FortnoxAbortedError,
  FortnoxNetworkError,
  FortnoxTimeoutError,
  type RedactedRequest,
} from './errors.js';
import type { ExchangeOutcome } from './transport.js';

/** The error for an exchange that got no HTTP answer (for calls that are safe to repeat). */
export function outcomeToTransportError(
  outcome: Exclude<ExchangeOutcome, { type: 'response' }>,
  request: RedactedRequest,
  timeoutMs: number,
): FortnoxNetworkError | FortnoxTimeoutError | FortnoxAbortedError {
  switch (outcome.type) {
    case 'network':
      return new FortnoxNetworkError({
        retryable: true,
        request,
        cause: outcome.cause,
        message: `Could not reach Fortnox for ${request.method} ${request.path}${outcome.sent ? ' (the connection broke)' : ' (could not connect)'}.`,
      });
    case 'timeout':
      return new FortnoxTimeoutError({
        retryable: true,
        request,
        timeoutMs,
        message: `${request.method} ${request.path} timed out after ${timeoutMs} ms.`,
      });
    case 'aborted':
      return createAbortedError(request, outcome.cause);
  }
}

/** The error for a call its caller's `AbortSignal` stopped (`request` when it got that far). */
export function createAbortedError(
  request: RedactedRequest | undefined,
  cause: unknown,
): FortnoxAbortedError {
  return new FortnoxAbortedError({
    retryable: false,
    cause,
    ...(request === undefined ? {} : { request }),
    message:
      request === undefined
        ? 'The call was aborted.'
        : `${request.method} ${request.path} was aborted.`,
  });
}
