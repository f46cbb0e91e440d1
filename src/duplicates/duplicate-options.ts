/** The fields a source customer and a Fortnox customer are compared on. */
export type ComparedField =
  | 'identity'
  | 'name'
  | 'email'
  | 'phone'
  | 'street'
  | 'postalCode'
  | 'city'
  | 'type';

/**
 * Fellegi–Sunter probabilities of one comparison outcome: `m` = P(outcome | same customer),
 * `u` = P(outcome | different customers). The evidence weight is log2(m / u).
 */
export type OutcomeProbabilities = { readonly m: number; readonly u: number };

/**
 * Probabilities of one field's `agree` and `partial` outcomes; `disagree` takes the rest
 * (m = 1 − m.agree − m.partial, u likewise), a missing value weighs nothing.
 */
export type FieldProbabilities = {
  readonly agree: OutcomeProbabilities;
  readonly partial: OutcomeProbabilities;
};

/** What to do with a field that both the source and the linked Fortnox customer have, differently. */
export type FillPolicy = 'fill-empty' | 'overwrite';

/** Options of {@link createDuplicateResolver} and {@link findDuplicateGroups}; all optional. */
export type DuplicateOptions = {
  /**
   * Score (sum of log2 evidence weights) from which a match links automatically, when the match
   * also passes the rules (a company never on name alone; a private person needs the whole name
   * plus phone, e-mail or address, or the personnummer: another given name or surname on a shared
   * phone or address is always `ask`, whatever the score).
   * @defaultValue 20
   */
  readonly linkThreshold?: number;
  /**
   * Score from which a candidate is offered to a person to decide (`ask`).
   * @defaultValue 10
   */
  readonly askThreshold?: number;
  /**
   * Most candidates listed in an `ask` decision, best first.
   * @defaultValue 5
   */
  readonly maxCandidates?: number;
  /**
   * A blocking key shared by more index entries than this is too common to tell customers apart
   * and is skipped (a `blocking-limit` warning says so); keeps resolution linear. The fallback
   * keys by city (a surname or a street in a city) are read only while far smaller.
   * @defaultValue 200
   */
  readonly maxBlockSize?: number;
  /**
   * `fill-empty`: the linked Fortnox customer only gets the fields it lacks (the bookkeeper's
   * values are never overwritten). `overwrite`: every owned field that differs is listed.
   * @defaultValue 'fill-empty'
   */
  readonly fillPolicy?: FillPolicy;
  /**
   * Per-field probabilities; given fields replace the defaults of those fields.
   * @defaultValue `DEFAULT_DUPLICATE_OPTIONS.probabilities`
   * @example { phone: { agree: { m: 0.8, u: 1e-5 }, partial: { m: 0.1, u: 1e-3 } } }
   */
  readonly probabilities?: Partial<Record<ComparedField, FieldProbabilities>>;
  /**
   * The moment 10-digit personnummer are read at (decides their century).
   * @defaultValue the current time
   */
  readonly now?: Date;
};

/** {@link DuplicateOptions} with every default applied. */
export type ResolvedDuplicateOptions = {
  readonly linkThreshold: number;
  readonly askThreshold: number;
  readonly maxCandidates: number;
  readonly maxBlockSize: number;
  readonly fillPolicy: FillPolicy;
  readonly probabilities: Readonly<Record<ComparedField, FieldProbabilities>>;
  readonly now: Date | undefined;
};

