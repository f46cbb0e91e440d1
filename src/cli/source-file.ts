/**
 * Reads a file of source customers for `fortnox-sync plan` / `sync`: JSON (an array, or
 * `{ "customers": [...] }`), NDJSON (one customer per line) or CSV (a header row; `,` or `;`).
 * Every row's shape is checked (id, type, name, active, text fields) and every problem is reported
 * with its row; the content rules (organisation number, e-mail, …) are the sync's, which reports a
 * customer Fortnox would refuse as `failed` with its reason.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { SourceCustomer } from '../mapping/index.js';
import { readSourceCustomerShape } from '../mapping/source-customer-shape.js';

/** The formats `--source` reads. */
export type SourceFileFormat = 'json' | 'ndjson' | 'csv';

/** One problem in one row of a source file. Holds no value from the file (no personal data). */
export type SourceRowProblem = {
  /** 1-based: the array index + 1 (JSON), the line (NDJSON, CSV: the file's line number). */
  readonly row: number;
  /** The field, e.g. `type` or `address.postalCode`; `customer` for the row as a whole. */
  readonly field: string;
  /** What is wrong (`required`, `invalid-type`, `invalid-value`, `duplicate-id`, `unreadable`). */
  readonly code: string;
  /** English, without the row's values. */
  readonly message: string;
};

/** A source file that cannot be used: unreadable, of no known format, or with rows of the wrong shape. */
export class SourceFileError extends Error {
  override readonly name = 'SourceFileError';
  readonly kind = 'source-file' as const;
  readonly userMessage: { readonly sv: string; readonly en: string };
  /** Every row problem found (empty when the file as a whole could not be read). */
  readonly problems: readonly SourceRowProblem[];

  constructor(
    message: string,
    userMessage: { sv: string; en: string },
    problems: readonly SourceRowProblem[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.userMessage = userMessage;
    this.problems = problems;
  }
}

/** Columns a CSV file may have; `street` may also be written `address.street`, and so on. */
export const CSV_COLUMNS = [
  'id',
  'type',
  'name',
  'email',
  'phone',
  'street',
  'postalCode',
  'city',
  'countryCode',
  'organisationNumber',
  'active',
] as const;

const ADDRESS_COLUMNS = new Set(['street', 'postalCode', 'city', 'countryCode']);
const TRUE_WORDS = new Set(['true', '1', 'yes', 'ja']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'nej']);

/** The format from the file name (`.json`, `.ndjson`/`.jsonl`, `.csv`), or `undefined`. */
export function formatOfPath(file: string): SourceFileFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  if (extension === '.csv') return 'csv';
  return undefined;
}

/** Why a file cannot be read, in both languages (a person may read either). */
type Reason = { readonly sv: string; readonly en: string };

const unreadable = (file: string, reason: Reason, cause?: unknown) =>
  new SourceFileError(
    `Cannot read the source file ${path.basename(file)}: ${reason.en}`,
    {
      sv: `Källfilen ${path.basename(file)} kan inte läsas: ${reason.sv}`,
      en: `The source file ${path.basename(file)} cannot be read: ${reason.en}`,
    },
    [],
    cause === undefined ? undefined : { cause },
  );

type Row = { readonly row: number; readonly value: unknown };

function jsonRows(text: string, file: string): Row[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw unreadable(file, { sv: 'den är inte giltig JSON', en: 'it is not valid JSON' }, cause);
  }
  const list =
    Array.isArray(parsed) || typeof parsed !== 'object' || parsed === null
      ? parsed
      : (parsed as { customers?: unknown }).customers;
  if (!Array.isArray(list)) {
    throw unreadable(file, {
      sv: 'JSON-filen måste vara en lista av kunder eller { "customers": [...] }',
      en: 'JSON must be an array of customers or { "customers": [...] }',
    });
  }
  return list.map((value, index) => ({ row: index + 1, value }));
}

function ndjsonRows(text: string): { rows: Row[]; problems: SourceRowProblem[] } {
  const rows: Row[] = [];
  const problems: SourceRowProblem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      rows.push({ row: index + 1, value: JSON.parse(line) });
    } catch {
      problems.push({
        row: index + 1,
        field: 'customer',
        code: 'unreadable',
        message: 'the line is not valid JSON',
      });
    }
  });
  return { rows, problems };
}

function csvBoolean(raw: string): boolean | string {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return raw; // left as text: the shape check reports active as invalid-type
}

