import { err, ok, type Result } from 'neverthrow';
import { createIdentifierError, type IdentifierError } from './identifier-error.js';

/** Invisible formatting characters (zero-width space, soft hyphen, BOM, bidi marks) from copy and paste. */
const INVISIBLE = /\p{Cf}/gu;
/** Control characters other than whitespace ones (tab, line breaks), which become spaces. */
const CONTROL = /(?!\s)\p{Cc}/gu;

/**
 * Normalises a one-line text such as a name, street or city: Unicode NFC, invisible and control
 * characters removed, every run of whitespace (tabs, line breaks, no-break spaces) made one space,
 * trimmed. Fails with `empty` when nothing is left.
 *
 * @example
 * normalizeName('  Anna\u00A0 Svensson\t') // ok('Anna Svensson')
 */
export function normalizeName(input: string): Result<string, IdentifierError> {
  if (typeof input !== 'string') return err(createIdentifierError('name', 'invalid-format'));
  const normalized = input
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(/\s+/gu, ' ')
    .trim();
  return normalized === '' ? err(createIdentifierError('name', 'empty')) : ok(normalized);
}
