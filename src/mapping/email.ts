import { err, ok, type Result } from 'neverthrow';
import { createIdentifierError, type IdentifierError } from './identifier-error.js';

/** The longest address that can be delivered (RFC 5321 path limit less the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;
/**
 * RFC 5322 dot-atom, less the characters Fortnox rejects in any text (`' ` { } | ~`):
 * letters, digits and `! # $ % & * + / = ? ^ _ -`, with single dots between runs.
 */
const LOCAL_PART = /^[A-Za-z0-9!#$%&*+/=?^_-]+(?:\.[A-Za-z0-9!#$%&*+/=?^_-]+)*$/u;
/** A domain label: letters (including internationalised ones), digits, inner hyphens. */
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
/** A top-level domain: letters only, or a punycode label. */
const TOP_LEVEL_DOMAIN = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u;

const fail = (code: IdentifierError['code']) => err(createIdentifierError('email', code));

/**
 * Validates an e-mail address and returns it trimmed, Unicode NFC, with the domain lower-cased
 * (the local part keeps its case: it is case-sensitive by the standard).
 *
 * The rule is RFC 5322's dot-atom form without quoted local parts, comments or IP-literal domains,
 * and the domain needs at least two labels and an alphabetic top-level domain — addresses that
 * work in practice and that Fortnox's own e-mail check and character whitelist accept.
 *
 * @example
 * normalizeEmail('  Anna.Svensson@Example.SE ') // ok('Anna.Svensson@example.se')
 */
export function normalizeEmail(input: string): Result<string, IdentifierError> {
  if (typeof input !== 'string') return fail('invalid-format');
  const trimmed = input.normalize('NFC').trim();
  if (trimmed === '') return fail('empty');
  if (trimmed.length > MAX_EMAIL_LENGTH) return fail('too-long');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return fail('invalid-format');
  const localPart = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (/[\s<>"'`{}|~\\[\]()@,;:]/u.test(localPart) || /[^\p{L}\p{N}.-]/u.test(domain)) {
    return fail('invalid-characters');
  }
  if (localPart.length > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.test(localPart)) {
    return fail('invalid-format');
  }
  if (!isValidDomain(domain)) return fail('invalid-format');
  return ok(`${localPart}@${domain}`);
}

function isValidDomain(domain: string): boolean {
  const labels = domain.split('.');
  const topLevel = labels.at(-1) ?? '';
  return (
    labels.length >= 2 &&
    labels.every((label) => label.length <= MAX_LABEL_LENGTH && DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL_DOMAIN.test(topLevel)
  );
}