function csvRows(text: string, file: string): Row[] {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter =
    (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      columns: (names: string[]) => {
        const columns = names.map((name) => name.trim().replace(/^address\./, ''));
        const unknown = columns.filter(
          (name) => !(CSV_COLUMNS as readonly string[]).includes(name),
        );
        if (unknown.length > 0) {
          const names = unknown.map((c) => `"${c}"`).join(', ');
          throw unreadable(file, {
            sv: `okända kolumner ${names}; kolumnerna är ${CSV_COLUMNS.join(', ')}`,
            en: `unknown column(s) ${names}; the columns are ${CSV_COLUMNS.join(', ')}`,
          });
        }
        return columns;
      },
      delimiter,
      skip_empty_lines: true,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
  } catch (cause) {
    if (cause instanceof SourceFileError) throw cause;
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw unreadable(
      file,
      { sv: `den är inte giltig CSV (${reason})`, en: `it is not valid CSV (${reason})` },
      cause,
    );
  }
  return records.map(({ record, info }) => {
    const customer: Record<string, unknown> = {};
    const address: Record<string, string> = {};
    for (const [column, raw] of Object.entries(record)) {
      if (raw === '') continue;
      if (ADDRESS_COLUMNS.has(column)) address[column] = raw;
      else if (column === 'active') customer.active = csvBoolean(raw);
      else customer[column] = raw;
    }
    if (Object.keys(address).length > 0) customer.address = address;
    return { row: info.lines, value: customer };
  });
}

/**
 * Checks each row's shape: an object with a string `id` (unique in the file), `type` `company` or
 * `private`, a string `name`, a boolean `active`, and text (or nothing) in the other fields.
 */
export function checkSourceRows(
  rows: readonly Row[],
  earlier: readonly SourceRowProblem[] = [],
): { customers: SourceCustomer[]; problems: SourceRowProblem[] } {
  const problems = [...earlier];
  const customers: SourceCustomer[] = [];
  const seen = new Map<string, number>();
  for (const { row, value } of rows) {
    const { fields, issues } = readSourceCustomerShape(value);
    for (const issue of issues) {
      problems.push({ row, field: issue.field, code: issue.code, message: issue.message });
    }
    if (typeof fields.id === 'string') {
      const first = seen.get(fields.id);
      if (first !== undefined) {
        problems.push({
          row,
          field: 'id',
          code: 'duplicate-id',
          message: `the same id as row ${first}`,
        });
        continue;
      }
      seen.set(fields.id, row);
    }
    if (issues.length === 0) customers.push(value as SourceCustomer);
  }
  problems.sort((a, b) => a.row - b.row);
  return { customers, problems };
}

/**
 * Reads and checks a file of source customers. Throws {@link SourceFileError} when the file cannot be
 * read or any row has the wrong shape (with every row problem).
 */
export async function readSourceFile(
  file: string,
  format: SourceFileFormat | undefined = formatOfPath(file),
): Promise<SourceCustomer[]> {
  if (format === undefined) {
    throw unreadable(file, {
      sv: 'formatet är okänt: ge filen ändelsen .json, .ndjson eller .csv, eller ange --format',
      en: 'its format is unknown: name it .json, .ndjson or .csv, or pass --format',
    });
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw unreadable(
      file,
      code === 'ENOENT'
        ? { sv: 'filen finns inte', en: 'there is no such file' }
        : { sv: `läsfel ${code ?? ''}`.trim(), en: `read error ${code ?? ''}`.trim() },
      cause,
    );
  }
  const { customers, problems } =
    format === 'json'
      ? checkSourceRows(jsonRows(text, file))
      : format === 'csv'
        ? checkSourceRows(csvRows(text, file))
        : (() => {
            const read = ndjsonRows(text);
            return checkSourceRows(read.rows, read.problems);
          })();
  if (problems.length > 0) {
    const rows = new Set(problems.map((p) => p.row)).size;
    throw new SourceFileError(
      `${rows} row(s) of ${path.basename(file)} have the wrong shape (${problems.length} problem(s))`,
      {
        sv: `${rows} rad(er) i ${path.basename(file)} har fel form; rätta dem och försök igen.`,
        en: `${rows} row(s) of ${path.basename(file)} have the wrong shape; correct them and try again.`,
      },
      problems,
    );
  }
  return customers;
}
