import { z } from 'zod';

/**
 * Tolerant readers for what Fortnox returns: it sends `""` or `null` for empty values and sometimes
 * numbers as strings (or strings as numbers). Every reader maps absence to `null`.
 *
 * Each reader has a fast twin ({@link fastReaderOf}): a plain function that accepts exactly what the
 * zod reader accepts and returns the same value, or `z.INVALID` where the zod reader reports an
 * issue. The client reads single records with the twins and asks zod only to explain a mismatch;
 * `test/fortnox/read-values.property.test.ts` holds every pair to that.
 */

/** A reader's fast twin: the zod reader's output, or `z.INVALID` where the zod reader fails. */
export type FastRead<T = unknown> = (value: unknown) => T | typeof z.INVALID;

const INVALID: typeof z.INVALID = z.INVALID;
const fastReaders = new WeakMap<z.ZodType, FastRead>();

/** Registers `read` as the fast twin of `schema` and returns the schema. */
function withFastRead<S extends z.ZodType>(schema: S, read: FastRead<z.output<S>>): S {
  fastReaders.set(schema, read);
  return schema;
}

/** The fast twin of a reader of this module, or `undefined` for any other schema. */
export function fastReaderOf(schema: z.ZodType): FastRead | undefined {
  return fastReaders.get(schema);
}

/** A text value: string or number in, `string | null` out (`""` stays `""`: Fortnox's own empty). */
export const readText = withFastRead(
  z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((value) => (value === null || value === undefined ? null : String(value))),
  (value) => {
    if (typeof value === 'string') return value;
    if (value === null || value === undefined) return null;
    return typeof value === 'number' && Number.isFinite(value) ? String(value) : INVALID;
  },
);

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = {
  true: true,
  TRUE: true,
  True: true,
  false: false,
  FALSE: false,
  False: false,
};

/** A boolean: `true`/`false` or their strings in, `boolean | null` out. */
export const readBoolean = withFastRead(
  z
    .union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False', '']), z.null()])
    .optional()
    .transform((value) => {
      if (typeof value === 'boolean') return value;
      if (value === null || value === undefined || value === '') return null;
      return value.toLowerCase() === 'true';
    }),
  (value) => {
    if (typeof value === 'boolean') return value;
    if (value === null || value === undefined || value === '') return null;
    if (typeof value !== 'string' || !Object.hasOwn(BOOLEAN_TEXT, value)) return INVALID;
    return BOOLEAN_TEXT[value] as boolean;
  },
);

const NUMBER_TEXT = /^\s*-?\d+(?:[.,]\d+)?\s*$/;

/** A number: number or numeric string in, `number | null` out. */
export const readNumber = withFastRead(
  z
    .union([z.number(), z.string().regex(NUMBER_TEXT), z.literal(''), z.null()])
    .optional()
    .transform((value) => {
      if (typeof value === 'number') return value;
      if (value === null || value === undefined || value === '') return null;
      return Number(value.trim().replace(',', '.'));
    }),
  (value) => {
    if (typeof value === 'number') return Number.isFinite(value) ? value : INVALID;
    if (value === null || value === undefined || value === '') return null;
    if (typeof value !== 'string' || !NUMBER_TEXT.test(value)) return INVALID;
    return Number(value.trim().replace(',', '.'));
  },
);

const INTEGER_TEXT = /^\s*\d+\s*$/;

/** An integer that may arrive as a string (MetaInformation counters). */
export const readInteger = withFastRead(
  z.union([z.number().int(), z.string().regex(INTEGER_TEXT)]).transform(Number),
  (value) => {
    // zod's int() also requires a safe integer.
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : INVALID;
    return typeof value === 'string' && INTEGER_TEXT.test(value) ? Number(value) : INVALID;
  },
);

/** A required, non-empty identifier (customer number): string or number in, string out. */
export const readIdentifier = withFastRead(
  z.union([z.string().trim().min(1), z.number()]).transform((value) => String(value)),
  (value) => {
    if (typeof value === 'string') {
      const trimmed = value.trim();
      return trimmed === '' ? INVALID : trimmed;
    }
    return typeof value === 'number' && Number.isFinite(value) ? String(value) : INVALID;
  },
);

/**
 * An enum read case-insensitively; `""`, `null` and values this library does not know become `null`, so
 * one new value on Fortnox's side cannot make a whole response unreadable.
 */
export function readEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const find = (value: string | null | undefined): T[number] | null => {
    const upper = value?.trim().toUpperCase();
    return values.find((candidate) => candidate === upper) ?? null;
  };
  const schema = z.union([z.string(), z.null()]).optional().transform(find);
  return withFastRead(schema, (value) =>
    typeof value === 'string' || value === null || value === undefined
      ? (find(value) as z.output<typeof schema>)
      : INVALID,
  );
}

/**
 * The fast twin of `z.looseObject(shape)` when every field of `shape` has one: known keys first, in
 * shape order, then every other enumerable key as it came (`__proto__` dropped), as zod builds it.
 * `undefined` when a field has no fast twin.
 */
export function fastLooseObjectReader(
  shape: Readonly<Record<string, z.ZodType>>,
): FastRead<Record<string, unknown>> | undefined {
  const keys = Object.keys(shape);
  const reads: FastRead[] = [];
  for (const key of keys) {
    const read = fastReaderOf(shape[key] as z.ZodType);
    if (read === undefined || key === '__proto__') return undefined;
    reads.push(read);
  }
  const known = new Set(keys);
  // Cloning an object that has every key already is cheaper than adding the keys one by one.
  const template: Record<string, unknown> = Object.fromEntries(keys.map((key) => [key, null]));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return INVALID;
    const input = value as Record<string, unknown>;
    const output: Record<string, unknown> = { ...template };
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] as string;
      const result = (reads[index] as FastRead)(input[key]);
      if (result === INVALID) return INVALID;
      output[key] = result;
    }
    for (const key in input) {
      if (!known.has(key) && key !== '__proto__') output[key] = input[key];
    }
    return output;
  };
}

/** An object of readers, or `null` when absent or `null` (e.g. `DefaultDeliveryTypes`). */
export function readObjectOrNull<const S extends Readonly<Record<string, z.ZodType>>>(shape: S) {
  const schema = z
    .looseObject(shape)
    .nullish()
    .transform((value) => value ?? null);
  const read = fastLooseObjectReader(shape);
  if (read === undefined) return schema;
  return withFastRead(schema, (value) =>
    value === null || value === undefined
      ? null
      : (read(value) as z.output<typeof schema> | typeof INVALID),
  );
}
