/**
 * Normalisation for exact-match lookups, kept local on purpose (the client depends on no other part
 * of this library). These only decide whether two stored texts mean the same value; they validate
 * nothing.
 */

/**
 * Digits of a Swedish organisation or personal identity number, 10-digit form: separators dropped,
 * a 12-digit form (`16…` for organisations, century for persons) cut to its last 10 digits.
 * @example identityNumberKey('16556000-0001') // '5560000001'
 */
export function identityNumberKey(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 12 ? digits.slice(2) : digits;
}

/**
 * A phone number as comparable digits: separators dropped, Swedish `+46`/`0046` turned into the
 * national `0…` form (`+46 (0)70…` too); other international numbers keep a leading `+`.
 * @example phoneKey('+46 70-123 45 67') // '0701234567'
 */
export function phoneKey(value: string): string {
  const trimmed = value.trim();
  let digits = trimmed.replace(/\D/g, '');
  const international = trimmed.startsWith('+') || digits.startsWith('00');
  if (!international) return digits;
  if (!trimmed.startsWith('+')) digits = digits.slice(2);
  if (!digits.startsWith('46')) return `+${digits}`;
  const national = digits.slice(2);
  return national.startsWith('0') ? national : `0${national}`;
}

/** An e-mail address compared case-insensitively, without surrounding spaces. */
export function emailKey(value: string): string {
  return value.trim().toLowerCase();
}

/** A name compared case-insensitively with runs of whitespace collapsed. */
export function nameKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv-SE');
}
