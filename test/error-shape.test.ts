/**
 * One error shape across the library (issue 8 §5): every family is an `Error` subclass with a literal
 * `name`, discriminated by `kind`, an English `message` string, `userMessage: { sv, en }` and `cause`,
 * and serialises without stack, cause or secrets.
 */
import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createDuplicateWarning } from '../src/duplicates/duplicate-warning.js';
import {
  type DuplicateWarning,
  type DuplicateWarningCode,
  ErrorInformationError,
  FORTNOX_ERROR_KINDS,
  FortnoxAbortedError,
  FortnoxApiError,
  FortnoxAuthError,
  type FortnoxError,
  type FortnoxErrorKind,
  FortnoxInvalidResponseError,
  FortnoxNetworkError,
  FortnoxRateLimitedError,
  FortnoxSyncError,
  FortnoxTimeoutError,
  FortnoxUnknownOutcomeError,
  FortnoxValidationError,
  IdentifierError,
  isFortnoxError,
  isIdentifierError,
  isMappingError,
  type LocalizedMessage,
  MappingError,
  type MappingIssue,
  type MappingWarning,
  type PlanWarning,
  parseErrorInformation,
  parseOrganisationNumber,
  parsePersonalIdentityNumber,
  toFortnoxCustomer,
} from '../src/index.js';
import { StorageError } from '../src/storage/storage-error.js';
import { syncErrors } from '../src/sync/sync-engine-error.js';

const request = { method: 'PUT', path: '/3/customers/{CustomerNumber}' };
const SECRET = 'refresh-token-7f3a9c';

/** One error of every client kind, as the client builds them. */
const clientErrors: Record<FortnoxErrorKind, FortnoxError> = {
  api: new FortnoxApiError({
    message: 'api',
    retryable: false,
    request,
    status: 400,
    code: 2000359,
  }),
  auth: new FortnoxAuthError({
    message: 'auth',
    retryable: false,
    reason: 'invalid-grant',
    reconnectRequired: true,
    cause: new Error(`store said ${SECRET}`),
  }),
  'rate-limited': new FortnoxRateLimitedError({
    message: 'rate',
    retryable: true,
    request,
    retryAfterMs: 5000,
  }),
  network: new FortnoxNetworkError({
    message: 'network',
    retryable: true,
    request,
    cause: new TypeError('fetch failed'),
  }),
  timeout: new FortnoxTimeoutError({ message: 'timeout', retryable: true, request, timeoutMs: 1 }),
  'invalid-response': new FortnoxInvalidResponseError({
    message: 'invalid',
    retryable: false,
    request,
    status: 200,
    issues: [],
  }),
  validation: new FortnoxValidationError({ message: 'validation', retryable: false, issues: [] }),
  'unknown-outcome': new FortnoxUnknownOutcomeError({
    message: 'unknown',
    retryable: false,
    request,
    reason: 'timeout',
  }),
  aborted: new FortnoxAbortedError({ message: 'aborted', retryable: false }),
};

const mappingError = toFortnoxCustomer({
  id: 'c-1',
  type: 'private',
  name: '',
  organisationNumber: '090527 1474',
  active: true,
})._unsafeUnwrapErr();
const identifierError = parsePersonalIdentityNumber('20150916-0006')._unsafeUnwrapErr();
const informationError = parseErrorInformation('<html>')._unsafeUnwrapErr();

const everyFamily: [string, FortnoxSyncError][] = [
  ...Object.values(clientErrors).map((error): [string, FortnoxSyncError] => [error.kind, error]),
  ['mapping', mappingError],
  ['identifier', identifierError],
  ['error-information', informationError],
  ['forbidden', syncErrors.forbidden('connect')],
  ['storage', new StorageError('corrupt-row', 'A row of the outbox store is corrupt')],
];

