/**
 * Observability: events the client emits and the logger it writes to. Events carry the method and
 * the path template only (e.g. `/3/customers/{CustomerNumber}`): no query values, no tokens.
 */

/** Fields every event has. */
export type RequestEventBase = {
  /** HTTP method. */
  readonly method: string;
  /** Path template, without personal data. */
  readonly path: string;
  /** 1-based attempt number of this call. */
  readonly attempt: number;
};

/** An attempt is about to be sent. */
export type RequestEvent = RequestEventBase;

/** An attempt got an HTTP answer. */
export type ResponseEvent = RequestEventBase & {
  readonly status: number;
  /** Time from sending to the body read, in ms. */
  readonly durationMs: number;
};

/** Why an attempt is retried. */
export type RetryReason = 'rate-limited' | 'server-error' | 'network' | 'timeout' | 'unauthorized';

/** A failed attempt will be retried after `delayMs`. */
export type RetryEvent = RequestEventBase & {
  readonly reason: RetryReason;
  readonly delayMs: number;
  /** HTTP status of the failed attempt, when it had one. */
  readonly status?: number;
};

/** Fortnox answered 429; the tenant's limiter is paused for `delayMs`. */
export type RateLimitedEvent = RequestEventBase & {
  readonly delayMs: number;
  /** True when the delay came from `Retry-After`, false when it is our back-off. */
  readonly fromRetryAfter: boolean;
};

/** Callbacks for client events. A hook that throws is logged and ignored. */
export type FortnoxClientHooks = {
  /** Before each attempt is sent. */
  onRequest?: (event: RequestEvent) => void;
  /** After each HTTP answer (any status). */
  onResponse?: (event: ResponseEvent) => void;
  /** Before waiting to retry a failed attempt. */
  onRetry?: (event: RetryEvent) => void;
  /** When Fortnox answered 429. */
  onRateLimited?: (event: RateLimitedEvent) => void;
};

/** Structured fields of a log line (never personal data or tokens). */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** A logger the client writes to; `console` fits. */
export type Logger = {
  /** Every attempt and answer. */
  debug(message: string, fields?: LogFields): void;
  /** Not used by the client today; part of the shape so `console` and common loggers fit. */
  info(message: string, fields?: LogFields): void;
  /** Retries, 429s, a throwing hook, a failing shared limiter. */
  warn(message: string, fields?: LogFields): void;
  /** Not used by the client today (failures are returned as values, not logged). */
  error(message: string, fields?: LogFields): void;
};

/** The default logger: says nothing. */
export const SILENT_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Emits events to hooks and the logger; a throwing hook never breaks a request. */
export type EventEmitter = {
  request(event: RequestEvent): void;
  response(event: ResponseEvent): void;
  retry(event: RetryEvent): void;
  rateLimited(event: RateLimitedEvent): void;
  /** A warning that is no event (e.g. a shared limiter failed to pause). */
  warn(message: string, fields: LogFields): void;
};

/** Creates the emitter for one client; a throwing hook or logger is ignored (and logged, if it can be). */
export function createEventEmitter(hooks: FortnoxClientHooks, logger: Logger): EventEmitter {
  const silent = logger === SILENT_LOGGER;
  const log = (level: keyof Logger, message: string, fields: LogFields): void => {
    if (silent) return;
    try {
      logger[level](message, fields);
    } catch {
      // A broken logger must not break the request it reports on.
    }
  };
  const call = <E>(name: string, hook: ((event: E) => void) | undefined, event: E): void => {
    if (hook === undefined) return;
    try {
      hook(event);
    } catch {
      log('warn', 'fortnox hook threw; ignored', { hook: name });
    }
  };
  return {
    request(event) {
      if (!silent) log('debug', 'fortnox request', { ...event });
      call('onRequest', hooks.onRequest, event);
    },
    response(event) {
      if (!silent) log('debug', 'fortnox response', { ...event });
      call('onResponse', hooks.onResponse, event);
    },
    retry(event) {
      log('warn', 'fortnox retry', { ...event });
      call('onRetry', hooks.onRetry, event);
    },
    rateLimited(event) {
      log('warn', 'fortnox rate limited', { ...event });
      call('onRateLimited', hooks.onRateLimited, event);
    },
    warn: (message, fields) => log('warn', message, fields),
  };
}
