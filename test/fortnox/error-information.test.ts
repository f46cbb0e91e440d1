import { describe, expect, it } from 'vitest';
import {
  ErrorInformationError,
  explainFortnoxErrorCode,
  parseErrorInformation,
} from '../../src/fortnox/index.js';

describe('parseErrorInformation', () => {
  it('reads the lower-case inner keys', () => {
    const body = {
      ErrorInformation: { error: 1, message: 'Kan inte hitta kunden.', code: 2000433 },
    };
    expect(parseErrorInformation(body)._unsafeUnwrap()).toEqual({
      error: 1,
      message: 'Kan inte hitta kunden.',
      code: 2000433,
    });
  });

  it('reads the capitalised inner keys and codes sent as strings', () => {
    const body = { ErrorInformation: { Error: '1', Message: 'Ogiltigt filter.', Code: '2000587' } };
    expect(parseErrorInformation(body)._unsafeUnwrap()).toEqual({
      error: 1,
      message: 'Ogiltigt filter.',
      code: 2000587,
    });
  });

  it('reads a lower-case outer key and a bare message body', () => {
    expect(
      parseErrorInformation({ errorinformation: { message: 'x', code: 1000003 } })._unsafeUnwrap()
        .code,
    ).toBe(1000003);
    expect(parseErrorInformation({ message: 'Service unavailable' })._unsafeUnwrap()).toEqual({
      error: undefined,
      message: 'Service unavailable',
      code: undefined,
    });
  });

  it.each<[string, unknown]>([
    ['an OAuth error', { error: 'invalid_grant', error_description: 'Invalid refresh token' }],
    ['an array', [1]],
    ['text', '<html>'],
    ['null', null],
  ])('returns an ErrorInformationError for %s', (_, body) => {
    const error = parseErrorInformation(body)._unsafeUnwrapErr();
    expect(error).toBeInstanceOf(ErrorInformationError);
    expect(error).toBeInstanceOf(Error);
    expect(error.kind).toBe('error-information');
    expect(error.message).toMatch(/not Fortnox ErrorInformation/);
    expect(error.userMessage.sv).toMatch(/Fortnox/);
  });
});

describe('explainFortnoxErrorCode', () => {
  it('explains known codes in English and returns undefined for others', () => {
    expect(explainFortnoxErrorCode(2000359)).toMatch(/characters/);
    expect(explainFortnoxErrorCode(2001103)).toMatch(/licence/);
    expect(explainFortnoxErrorCode(42)).toBeUndefined();
  });
});
