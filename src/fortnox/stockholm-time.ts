/**
 * Fortnox reads `lastmodified` as Swedish local time (Europe/Stockholm, CET/CEST; UNVERIFIED in Fortnox's docs,
 * what the most complete SDK does). The client writes it, the emulator reads it: one module for both.
 */
const STOCKHOLM = 'Europe/Stockholm';
const LAST_MODIFIED_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: STOCKHOLM,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Milliseconds Stockholm's wall clock is ahead of UTC at the given instant (+1 h or +2 h). */
function stockholmOffset(instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Parses Fortnox's `lastmodified` query value (`YYYY-MM-DD[ HH:MM[:SS]]`, Stockholm local time)
 * into epoch milliseconds, or `undefined` when it is not such a value or not a real date.
 */
export function parseStockholmTimestamp(value: string): number | undefined {
  const match = LAST_MODIFIED_PATTERN.exec(value.trim());
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
  const check = new Date(wall);
  if (check.getUTCMonth() !== (month ?? 1) - 1 || check.getUTCDate() !== day) return undefined;
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 59) return undefined;
  // Two passes settle the offset also next to a daylight-saving switch.
  let instant = wall - stockholmOffset(wall);
  instant = wall - stockholmOffset(instant);
  return instant;
}

/**
 * Formats an instant as Swedish local time (Europe/Stockholm, CET/CEST) `YYYY-MM-DD HH:MM:SS`, the
 * form Fortnox's `lastmodified` parameter reads.
 * @example formatStockholmDateTime(new Date('2024-07-01T10:00:00Z')) // '2024-07-01 12:00:00'
 */
export function formatStockholmDateTime(date: Date): string {
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  const { year, month, day, hour, minute, second } = parts;
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}
