import type { FortnoxError } from '../client/index.js';
import { FORTNOX_ERROR_CODES, isKnownFortnoxErrorCode } from '../fortnox/error-codes.js';
import type { LocalizedMessage, MappingError } from '../mapping/index.js';
import type { StoredError } from '../storage/sync-storage.js';

/**
 * What to do about a failed delivery: `transient` retries with backoff and never gives up; `pause`
 * stops the whole tenant until a person reconnects; `permanent` parks the customer as `failed` until
 * the next save.
 */
export type ErrorClass = 'transient' | 'pause' | 'permanent';

/** A delivery failure, classified, in the form storage keeps. */
export type ClassifiedError = { readonly class: ErrorClass; readonly error: StoredError };

/** Fortnox codes that mean the company's licence or the integration's scope is missing: pause. */
const PAUSING_CODES: ReadonlySet<number> = new Set([2001101, 2001103, 2000663]);

const RETRYING: LocalizedMessage = {
  sv: 'Vi försöker igen automatiskt.',
  en: 'We will try again automatically.',
};

const WORDS = {
  unreachable: {
    sv: `Fortnox gick inte att nå. ${RETRYING.sv}`,
    en: `Fortnox could not be reached. ${RETRYING.en}`,
  },
  busy: {
    sv: `Fortnox tar emot för många anrop just nu. ${RETRYING.sv}`,
    en: `Fortnox is receiving too many requests right now. ${RETRYING.en}`,
  },
  serverTrouble: {
    sv: `Fortnox har tillfälliga problem. ${RETRYING.sv}`,
    en: `Fortnox is having temporary problems. ${RETRYING.en}`,
  },
  unreadable: {
    sv: `Fortnox svarade på ett oväntat sätt. ${RETRYING.sv}`,
    en: `Fortnox answered in an unexpected way. ${RETRYING.en}`,
  },
  reconnect: {
    sv: 'Kopplingen till Fortnox har upphört. En administratör behöver ansluta Fortnox igen; inget går förlorat under tiden.',
    en: 'The connection to Fortnox has ended. An administrator needs to connect Fortnox again; nothing is lost meanwhile.',
  },
  licence: {
    sv: 'Företaget saknar en aktiv Fortnox-licens för kundregistret. När licensen är på plats ansluter en administratör Fortnox igen; inget går förlorat under tiden.',
    en: 'The company has no active Fortnox licence for the customer register. Once it has one, an administrator connects Fortnox again; nothing is lost meanwhile.',
  },
  scope: {
    sv: 'Integrationen saknar behörighet till kundregistret i Fortnox. En administratör behöver ansluta Fortnox igen och godkänna behörigheten.',
    en: 'The integration is not allowed to use the Fortnox customer register. An administrator needs to connect Fortnox again and grant it.',
  },
  rejected: {
    sv: 'Fortnox tog inte emot kunden. Rätta uppgifterna och spara kunden igen.',
    en: 'Fortnox did not accept the customer. Correct the data and save the customer again.',
  },
  aborted: {
    sv: `Överföringen avbröts. ${RETRYING.sv}`,
    en: `The transfer was interrupted. ${RETRYING.en}`,
  },
} as const satisfies Record<string, LocalizedMessage>;

/**
 * The words a client error carries for a person: `userMessage` when the error has one (client errors
 * are becoming `Error` subclasses with it), else `undefined`.
 */
const userMessageOf = (error: unknown): LocalizedMessage | undefined => {
  const candidate = (error as { userMessage?: unknown } | null)?.userMessage;
  return isLocalized(candidate) ? { sv: candidate.sv, en: candidate.en } : undefined;
};

const isLocalized = (value: unknown): value is LocalizedMessage =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as LocalizedMessage).sv === 'string' &&
  typeof (value as LocalizedMessage).en === 'string';

/** Our words for a Fortnox error code we know, as a sentence a person understands. */
const fortnoxCodeWords = (code: number | undefined): LocalizedMessage | undefined => {
  if (code === undefined || !isKnownFortnoxErrorCode(code)) return undefined;
  const info = FORTNOX_ERROR_CODES[code];
  return {
    sv: `Fortnox tog inte emot kunden: ${info.sv} Rätta uppgifterna och spara kunden igen.`,
    en: `Fortnox did not accept the customer: ${info.en} Correct the data and save the customer again.`,
  };
};

/**
 * The error as storage keeps it. `words` are the engine's (what it does about a transient error or a
 * pause: retry by itself, wait for a reconnect); `fallback` are used only when the error brings none.
 */
