/**
 * Duplicate detection: who a source customer already is in Fortnox, and which Fortnox customers
 * are duplicates of each other. Pure over an in-memory index.
 * @packageDocumentation
 */
export type { ComparisonLevel } from './compare-features.js';
export { createDuplicateResolver } from './create-duplicate-resolver.js';
export type { CustomerFeatures, CustomerKind } from './customer-features.js';
export {
  type CustomerIndex,
  type CustomerIndexOptions,
  createCustomerIndex,
  INDEXED_FIELDS,
  type IndexableCustomer,
  type IndexedCustomer,
  type IndexedField,
} from './customer-index.js';
export type { DuplicateCandidate, DuplicateDecision, ResolveResult } from './duplicate-decision.js';
export {
  type ComparedField,
  DEFAULT_DUPLICATE_OPTIONS,
  type DuplicateOptions,
  type FieldProbabilities,
  type FillPolicy,
  normalizeDuplicateOptions,
  type OutcomeProbabilities,
  type ResolvedDuplicateOptions,
} from './duplicate-options.js';
export type { DuplicateResolver } from './duplicate-resolver.js';
export type { DuplicateWarning, DuplicateWarningCode } from './duplicate-warning.js';
export type { FillableField } from './fill-fields.js';
export {
  type DuplicateGroup,
  type DuplicatePair,
  findDuplicateGroups,
} from './find-duplicate-groups.js';
export { foldText } from './fold-text.js';
export type { LinkReason } from './link-rules.js';
export { nameTokens } from './name-tokens.js';
export type { ResolvableCustomer } from './resolvable-customer.js';
export { resolveAllWith } from './resolve-all-with.js';
export type { FieldEvidence, MatchEvidence } from './score-match.js';
export { jaroWinkler } from './string-similarity.js';
export { tokenSetSimilarity } from './token-set-similarity.js';
