import { err, ok, type Result } from 'neverthrow';
import { FortnoxSyncError } from './sync-error.js';

/** Fortnox's error body, normalised: the inner keys come as `error/message/code` or `Error/Message/Code`. */
export type ErrorInformation = {
  /** Fortnox's `error` field (always `1` in practice). */
  readonly error: number | undefined;
  /** Fortnox's own Swedish message. It may echo the values sent: mask it before logging it. */
  readonly message: string | undefined;
  /** Fortnox's error code, e.g. `2000433` (see `FORTNOX_ERROR_CODES`). */
  readonly code: number | undefined;
};

/** A body that is not Fortnox's ErrorInformation (an OAuth error, HTML during downtime, nothing). */
export class ErrorInformationError extends FortnoxSyncError {
  override readonly name = 'ErrorInformationError';
  readonly kind = 'error-information';

  constructor() {
    super(
      'The body is not Fortnox ErrorInformation: neither {"ErrorInformation": {…}} nor {"message": …}.',
      {
        userMessage: {
          sv: 'Fortnox svar innehöll ingen felbeskrivning.',
          en: "Fortnox's answer held no error description.",
        },
      },
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a key case-insensitively: Fortnox sends both casings at both levels. */
function pick(record: Record<string, unknown>, key: string): unknown {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(record)) {
    if (name.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/**
 * Parses Fortnox's `{"ErrorInformation": {...}}` body (either casing, numbers as strings) or the bare
 * `{"message": ...}` some errors use; an {@link ErrorInformationError} when the body is neither.
 * @example
 * parseErrorInformation({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta kunden.', Code: '2000433' } })
 * // ok({ error: 1, message: 'Kan inte hitta kunden.', code: 2000433 })
 */
export function parseErrorInformation(
  body: unknown,
): Result<ErrorInformation, ErrorInformationError> {
  if (!isRecord(body)) return err(new ErrorInformationError());
  const inner = pick(body, 'ErrorInformation');
  const source = isRecord(inner) ? inner : body;
  const message = pick(source, 'message');
  const code = toInteger(pick(source, 'code'));
  const error = toInteger(pick(source, 'error'));
  if (typeof message !== 'string' && code === undefined) return err(new ErrorInformationError());
  return ok({ error, message: typeof message === 'string' ? message : undefined, code });
}
