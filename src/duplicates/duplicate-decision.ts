import type { DuplicateWarning } from './duplicate-warning.js';
import type { FillableField } from './fill-fields.js';
import type { LinkReason } from './link-rules.js';
import type { MatchEvidence } from './score-match.js';

/** A Fortnox customer offered to a person to decide about, with its evidence. */
export type DuplicateCandidate = {
  /** The Fortnox customer's number. */
  readonly customerNumber: string;
  /** The match score (bits of evidence), also `evidence.score`. */
  readonly score: number;
  /** How each field compared. */
  readonly evidence: MatchEvidence;
};

/**
 * What to do with a source customer:
 * - `create`: no Fortnox customer is the same; create one.
 * - `link`: it is `customerNumber`; store the link, nothing to write.
 * - `update-existing`: it is `customerNumber`, and `fields` should be written from the source.
 * - `ask`: it may be one of `candidates` (best first); a person decides.
 */
export type DuplicateDecision =
  | { readonly kind: 'create' }
  | {
      readonly kind: 'link';
      readonly customerNumber: string;
      readonly reason: LinkReason;
      readonly evidence: MatchEvidence;
    }
  | {
      readonly kind: 'update-existing';
      readonly customerNumber: string;
      readonly reason: LinkReason;
      readonly evidence: MatchEvidence;
      /** Owned Fortnox fields to write from the mapped source customer. */
      readonly fields: readonly FillableField[];
    }
  | { readonly kind: 'ask'; readonly candidates: readonly DuplicateCandidate[] };

/** A decision and the warnings that came with it. */
export type ResolveResult = {
  /** What to do with the source customer. */
  readonly decision: DuplicateDecision;
  /** Reasons to look at the decision again; empty when there are none. */
  readonly warnings: readonly DuplicateWarning[];
};