/** The default option values of the duplicate resolver. */
export const DEFAULT_DUPLICATE_OPTIONS = {
  linkThreshold: 20,
  askThreshold: 10,
  maxCandidates: 5,
  maxBlockSize: 200,
  fillPolicy: 'fill-empty',
  probabilities: {
    identity: { agree: { m: 0.97, u: 1e-7 }, partial: { m: 0, u: 0 } },
    name: { agree: { m: 0.85, u: 5e-4 }, partial: { m: 0.12, u: 5e-3 } },
    email: { agree: { m: 0.85, u: 1e-5 }, partial: { m: 0.04, u: 1e-3 } },
    phone: { agree: { m: 0.85, u: 1e-5 }, partial: { m: 0.07, u: 5e-4 } },
    street: { agree: { m: 0.8, u: 1e-3 }, partial: { m: 0.12, u: 5e-3 } },
    postalCode: { agree: { m: 0.9, u: 0.01 }, partial: { m: 0.05, u: 0.03 } },
    city: { agree: { m: 0.9, u: 0.05 }, partial: { m: 0.05, u: 0.02 } },
    type: { agree: { m: 0.99, u: 0.7 }, partial: { m: 0, u: 0 } },
  },
  now: undefined,
} as const satisfies ResolvedDuplicateOptions;

function assertProbabilities(field: string, value: FieldProbabilities): void {
  const { agree, partial } = value;
  const all = [agree.m, agree.u, partial.m, partial.u];
  const valid =
    all.every((p) => Number.isFinite(p) && p >= 0 && p <= 1) &&
    agree.m > 0 &&
    agree.u > 0 &&
    agree.m + partial.m < 1 &&
    agree.u + partial.u < 1 &&
    (partial.m === 0) === (partial.u === 0);
  if (!valid) {
    throw new TypeError(
      `fortnox-sync: probabilities.${field} must have 0 < m, u ≤ 1 for agree, m.agree + m.partial < 1 ` +
        'and u.agree + u.partial < 1, e.g. { agree: { m: 0.85, u: 1e-5 }, partial: { m: 0.07, u: 5e-4 } }',
    );
  }
}

/**
 * Applies {@link DEFAULT_DUPLICATE_OPTIONS} to the given options. Misconfiguration is a programmer
 * error and throws a `TypeError` that shows a correct value.
 */
export function normalizeDuplicateOptions(
  options: DuplicateOptions = {},
): ResolvedDuplicateOptions {
  const defaults = DEFAULT_DUPLICATE_OPTIONS;
  const resolved: ResolvedDuplicateOptions = {
    linkThreshold: options.linkThreshold ?? defaults.linkThreshold,
    askThreshold: options.askThreshold ?? defaults.askThreshold,
    maxCandidates: options.maxCandidates ?? defaults.maxCandidates,
    maxBlockSize: options.maxBlockSize ?? defaults.maxBlockSize,
    fillPolicy: options.fillPolicy ?? defaults.fillPolicy,
    probabilities: { ...defaults.probabilities, ...options.probabilities },
    now: options.now ?? defaults.now,
  };
  if (!Number.isFinite(resolved.linkThreshold) || !Number.isFinite(resolved.askThreshold)) {
    throw new TypeError(
      'fortnox-sync: linkThreshold and askThreshold must be finite, e.g. { linkThreshold: 20 }',
    );
  }
  if (resolved.askThreshold > resolved.linkThreshold) {
    throw new TypeError(
      'fortnox-sync: askThreshold must not exceed linkThreshold, e.g. { askThreshold: 10, linkThreshold: 20 }',
    );
  }
  for (const [name, value] of [
    ['maxCandidates', resolved.maxCandidates],
    ['maxBlockSize', resolved.maxBlockSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new TypeError(`fortnox-sync: ${name} must be a positive integer, e.g. { ${name}: 5 }`);
    }
  }
  if (resolved.fillPolicy !== 'fill-empty' && resolved.fillPolicy !== 'overwrite') {
    throw new TypeError("fortnox-sync: fillPolicy must be 'fill-empty' or 'overwrite'");
  }
  if (resolved.now !== undefined && Number.isNaN(resolved.now.getTime())) {
    throw new TypeError('fortnox-sync: now must be a valid Date, e.g. { now: new Date() }');
  }
  for (const [field, value] of Object.entries(resolved.probabilities)) {
    assertProbabilities(field, value);
  }
  return resolved;
}
