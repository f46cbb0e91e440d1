import { normalizePhoneNumber } from '../mapping/index.js';
import { digitsOf } from './fold-text.js';

/** Sweden's country calling code. */
const SWEDEN = '46';

/**
 * The digits a phone number is compared by: its E.164 form without `+`. Swedish numbers take a
 * fast rule (`00`/`+` prefix kept, national `0` → `46`, `+46 (0)…` without the `0`), which gives the
 * same digits as `normalizePhoneNumber` for every valid number at a fraction of its cost; other
 * countries go through `normalizePhoneNumber`, and what is invalid there is read by the Swedish rule.
 * A text that is no phone number keeps its digits, so equal entries still meet.
 *
 * @example phoneDigits('070-123 45 67', 'SE') // '46701234567'
 */
export function phoneDigits(raw: string, countryCode = 'SE'): string {
  if (countryCode !== 'SE') {
    const normalized = normalizePhoneNumber(raw, countryCode);
    // Invalid there: perhaps a Swedish number on a customer abroad.
    if (normalized.isOk()) return normalized.value.e164.slice(1);
  }
  const digits = digitsOf(raw);
  const international = raw.trimStart().startsWith('+')
    ? digits
    : digits.startsWith('00')
      ? digits.slice(2)
      : undefined;
  if (international === undefined)
    return digits.startsWith('0') ? SWEDEN + digits.slice(1) : digits;
  return international.startsWith(`${SWEDEN}0`) ? SWEDEN + international.slice(3) : international;
}
