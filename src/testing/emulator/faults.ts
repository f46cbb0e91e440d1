import { createRandom, type Random } from './prng.js';

/** What an injected fault does. */
export type FaultKind =
  | 'latency'
  | 'server-error'
  | 'connection-reset'
  | 'lost-response'
  | 'rate-limit'
  | 'revoke-token'
  | 'licence-error';

/** One fault rule: when it matches a request and its dice roll hits, the fault fires. */
export type FaultRule = {
  readonly kind: FaultKind;
  /** Chance per matching request, 0..1. @defaultValue 1 */
  readonly probability?: number;
  /** HTTP methods it applies to (upper case). @defaultValue every method */
  readonly methods?: readonly string[];
  /** Path prefix (`'/3/customers'`) or pattern it applies to. @defaultValue every path */
  readonly path?: string | RegExp;
  /** Fires at most this many times. @defaultValue unlimited */
  readonly count?: number;
  /** Status of a `server-error`. @defaultValue 500 */
  readonly status?: 500 | 503;
  /** Delay of a `latency` fault in milliseconds. @defaultValue 200 */
  readonly latencyMs?: number;
  /** Only requests of this tenant (known from the bearer token). @defaultValue every tenant */
  readonly tenantId?: string;
};

/** Runtime control of fault injection (`emulator.faults`). */
export type FaultController = {
  /** Adds a rule; returns a function that removes it again. */
  inject(rule: FaultRule): () => void;
  /** Removes every rule. */
  clear(): void;
  /** The active rules. */
  rules(): readonly FaultRule[];
  /** How often each kind fired since the start or the last `reset()`. */
  counts(): Readonly<Record<FaultKind, number>>;
  /** The rules that fire for this request (each roll consumes the seeded random source). */
  roll(request: {
    method: string;
    path: string;
    tenantId: string | undefined;
  }): readonly FaultRule[];
  /** Restores the initial rules, counters and random sequence. */
  reset(): void;
};

/** Faults that combine with others; every other kind decides the request's outcome alone. */
const ACCUMULATING: ReadonlySet<FaultKind> = new Set(['latency', 'revoke-token']);

type ActiveRule = { rule: FaultRule; fired: number };

const zeroCounts = (): Record<FaultKind, number> => ({
  latency: 0,
  'server-error': 0,
  'connection-reset': 0,
  'lost-response': 0,
  'rate-limit': 0,
  'revoke-token': 0,
  'licence-error': 0,
});

function checkRule(rule: FaultRule): FaultRule {
  const probability = rule.probability ?? 1;
  if (!(probability >= 0 && probability <= 1)) {
    throw new TypeError(`faults.inject: probability must be within 0..1, got ${probability}`);
  }
  if (rule.count !== undefined && (!Number.isInteger(rule.count) || rule.count < 1)) {
    throw new TypeError(`faults.inject: count must be a positive integer, got ${rule.count}`);
  }
  return rule;
}

function matches(
  rule: FaultRule,
  request: { method: string; path: string; tenantId: string | undefined },
) {
  if (rule.methods !== undefined && !rule.methods.includes(request.method.toUpperCase()))
    return false;
  if (rule.tenantId !== undefined && rule.tenantId !== request.tenantId) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string'
    ? request.path.startsWith(rule.path)
    : rule.path.test(request.path);
}

/** Creates the fault controller, deterministic for a given seed and request sequence. */
export function createFaultController(
  seed: number,
  initialRules: readonly FaultRule[],
): FaultController {
  let random: Random = createRandom(seed);
  let active: ActiveRule[] = initialRules.map((rule) => ({ rule: checkRule(rule), fired: 0 }));
  let counts = zeroCounts();

  return {
    inject(rule) {
      const entry = { rule: checkRule(rule), fired: 0 };
      active.push(entry);
      return () => {
        active = active.filter((candidate) => candidate !== entry);
      };
    },
    clear() {
      active = [];
    },
    rules: () => active.map(({ rule }) => rule),
    counts: () => ({ ...counts }),
    roll(request) {
      const fired: FaultRule[] = [];
      let decided = false;
      for (const entry of active) {
        // One request gets at most one outcome-changing fault; later rules keep their budget.
        if (decided && !ACCUMULATING.has(entry.rule.kind)) continue;
        if (!matches(entry.rule, request)) continue;
        if (entry.rule.count !== undefined && entry.fired >= entry.rule.count) continue;
        if (random.next() >= (entry.rule.probability ?? 1)) continue;
        entry.fired += 1;
        counts[entry.rule.kind] += 1;
        fired.push(entry.rule);
        if (!ACCUMULATING.has(entry.rule.kind)) decided = true;
      }
      return fired;
    },
    reset() {
      random = createRandom(seed);
      active = initialRules.map((rule) => ({ rule, fired: 0 }));
      counts = zeroCounts();
    },
  };
}
