/** Words for a person in Swedish and English, fit to show in a user interface. */
export type LocalizedMessage = {
  /** Swedish text. */
  readonly sv: string;
  /** English text. */
  readonly en: string;
};

/** True when `value` is a `{ sv, en }` pair of strings. */
export function isLocalizedMessage(value: unknown): value is LocalizedMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { sv, en } = value as Record<string, unknown>;
  return typeof sv === 'string' && typeof en === 'string';
}

/** What every {@link FortnoxSyncError} is built from. */
export type FortnoxSyncErrorOptions = {
  /** The words for a person, in Swedish and English, without personal data. */
  readonly userMessage: LocalizedMessage;
  /** The underlying error or value, when there is one. */
  readonly cause?: unknown;
};

/**
 * The base of every error this library returns: the client's `FortnoxError`s, `MappingError`,
 * `IdentifierError` and `ErrorInformationError`. An `Error` (stack trace, `instanceof`, loggers),
 * discriminated by `kind`, with an English `message` for developers and logs, `userMessage` for a
 * person, and `cause`. Neither message holds tokens, secrets or personal data.
 *
 * `JSON.stringify(error)` gives `name`, `kind`, `message`, `userMessage` and the error's own data
 * fields, never `stack` or `cause` (a cause may be anything, e.g. a token store's own error). The
 * `is…Error` guards also accept that JSON form after it crossed a queue or a database.
 *
 * @example
 * if (result.isErr()) {
 *   logger.warn(`${result.error.kind}: ${result.error.message}`);
 *   showToUser(result.error.userMessage.sv);
 * }
 */
export abstract class FortnoxSyncError extends Error {
  /** What kind of failure this is: the discriminant of each error union. */
  abstract readonly kind: string;
  /** The words for a person, in Swedish and English, without personal data. */
  readonly userMessage: LocalizedMessage;

  constructor(message: string, options: FortnoxSyncErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.userMessage = options.userMessage;
  }

  /** The error as data: name, kind, message, userMessage and its own fields; never stack or cause. */
  toJSON(): Record<string, unknown> {
    // Own enumerable fields only: `stack`, `message` and `cause` are not enumerable on an Error.
    const { cause: _cause, stack: _stack, ...fields } = { ...this } as Record<string, unknown>;
    return { name: this.name, kind: this.kind, message: this.message, ...fields };
  }
}

/**
 * Copies the defined values of `fields` onto `target` (an error under construction), so that optional
 * fields are absent rather than `undefined`, as in the plain objects these errors used to be.
 */
export function assignDefined(target: object, fields: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && key !== 'cause' && key !== 'userMessage' && key !== 'message') {
      Object.defineProperty(target, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}
