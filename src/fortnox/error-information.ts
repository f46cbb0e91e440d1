/** Fortnox's error body, normalised: the inner keys come as `error/message/code` or `Error/Message/Code`. */
export type ErrorInformation = {
  readonly error: number | undefined;
  readonly message: string | undefined;
  readonly code: number | undefined;
};

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
 * `{"message": ...}` some errors use. Returns `undefined` when the body is neither.
 */
export function parseErrorInformation(body: unknown): ErrorInformation | undefined {
  if (!isRecord(body)) return undefined;
  const inner = pick(body, 'ErrorInformation');
  const source = isRecord(inner) ? inner : body;
  const message = pick(source, 'message');
  const code = toInteger(pick(source, 'code'));
  const error = toInteger(pick(source, 'error'));
  if (typeof message !== 'string' && code === undefined) return undefined;
  return { error, message: typeof message === 'string' ? message : undefined, code };
}
