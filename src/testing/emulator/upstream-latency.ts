import { createRandom } from './prng.js';

/** Milliseconds: a fixed number, or a range `[min, max]` drawn from a seeded random source. */
export type LatencyMs = number | readonly [min: number, max: number];

/** What an {@link UpstreamLatency} function sees of one API request. */
export type UpstreamLatencyContext = {
  /** `cold` on a new connection (TCP and TLS handshakes on the way), `warm` on a reused one. */
  readonly connection: 'cold' | 'warm';
  readonly method: string;
  readonly path: string;
};

/** Latency of new and reused connections. */
export type UpstreamLatencyOptions = {
  /** Before a request on a new connection arrives, e.g. `[60, 300]` for a TLS handshake to Fortnox. */
  readonly coldMs: LatencyMs;
  /** Before a request on a reused connection arrives. @defaultValue 0 */
  readonly warmMs?: LatencyMs;
  /** Seed of the random source that ranges draw from. @defaultValue 1 */
  readonly seed?: number;
};

/**
 * Time an API request spends on its way to Fortnox, awaited **before** the rate limit counts it:
 * options for new and reused connections, or a function of the request (return milliseconds).
 */
export type UpstreamLatency =
  | UpstreamLatencyOptions
  | ((request: UpstreamLatencyContext) => number);

/** One request on its connection: how long it travels, and the call that frees the connection. */
type Trip = { readonly latencyMs: number; leave(): void };

/**
 * The connections of one client process, as an HTTP keep-alive pool opens them: a request takes an
 * idle connection (warm) or opens one more (cold); connections stay open.
 */
export type UpstreamConnections = {
  enter(request: { readonly method: string; readonly path: string }): Trip;
  /** Closes every connection (the next requests are cold again) and restarts the random source. */
  reset(): void;
};

function checkLatency(name: string, value: LatencyMs): void {
  const [min, max] = typeof value === 'number' ? [value, value] : value;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
    throw new TypeError(
      `createFortnoxEmulator: upstreamLatency.${name} must be milliseconds >= 0 or a range [min, max], e.g. { coldMs: [60, 300], warmMs: 10 }`,
    );
  }
}

/** Checks the option; throws a `TypeError` that names the field. */
export function checkUpstreamLatency(latency: UpstreamLatency): UpstreamLatency {
  if (typeof latency === 'function') return latency;
  if (typeof latency !== 'object' || latency === null) {
    throw new TypeError(
      'createFortnoxEmulator: upstreamLatency must be { coldMs, warmMs? } or a function returning milliseconds',
    );
  }
  checkLatency('coldMs', latency.coldMs);
  checkLatency('warmMs', latency.warmMs ?? 0);
  return latency;
}

/** Creates the connection pool of {@link UpstreamLatency}. */
export function createUpstreamConnections(latency: UpstreamLatency): UpstreamConnections {
  const seed = typeof latency === 'function' ? 1 : (latency.seed ?? 1);
  let random = createRandom(seed);
  let open = 0;
  let busy = 0;
  const draw = (value: LatencyMs): number =>
    typeof value === 'number' ? value : value[0] + random.next() * (value[1] - value[0]);
  return {
    enter({ method, path }) {
      const connection = busy < open ? 'warm' : 'cold';
      if (connection === 'cold') open += 1;
      busy += 1;
      const ms =
        typeof latency === 'function'
          ? latency({ connection, method, path })
          : draw(connection === 'cold' ? latency.coldMs : (latency.warmMs ?? 0));
      let left = false;
      return {
        latencyMs: Number.isFinite(ms) && ms > 0 ? ms : 0,
        leave() {
          if (left) return;
          left = true;
          busy -= 1;
        },
      };
    },
    reset() {
      random = createRandom(seed);
      open = 0;
      busy = 0;
    },
  };
}