describe('one error shape', () => {
  it.each(everyFamily)(
    '%s: an Error with a literal name, kind, string message and userMessage',
    (kind, error) => {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(FortnoxSyncError);
      expect(error.kind).toBe(kind);
      expect(error.name).toMatch(/^[A-Z]\w+Error$/);
      expect(error.name).toBe(error.constructor.name);
      expect(typeof error.message).toBe('string');
      expect(`${error.message}`).not.toContain('[object Object]');
      expect(String(error)).toBe(`${error.name}: ${error.message}`);
      expect(error.userMessage.sv.length).toBeGreaterThan(10);
      expect(error.userMessage.en.length).toBeGreaterThan(10);
      expect(error.userMessage.sv).not.toBe(error.userMessage.en);
      expect(error.stack).toContain(error.name);
    },
  );

  it.each(everyFamily)(
    '%s: JSON has kind, message and userMessage, never stack or cause',
    (_, error) => {
      const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
      expect(json).toMatchObject({
        name: error.name,
        kind: error.kind,
        message: error.message,
        userMessage: error.userMessage,
      });
      expect(json).not.toHaveProperty('stack');
      expect(json).not.toHaveProperty('cause');
      // What pino's error serializer copies besides message and stack: the own enumerable keys.
      expect(Object.keys(error)).not.toContain('cause');
      expect(Object.keys(error)).not.toContain('stack');
    },
  );

  it('keeps the cause on the error for debugging, out of its JSON', () => {
    const { auth } = clientErrors;
    expect(auth.cause).toBeInstanceOf(Error);
    expect(JSON.stringify(auth)).not.toContain(SECRET);
    // util.inspect shows the cause, as for any Error: what a cause holds is its producer's business.
    expect(inspect(clientErrors.network)).toContain('fetch failed');
  });

  it('the guards recognise instances and their JSON form, and tell the families apart', () => {
    const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    for (const error of Object.values(clientErrors)) {
      expect(isFortnoxError(error)).toBe(true);
      expect(isFortnoxError(roundTrip(error))).toBe(true);
      expect(isMappingError(error) || isIdentifierError(error)).toBe(false);
    }
    expect(isMappingError(mappingError)).toBe(true);
    expect(isMappingError(roundTrip(mappingError))).toBe(true);
    expect(isIdentifierError(identifierError)).toBe(true);
    expect(isIdentifierError(roundTrip(identifierError))).toBe(true);
    expect(isFortnoxError(mappingError) || isFortnoxError(identifierError)).toBe(false);
    expect(isFortnoxError(informationError) || isMappingError(informationError)).toBe(false);
    expect(isFortnoxError(new Error('api'))).toBe(false);
  });

  it('instanceof tells the kinds apart', () => {
    expect(clientErrors.api).toBeInstanceOf(FortnoxApiError);
    expect(clientErrors.api).not.toBeInstanceOf(FortnoxAuthError);
    expect(mappingError).toBeInstanceOf(MappingError);
    expect(identifierError).toBeInstanceOf(IdentifierError);
    expect(informationError).toBeInstanceOf(ErrorInformationError);
    expect(mappingError.issues[1]?.cause).toBeInstanceOf(IdentifierError);
  });

  it('an IdentifierError has kind identifier; its message is the English of its userMessage', () => {
    const error = parseOrganisationNumber('556036-0794')._unsafeUnwrapErr();
    expect(error).toMatchObject({
      kind: 'identifier',
      identifier: 'organisation-number',
      code: 'invalid-checksum',
      message: error.userMessage.en,
    });
  });

  it('a MappingError message names fields and codes in English, never values', () => {
    expect(mappingError.message).toBe(
      'The customer cannot be mapped to Fortnox: 2 problems: name (required), organisationNumber (ambiguous-century).',
    );
    expect(mappingError.userMessage).toEqual({
      sv: 'Kunduppgifterna har 2 fel som måste rättas.',
      en: 'The customer data has 2 problems to correct.',
    });
    for (const issue of mappingError.issues) expect(issue.message).toBe(issue.userMessage.en);
  });
});

