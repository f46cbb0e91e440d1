import ky, { isNetworkError, isTimeoutError, type KyInstance } from 'ky';

/** The `fetch` the client sends with (inject one for instrumentation or tests). */
export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** One HTTP exchange to perform. */
export type HttpExchange = {
  readonly method: string;
  readonly url: URL;
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
 * Creates the transport over ky 2, with ky's own retry, timeout and HTTP-error throwing turned off:
 * retries, rate limiting and status handling are the client's, so POST semantics stay exact.
 */
export function createTransport(fetchFunction?: FetchFunction): Transport {
  const client: KyInstance = ky.create({
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
    ...(fetchFunction === undefined ? {} : { fetch: fetchFunction }),
  });
  return async (exchange) => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), exchange.timeoutMs);
    const signal =
      exchange.signal === undefined
        ? timeout.signal
        : AbortSignal.any([exchange.signal, timeout.signal]);
    try {
      const response = await client(exchange.url, {
        method: exchange.method,
        headers: exchange.headers,
        signal,
        ...(exchange.body === undefined ? {} : { body: exchange.body }),
      });
      const bodyText = await response.text();
      return { type: 'response', status: response.status, headers: response.headers, bodyText };
    } catch (error) {
      if (exchange.signal?.aborted) return { type: 'aborted', cause: exchange.signal.reason };
      if (timeout.signal.aborted || isTimeoutError(error)) return { type: 'timeout' };
      // Keep the raw fetch error: ky's wrapper names the URL, whose query may hold personal data.
      const cause = isNetworkError(error) ? error.cause : error;
      return { type: 'network', sent: !isConnectFailure(cause), cause };
    } finally {
      clearTimeout(timer);
    }
  };
}
