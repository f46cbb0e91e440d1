import { FORTNOX_ERROR_CODES, isKnownFortnoxErrorCode } from '../../fortnox/index.js';

/**
 * Messages as Fortnox's developer documentation publishes them (its "Errors" page); `{Value}` is
 * replaced by the offending value, like Fortnox does. Codes not listed there use the shared table.
 */
const PUBLISHED_MESSAGES: Readonly<Record<number, string>> = {
  1000003: 'System exception',
  2000106: 'Värdet måste vara alfanumeriskt ({Value})',
  2000108: 'Värdet måste vara numeriskt ({Value})',
  2000134: 'Värdet måste vara en boolean ({Value})',
  2000310: 'Ogiltig inloggning',
  2000311: 'Kan inte logga in, access-token eller client-secret saknas(2).',
  2000359: 'Värdet innehåller ej tillåtna tecken. ({Value})',
  2000433: 'Kan inte hitta kunden.',
  2000587: 'Ett ogiltigt filter har använts.',
  2000588: 'Ogiltig parameter i anropet.',
  2000637: 'Kundnummer {Value} används redan. Kundnumret har redan använts men blivit raderat.',
  2001101: 'Det finns ingen aktiv licens för önskat scope',
  2001103: 'Api-licens saknas.',
  2001392: 'Ingen eller felaktig typ av data.',
  2001399: 'Felaktigt fältnamn',
  2002115: 'Error deserializing JSON: JSON_ERROR_SYNTAX',
};

/** Code the emulator uses for a broken constraint whose real Fortnox code is unknown (UNVERIFIED). */
export const INVALID_PARAMETER_CODE = 2000588;

/**
 * Fortnox answers an empty or missing `Name` with the customer-number code 2000637; its message for
 * that case is not documented (UNVERIFIED), so the emulator says what is wrong.
 */
export const EMPTY_NAME_ERROR: ApiError = {
  status: 400,
  code: 2000637,
  message: 'Kunden måste ha ett namn.',
};

/** Fortnox's message for `code`, with `{Value}` filled in. */
export function fortnoxMessage(code: number, value = ''): string {
  const template =
    PUBLISHED_MESSAGES[code] ??
    (isKnownFortnoxErrorCode(code) ? FORTNOX_ERROR_CODES[code].sv : 'Ett fel uppstod.');
  return template.replace('{Value}', value);
}

/** The HTTP status Fortnox answers `code` with (400 for codes we know nothing of). */
function statusOfCode(code: number): number {
  return isKnownFortnoxErrorCode(code) ? FORTNOX_ERROR_CODES[code].httpStatus : 400;
}

/** Which casing the inner keys of `ErrorInformation` use; real traffic shows both. */
export type ErrorCasing = 'lower' | 'upper' | 'alternate';

/** A Fortnox API error as the emulator decides it, before it becomes a response. */
export type ApiError = { readonly status: number; readonly code: number; readonly message: string };

/** Builds an {@link ApiError} with Fortnox's status and message for `code`. */
export function apiError(code: number, value?: string, status = statusOfCode(code)): ApiError {
  return { status, code, message: fortnoxMessage(code, value) };
}

/** A JSON response with Fortnox's headers. */
export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const result = new Response(JSON.stringify(body), { status, headers });
  result.headers.set('Content-Type', 'application/json');
  return result;
}

/**
 * What Fortnox's token endpoint answers (recorded) for a wrong client id or secret: 401, a JSON body
 * labelled `text/plain;charset=UTF-8`.
 */
export function invalidClientResponse(): Response {
  return oauthErrorResponse(
    401,
    'invalid_client',
    'The client credentials are invalid',
    'text/plain;charset=UTF-8',
  );
}

/** `{"ErrorInformation":{"error":1,"message":…,"code":…}}` in the requested inner casing. */
export function errorResponse(
  error: ApiError,
  upper: boolean,
  headers: HeadersInit = {},
): Response {
  const inner = upper
    ? { Error: 1, Message: error.message, Code: error.code }
    : { error: 1, message: error.message, code: error.code };
  return jsonResponse({ ErrorInformation: inner }, error.status, headers);
}

/** What Fortnox answers (recorded) for an expired, unknown or revoked access token: no ErrorInformation. */
export function unauthorizedResponse(): Response {
  return jsonResponse({ message: 'unauthorized' }, 401);
}

/** An OAuth error body (`{error, error_description}`), with the content type Fortnox really sends. */
export function oauthErrorResponse(
  status: number,
  error: string,
  description: string,
  contentType = 'application/json',
): Response {
  return new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'Content-Type': contentType },
  });
}