describe('the client errors speak to a person', () => {
  it('every kind has its own words', () => {
    const swedish = FORTNOX_ERROR_KINDS.map((kind) => clientErrors[kind].userMessage.sv);
    expect(new Set(swedish).size).toBe(FORTNOX_ERROR_KINDS.length);
  });

  it.each<[number, number | undefined, RegExp, RegExp]>([
    [400, 2000359, /Otillåtna tecken/, /characters Fortnox does not allow/],
    [400, 2000637, /Kundnumret används redan/, /customer number is already used/],
    [404, 2000433, /Kan inte hitta kunden/, /customer was not found/],
    [403, 2001103, /Licens för API saknas/, /API licence/],
    [500, 1000003, /Försök igen/, /Try again/],
    [503, undefined, /tillfälliga problem/, /temporary problems/],
    [403, 42, /behörighet eller licens.*felkod 42/, /permission or licence.*error code 42/],
    [400, undefined, /avvisade anropet/, /rejected the request/],
  ])('api %i with code %s', (status, code, sv, en) => {
    const error = new FortnoxApiError({
      message: 'x',
      retryable: false,
      status,
      ...(code === undefined ? {} : { code }),
    });
    expect(error.userMessage.sv).toMatch(sv);
    expect(error.userMessage.en).toMatch(en);
  });

  it('auth: a person must reconnect when the connection is gone; otherwise it says what failed', () => {
    expect(clientErrors.auth.userMessage.sv).toMatch(/koppla Fortnox igen/);
    const store = new FortnoxAuthError({
      message: 'x',
      retryable: true,
      reason: 'token-store-failed',
      reconnectRequired: false,
    });
    expect(store.userMessage.en).toMatch(/could not be read or saved/);
    const badClient = new FortnoxAuthError({
      message: 'x',
      retryable: false,
      reason: 'invalid-client',
      reconnectRequired: false,
    });
    expect(badClient.userMessage.sv).toMatch(/klient-id eller hemlighet/);
  });
});

describe("warnings have the errors' shape", () => {
  it('every DuplicateWarning: a code, an English message naming it, userMessage { sv, en }', () => {
    const codes = {
      'multiple-matches': true,
      'blocking-limit': true,
      'invalid-identity-number': true,
      'shared-target': true,
      'conflicting-external-reference': true,
    } satisfies Record<DuplicateWarningCode, true>;
    for (const code of Object.keys(codes) as DuplicateWarningCode[]) {
      const warning = createDuplicateWarning(code, ['12', '40']);
      expect(warning).toEqual({
        code,
        message: expect.stringContaining(code),
        userMessage: { sv: expect.any(String), en: expect.any(String) },
        customerNumbers: ['12', '40'],
      });
      expect(warning.message).not.toBe(warning.userMessage.en);
    }
  });
});

describe('types', () => {
  it('message is a string and userMessage a LocalizedMessage in every family', () => {
    expectTypeOf<FortnoxError['message']>().toEqualTypeOf<string>();
    expectTypeOf<MappingError['message']>().toEqualTypeOf<string>();
    expectTypeOf<MappingIssue['message']>().toEqualTypeOf<string>();
    expectTypeOf<IdentifierError['message']>().toEqualTypeOf<string>();
    expectTypeOf<ErrorInformationError['message']>().toEqualTypeOf<string>();
    expectTypeOf<FortnoxError['userMessage']>().toEqualTypeOf<LocalizedMessage>();
    expectTypeOf<MappingError['userMessage']>().toEqualTypeOf<LocalizedMessage>();
    expectTypeOf<MappingIssue['userMessage']>().toEqualTypeOf<LocalizedMessage>();
    expectTypeOf<IdentifierError['userMessage']>().toEqualTypeOf<LocalizedMessage>();
    expectTypeOf<ErrorInformationError['userMessage']>().toEqualTypeOf<LocalizedMessage>();
    expectTypeOf<FortnoxError['cause']>().toEqualTypeOf<unknown>();
  });

  it('warnings have the same message and userMessage', () => {
    expectTypeOf<DuplicateWarning['message']>().toEqualTypeOf<string>();
    expectTypeOf<DuplicateWarning['userMessage']>().toEqualTypeOf<LocalizedMessage>();
    expectTypeOf<PlanWarning['message']>().toEqualTypeOf<string>();
    expectTypeOf<PlanWarning['userMessage']>().toEqualTypeOf<LocalizedMessage>();
    expectTypeOf<MappingWarning['message']>().toEqualTypeOf<string>();
    expectTypeOf<MappingWarning['userMessage']>().toEqualTypeOf<LocalizedMessage>();
  });

  it('kind is a literal discriminant in every family', () => {
    expectTypeOf<MappingError['kind']>().toEqualTypeOf<'mapping'>();
    expectTypeOf<IdentifierError['kind']>().toEqualTypeOf<'identifier'>();
    expectTypeOf<ErrorInformationError['kind']>().toEqualTypeOf<'error-information'>();
    expectTypeOf<Extract<FortnoxError, { kind: 'api' }>>().toEqualTypeOf<FortnoxApiError>();
    expectTypeOf<FortnoxApiError['name']>().toEqualTypeOf<'FortnoxApiError'>();
    expectTypeOf<FortnoxRateLimitedError['status']>().toEqualTypeOf<429>();
  });
});
