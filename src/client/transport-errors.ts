import type {
  FortnoxAbortedError,
  FortnoxNetworkError,
  FortnoxTimeoutError,
  RedactedRequest,
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
      return {
        kind: 'network',
        retryable: true,
        request,
        cause: outcome.cause,
        message: `Could not reach Fortnox for ${request.method} ${request.path}${outcome.sent ? ' (the connection broke)' : ' (could not connect)'}.`,
      };
    case 'timeout':
      return {
        kind: 'timeout',
        retryable: true,
        request,
        timeoutMs,
        message: `${request.method} ${request.path} timed out after ${timeoutMs} ms.`,
      };
    case 'aborted':
      return {
        kind: 'aborted',
        retryable: false,
        request,
        cause: outcome.cause,
        message: `${request.method} ${request.path} was aborted.`,
      };
  }
}
