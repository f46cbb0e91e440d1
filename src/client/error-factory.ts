import type { z } from 'zod';
import { explainFortnoxErrorCode, parseErrorInformation } from '../fortnox/index.js';
import {
  FortnoxApiError,
  FortnoxValidationError,
  type FortnoxValidationIssue,
  type RedactedRequest,
} from './errors.js';

/** Parses a body as JSON whatever its Content-Type says (Fortnox labels JSON as text/html at times). */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** zod issues as {@link FortnoxValidationIssue}s: path, code and message, never the input value. */
export function toValidationIssues(error: z.ZodError): FortnoxValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    code: issue.code,
    message: issue.message,
  }));
}

/** A `validation` error about one input, e.g. `createValidationError('customerNumber', 'must not be empty')`. */
export function createValidationError(field: string, problem: string): FortnoxValidationError {
  return new FortnoxValidationError({
    retryable: false,
    issues: [{ path: [field], code: 'custom', message: problem }],
    message: `${field} ${problem}; nothing was sent.`,
  });
}

/** A `validation` error from a failed schema check of `what` (the fields named, never their values). */
export function createSchemaValidationError(
  what: string,
  error: z.ZodError,
): FortnoxValidationError {
  const issues = toValidationIssues(error);
  const fields = [...new Set(issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
  return new FortnoxValidationError({
    retryable: false,
    issues,
    message: `The ${what} is invalid (${fields}); nothing was sent.`,
  });
}

/**
 * Masks the values Fortnox echoes in its messages (e.g. `Värdet innehåller ej tillåtna tecken. ({Value})`):
 * parenthesised and quoted parts, whatever follows a colon, e-mail addresses and runs of six or more
 * digits become `…`, so the Swedish message can be kept without personal data.
 * @example maskEchoedValues('Ogiltig e-post (anna@example.se)') // 'Ogiltig e-post (…)'
 */
export function maskEchoedValues(message: string): string {
  return message
    .replace(/\([^)]*\)/g, '(…)')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/:\s+\S.*$/s, ': …')
    .replace(/\S+@\S+/g, '…')
    .replace(/\+?\d[\d\s-]{4,}\d/g, (run) => (run.replace(/\D/g, '').length >= 6 ? '…' : run));
}

/**
 * An `api` error from an HTTP error answer: Fortnox's ErrorInformation (either casing), a bare
 * `{message}`, or a non-JSON body (HTML during downtime), which leaves code and message unset.
 */
export function createApiError(
  status: number,
  bodyText: string,
  request: RedactedRequest,
): FortnoxApiError {
  const parsed = parseErrorInformation(parseJsonText(bodyText));
  const information = parsed.isOk() ? parsed.value : undefined;
  const code = information?.code;
  const explanation = code === undefined ? undefined : explainFortnoxErrorCode(code);
  const what =
    explanation ??
    (information === undefined ? 'no Fortnox error information in the body' : 'see code');
  return new FortnoxApiError({
    message: `Fortnox answered ${status} to ${request.method} ${request.path}${code === undefined ? '' : ` (code ${code})`}: ${what}`,
    retryable: status >= 500,
    request,
    status,
    ...(code === undefined ? {} : { code }),
    ...(information?.message === undefined
      ? {}
      : { fortnoxMessage: maskEchoedValues(information.message) }),
    ...(explanation === undefined ? {} : { explanation }),
  });
}
