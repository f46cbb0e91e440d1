import type { FaultKind } from './faults.js';

/** One handled request. No bodies, no query strings, no tokens: only what is safe to print. */
export type RequestLogEntry = {
  /** When it was handled (epoch ms, from the emulator's clock). */
  readonly at: number;
  /** HTTP method, upper case. */
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** HTTP status; 0 when the client saw a network error. */
  readonly status: number;
  /** The tenant its bearer token belongs to; `undefined` without a valid token and for OAuth. */
  readonly tenantId: string | undefined;
  /** The injected faults that shaped this response. */
  readonly faults: readonly FaultKind[];
};

/** The emulator's request log. */
export type RequestLog = {
  add(entry: RequestLogEntry): void;
  entries(): readonly RequestLogEntry[];
  clear(): void;
};

/** Creates a request log that keeps at most `capacity` entries (the newest). */
export function createRequestLog(capacity = 10_000): RequestLog {
  let entries: RequestLogEntry[] = [];
  return {
    add(entry) {
      entries.push(entry);
      // Trim in batches so a long run does not copy the whole log on every request.
      if (entries.length > capacity * 1.5) entries = entries.slice(-capacity);
    },
    entries: () => entries.slice(-capacity),
    clear() {
      entries = [];
    },
  };
}
