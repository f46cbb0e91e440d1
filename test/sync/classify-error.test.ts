import { describe, expect, it } from 'vitest';
import type { FortnoxError } from '../../src/client/index.js';
import { parseSourceCustomer } from '../../src/mapping/index.js';
import { classifyFortnoxError, storedMappingError } from '../../src/sync/classify-error.js';
import {
  SyncEngineError,
  syncErrors,
  toSyncEngineError,
} from '../../src/sync/sync-engine-error.js';

const base = { message: 'English words.', retryable: false } as const;
/** A client error as data (works whether the client's errors are plain objects or Error classes). */
const asError = (value: object): FortnoxError => value as unknown as FortnoxError;

describe('classifyFortnoxError', () => {
  it.each<[string, object, 'transient' | 'pause' | 'permanent']>([
    ['network', { ...base, kind: 'network' }, 'transient'],
    ['timeout', { ...base, kind: 'timeout', timeoutMs: 10 }, 'transient'],
    ['429', { ...base, kind: 'rate-limited', status: 429, retryAfterMs: 5 }, 'transient'],
    ['5xx', { ...base, kind: 'api', status: 503 }, 'transient'],
    ['unknown outcome', { ...base, kind: 'unknown-outcome', reason: 'network' }, 'transient'],
    ['unreadable', { ...base, kind: 'invalid-response', status: 200, issues: [] }, 'transient'],
    ['aborted', { ...base, kind: 'aborted' }, 'transient'],
    [
      'dead token',
      { ...base, kind: 'auth', reason: 'invalid-grant', reconnectRequired: true },
      'pause',
    ],
    [
      'token store hiccup',
      { ...base, kind: 'auth', reason: 'token-store-failed', reconnectRequired: false },
      'transient',
    ],
    ['licence 2001101', { ...base, kind: 'api', status: 403, code: 2001101 }, 'pause'],
    ['licence 2001103', { ...base, kind: 'api', status: 403, code: 2001103 }, 'pause'],
    ['scope 2000663', { ...base, kind: 'api', status: 403, code: 2000663 }, 'pause'],
    ['2000359', { ...base, kind: 'api', status: 400, code: 2000359 }, 'permanent'],
    ['2000637', { ...base, kind: 'api', status: 400, code: 2000637 }, 'permanent'],
    ['unknown 4xx', { ...base, kind: 'api', status: 400, code: 1234 }, 'permanent'],
    [
      'client validation',
      {
        ...base,
        kind: 'validation',
        issues: [{ path: ['Customer', 'Email'], code: 'custom', message: 'bad' }],
      },
      'permanent',
    ],
  ])('%s → %s', (_name, error, expected) => {
    const classified = classifyFortnoxError(asError(error));
    expect(classified.class).toBe(expected);
    expect(classified.error.kind).toBe(asError(error).kind);
    expect(classified.error.message).toBe('English words.');
    expect(classified.error.userMessage.sv.length).toBeGreaterThan(10);
    expect(classified.error.userMessage.en.length).toBeGreaterThan(10);
  });

  it('uses the known Fortnox code’s words and keeps the code', () => {
    const { error } = classifyFortnoxError(
      asError({ ...base, kind: 'api', status: 400, code: 2000359 }),
    );
    expect(error.code).toBe('2000359');
    expect(error.userMessage.sv).toMatch(/Otillåtna tecken/);
    expect(error.userMessage.en).toMatch(/characters Fortnox does not allow/);
  });

  it('names the field of a client validation error', () => {
    const { error } = classifyFortnoxError(
      asError({
        ...base,
        kind: 'validation',
        issues: [{ path: ['Customer', 'Email'], code: 'custom', message: 'bad' }],
      }),
    );
    expect(error.field).toBe('Email');
  });

  it('keeps the words a refusal brings itself (userMessage, after the Error-subclass change)', () => {
    const own = { sv: 'Egna ord.', en: 'Own words.' };
    const refusal = asError({ ...base, kind: 'api', status: 400, code: 2000359, userMessage: own });
    expect(classifyFortnoxError(refusal).error.userMessage).toEqual(own);
  });

  it('says what the engine does about a transient error, whatever words the error brings', () => {
    const own = { sv: 'Försök igen senare.', en: 'Try again later.' };
    const blip = asError({ ...base, kind: 'network', userMessage: own });
    const { userMessage } = classifyFortnoxError(blip).error;
    expect(userMessage.sv).toMatch(/Vi försöker igen automatiskt/);
    expect(userMessage.en).toMatch(/We will try again automatically/);
  });
});

describe('storedMappingError', () => {
  it('keeps the field, the code and each issue’s sv+en words, never the value', () => {
    const result = parseSourceCustomer({
      id: 'c-1',
      type: 'company',
      name: 'Acme AB',
      email: 'inte-en-adress',
      active: true,
    });
    const stored = storedMappingError(result._unsafeUnwrapErr());
    expect(stored).toMatchObject({ kind: 'mapping', field: 'email' });
    expect(stored.userMessage.sv).toMatch(/E-postadressen/);
    expect(stored.userMessage.en).toMatch(/e-mail/);
    expect(JSON.stringify(stored)).not.toContain('inte-en-adress');
  });
});

describe('SyncEngineError', () => {
  it('is an Error with kind, English message, userMessage and cause', () => {
    const cause = new Error('disk full');
    const error = syncErrors.storage(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SyncEngineError);
    expect(error).toMatchObject({ name: 'SyncEngineError', kind: 'storage', cause });
    expect(error.userMessage.sv).not.toBe('');
    expect(toSyncEngineError(error)).toBe(error);
    expect(toSyncEngineError('boom').kind).toBe('storage');
  });
});
