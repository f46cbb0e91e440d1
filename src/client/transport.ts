/** The `fetch` the client sends with (inject one for instrumentation or tests). */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** One HTTP exchange to perform. */
export type HttpExchange = {
  readonly method: string;
  /** Absolute URL (a string is parsed once, by `fetch`). */
  readonly url: string | URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | URLSearchParams;
  /** Per-attempt timeout in ms, covering the response and its body. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
};

/** How one HTTP exchange ended. The body is read completely (as text) inside the timeout. */
export type ExchangeOutcome =
  | {
      readonly type: 'response';
      readonly status: number;
      readonly headers: Headers;
      readonly bodyText: string;
    }
  | { readonly type: 'network'; readonly sent: boolean; readonly cause: unknown }
  | { readonly type: 'timeout' }
  | { readonly type: 'aborted'; readonly cause: unknown };

/** Sends one HTTP exchange and never throws. */
export type Transport = (exchange: HttpExchange) => Promise<ExchangeOutcome>;

/** Connection errors that prove the request never left this machine. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

function errorCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when a fetch failure certainly happened before the request was sent (connect failed). */
function isConnectFailure(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const code = errorCode(cause);
  if (code !== undefined) return NOT_SENT_CODES.has(code);
  // Node tries every address of a host: all of them must have refused.
  const errors = (cause as { errors?: unknown } | undefined)?.errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((inner) => NOT_SENT_CODES.has(errorCode(inner) ?? ''))
  );
}

/**
 * Creates the transport over the platform `fetch` (read when each request is sent, so an interceptor
 * installed later still sees it). No HTTP library in between: retries, rate limiting, timeouts and
 * status handling are the client's own, so a wrapper such as ky would only add per-request cost
 * (an instance, merged options, a second `Request`, another AbortController) with every feature off.
 */
export function createTransport(fetchFunction?: FetchFunction): Transport {
  return async (exchange) => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), exchange.timeoutMs);
    const signal =
      exchange.signal === undefined
        ? timeout.signal
        : AbortSignal.any([exchange.signal, timeout.signal]);
    const init: RequestInit = { method: exchange.method, headers: exchange.headers, signal };
    if (exchange.body !== undefined) init.body = exchange.body;
    try {
      const response = await (fetchFunction ?? globalThis.fetch)(exchange.url, init);
      const bodyText = await response.text();
      return { type: 'response', status: response.status, headers: response.headers, bodyText };
    } catch (error) {
      if (exchange.signal?.aborted) return { type: 'aborted', cause: exchange.signal.reason };
      if (timeout.signal.aborted) return { type: 'timeout' };
      // The raw fetch error: it names no URL, whose query may hold personal data.
      return { type: 'network', sent: !isConnectFailure(error), cause: error };
    } finally {
      clearTimeout(timer);
    }
  };
}
