import { z } from 'zod';

/**
 * Tolerant readers for what Fortnox returns: it sends `""` or `null` for empty values and sometimes
 * numbers as strings (or strings as numbers). Every reader maps absence to `null`.
 */

/** A text value: string or number in, `string | null` out (`""` stays `""`: Fortnox's own empty). */
export const readText = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => (value === null || value === undefined ? null : String(value)));

/** A boolean: `true`/`false` or their strings in, `boolean | null` out. */
export const readBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False', '']), z.null()])
  .optional()
  .transform((value) => {
    if (typeof value === 'boolean') return value;
    if (value === null || value === undefined || value === '') return null;
    return value.toLowerCase() === 'true';
  });

/** A number: number or numeric string in, `number | null` out. */
export const readNumber = z
  .union([z.number(), z.string().regex(/^\s*-?\d+(?:[.,]\d+)?\s*$/), z.literal(''), z.null()])
  .optional()
  .transform((value) => {
    if (typeof value === 'number') return value;
    if (value === null || value === undefined || value === '') return null;
    return Number(value.trim().replace(',', '.'));
  });

/** An integer that may arrive as a string (MetaInformation counters). */
export const readInteger = z
  .union([z.number().int(), z.string().regex(/^\s*\d+\s*$/)])
  .transform(Number);

/** A required, non-empty identifier (customer number): string or number in, string out. */
export const readIdentifier = z
  .union([z.string().trim().min(1), z.number()])
  .transform((value) => String(value));

/**
 * An enum read case-insensitively; `""`, `null` and values this library does not know become `null`, so
 * one new value on Fortnox's side cannot make a whole response unreadable.
 */
export function readEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .union([z.string(), z.null()])
    .optional()
    .transform((value): T[number] | null => {
      const upper = value?.trim().toUpperCase();
      return values.find((candidate) => candidate === upper) ?? null;
    });
}
