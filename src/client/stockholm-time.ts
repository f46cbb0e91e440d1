const FORMATTER = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * Formats an instant as Swedish local time (Europe/Stockholm, CET/CEST) `YYYY-MM-DD HH:MM:SS`, the
 * form Fortnox's `lastmodified` parameter reads.
 * @example formatStockholmDateTime(new Date('2024-07-01T10:00:00Z')) // '2024-07-01 12:00:00'
 */
export function formatStockholmDateTime(date: Date): string {
  const parts: Record<string, string> = {};
  for (const part of FORMATTER.formatToParts(date)) parts[part.type] = part.value;
  const { year, month, day, hour, minute, second } = parts;
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}