const stored = (
  error: FortnoxError,
  words: { readonly engine?: LocalizedMessage; readonly fallback?: LocalizedMessage },
  extra: { code?: string; field?: string } = {},
): StoredError => ({
  kind: error.kind,
  ...(extra.code === undefined ? {} : { code: extra.code }),
  message: error.message,
  userMessage: words.engine ?? userMessageOf(error) ?? words.fallback ?? WORDS.rejected,
  ...(extra.field === undefined ? {} : { field: extra.field }),
});

/**
 * Classifies a client error: network, timeout, 429, 5xx, an unknown outcome and an
 * unreadable answer are transient; a dead connection or a missing licence or scope pauses the tenant;
 * everything else Fortnox refuses (validation, other 4xx) is permanent.
 */
export function classifyFortnoxError(error: FortnoxError): ClassifiedError {
  switch (error.kind) {
    case 'network':
    case 'timeout':
      return { class: 'transient', error: stored(error, { engine: WORDS.unreachable }) };
    case 'unknown-outcome':
      return {
        class: 'transient',
        error: stored(
          error,
          { engine: error.reason === 'server-error' ? WORDS.serverTrouble : WORDS.unreachable },
          { code: error.reason },
        ),
      };
    case 'rate-limited':
      return { class: 'transient', error: stored(error, { engine: WORDS.busy }) };
    case 'invalid-response':
      return { class: 'transient', error: stored(error, { engine: WORDS.unreadable }) };
    case 'aborted':
      return { class: 'transient', error: stored(error, { engine: WORDS.aborted }) };
    case 'auth':
      return error.reconnectRequired
        ? {
            class: 'pause',
            error: stored(error, { engine: WORDS.reconnect }, { code: error.reason }),
          }
        : {
            class: 'transient',
            error: stored(error, { engine: WORDS.unreachable }, { code: error.reason }),
          };
    case 'validation': {
      const field = error.issues[0]?.path.filter((part) => part !== 'Customer')[0];
      return {
        class: 'permanent',
        error: stored(
          error,
          { fallback: WORDS.rejected },
          field === undefined ? {} : { field: String(field) },
        ),
      };
    }
    case 'api': {
      const code = error.code === undefined ? undefined : String(error.code);
      const extra = code === undefined ? {} : { code };
      if (error.code !== undefined && PAUSING_CODES.has(error.code)) {
        const words = error.code === 2000663 ? WORDS.scope : WORDS.licence;
        return { class: 'pause', error: stored(error, { engine: words }, extra) };
      }
      if (error.status >= 500) {
        return { class: 'transient', error: stored(error, { engine: WORDS.serverTrouble }, extra) };
      }
      return {
        class: 'permanent',
        error: stored(error, { fallback: fortnoxCodeWords(error.code) ?? WORDS.rejected }, extra),
      };
    }
  }
}

/**
 * A mapping error as storage keeps it: kind `mapping`, the first issue's code and field, and every
 * issue's own words (they name the field and never hold its value). Reads `userMessage` when the
 * error has one and today's `message: { sv, en }` otherwise.
 */
export function storedMappingError(error: MappingError): StoredError {
  const [first] = error.issues;
  // Each issue's words: `userMessage` once issues carry it, `message: { sv, en }` today.
  const issueWords = error.issues
    .map((issue) => {
      const legacyWords: unknown = (issue as { readonly message?: unknown }).message;
      return userMessageOf(issue) ?? (isLocalized(legacyWords) ? legacyWords : undefined);
    })
    .filter((words): words is LocalizedMessage => words !== undefined);
  // Today `message` is `{ sv, en }`; once MappingError is an Error subclass the words are `userMessage`.
  const legacy: unknown = (error as { readonly message?: unknown }).message;
  const summary = userMessageOf(error) ?? (isLocalized(legacy) ? legacy : undefined);
  const userMessage: LocalizedMessage = {
    sv: issueWords.map((words) => words.sv).join(' ') || (summary?.sv ?? WORDS.rejected.sv),
    en: issueWords.map((words) => words.en).join(' ') || (summary?.en ?? WORDS.rejected.en),
  };
  return {
    kind: 'mapping',
    code: first.code,
    message: `The customer cannot be mapped to Fortnox: ${error.issues
      .map((issue) => `${issue.field} ${issue.code}`)
      .join(', ')}.`,
    userMessage,
    field: first.field,
  };
}
