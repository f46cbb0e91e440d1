import { describe, expect, it } from 'vitest';
import { isFortnoxError } from '../../src/client/index.js';
import {
  isIdentifierError,
  isMappingError,
  parseOrganisationNumber,
  toFortnoxCustomer,
} from '../../src/mapping/index.js';

const mappingError = toFortnoxCustomer({
  id: 'c-1',
  type: 'company',
  name: '',
  active: true,
})._unsafeUnwrapErr();
const identifierError = parseOrganisationNumber('556036-0794')._unsafeUnwrapErr();
const toJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describe('isMappingError / isIdentifierError', () => {
  it('recognise the errors the mapper returns, also after a JSON round trip', () => {
    expect(isMappingError(mappingError)).toBe(true);
    expect(isMappingError(JSON.parse(JSON.stringify(mappingError)))).toBe(true);
    expect(isIdentifierError(identifierError)).toBe(true);
    expect(isIdentifierError(JSON.parse(JSON.stringify(identifierError)))).toBe(true);
  });

  it('tell the error families apart', () => {
    expect(isMappingError(identifierError)).toBe(false);
    expect(isIdentifierError(mappingError)).toBe(false);
    expect(isFortnoxError(mappingError)).toBe(false);
    expect(isFortnoxError(identifierError)).toBe(false);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'mapping'],
    ['an Error', new Error('mapping')],
    ['no issues', { kind: 'mapping', issues: [], message: 'x', userMessage: { sv: 'x', en: 'x' } }],
    [
      'the old shape, message as { sv, en }',
      { ...toJson(mappingError), message: { sv: 'x', en: 'x' } },
    ],
    ['no userMessage', { ...toJson(mappingError), userMessage: undefined }],
    ['no kind', { ...toJson(identifierError), kind: undefined }],
    ['an unknown identifier', { ...toJson(identifierError), identifier: 'iban' }],
    ['an unknown code', { ...toJson(identifierError), code: 'nope' }],
    [
      'a prototype key',
      { ...toJson(identifierError), identifier: 'toString', code: 'constructor' },
    ],
  ])('reject %s', (_, value) => {
    expect(isMappingError(value)).toBe(false);
    expect(isIdentifierError(value)).toBe(false);
  });
});
