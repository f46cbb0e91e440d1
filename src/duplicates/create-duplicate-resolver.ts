import { externalReferenceKey } from './blocking-keys.js';
import { compareFeatures } from './compare-features.js';
import { type CustomerFeatures, extractFeatures } from './customer-features.js';
import {
  type CustomerIndex,
  type IndexedCustomer,
  nameFrequenciesOf,
  nameTokenCountOf,
} from './customer-index.js';
import type { DuplicateDecision, ResolveResult } from './duplicate-decision.js';
import {
  type DuplicateOptions,
  normalizeDuplicateOptions,
  type ResolvedDuplicateOptions,
} from './duplicate-options.js';
import type { DuplicateResolver } from './duplicate-resolver.js';
import { createDuplicateWarning, type DuplicateWarning } from './duplicate-warning.js';
import { fillableFields } from './fill-fields.js';
import { sharesPersonalContact } from './household-rule.js';
import { autoLinkReason, type LinkReason } from './link-rules.js';
import { compareCandidates, type ScoredCandidate, searchCandidates } from './match-candidates.js';
import {
  assertResolvableCustomer,
  featureInputOf,
  type ResolvableCustomer,
} from './resolvable-customer.js';
import { resolveAllWith } from './resolve-all-with.js';
import { createWeightTable, type MatchEvidence, type WeightTable } from './score-match.js';

/** What one resolution works with. */
type Context = {
  readonly source: ResolvableCustomer;
  readonly features: CustomerFeatures;
  readonly options: ResolvedDuplicateOptions;
  readonly weights: WeightTable;
  readonly warnings: DuplicateWarning[];
};

function linkTo(context: Context, target: ScoredCandidate, reason: LinkReason): DuplicateDecision {
  const { source, features, options } = context;
  const fields = fillableFields(source, features, target.entry, options.fillPolicy);
  const link = { customerNumber: target.entry.customerNumber, reason, evidence: target.evidence };
  return fields.length > 0
    ? { kind: 'update-existing', ...link, fields }
    : { kind: 'link', ...link };
}

const identityDisagrees = (evidence: MatchEvidence) =>
  evidence.fields.some((field) => field.field === 'identity' && field.level === 'disagree');

/** The first of candidates sorted best first; warns when there was a choice. */
function pickBest(context: Context, sorted: readonly ScoredCandidate[]): ScoredCandidate {
  if (sorted.length > 1) {
    const numbers = sorted.map((candidate) => candidate.entry.customerNumber);
    context.warnings.push(createDuplicateWarning('multiple-matches', numbers));
  }
  return sorted[0]!;
}

function decide(context: Context, index: CustomerIndex): DuplicateDecision {
  const { source, features, options, weights } = context;
  const frequencies = nameFrequenciesOf(index);
  const score = (entry: IndexedCustomer): ScoredCandidate => ({
    entry,
    evidence: compareFeatures(features, entry.features, weights, frequencies),
  });

  // The source's own id in ExternalReference: this customer was created or linked by us before,
  // unless its organisation number says otherwise (another integration's id, or a corrected number).
  const referenced = index
    .block(externalReferenceKey(source.id))
    .map(score)
    .sort(compareCandidates);
  const trusted = referenced.filter((candidate) => !identityDisagrees(candidate.evidence));
  if (trusted.length > 0) return linkTo(context, pickBest(context, trusted), 'external-reference');
  if (referenced.length > 0) {
    const numbers = referenced.map((candidate) => candidate.entry.customerNumber);
    context.warnings.push(createDuplicateWarning('conflicting-external-reference', numbers));
  }

  const search = searchCandidates(features, index, weights, {
    maxBlockSize: options.maxBlockSize,
    minScore: options.askThreshold,
    keepSharedContacts: true,
  });
  if (search.limited) context.warnings.push(createDuplicateWarning('blocking-limit'));
  const linkable: { candidate: ScoredCandidate; reason: LinkReason }[] = [];
  for (const candidate of search.candidates) {
    const reason = autoLinkReason(
      features,
      candidate.entry.features,
      candidate.evidence,
      options.linkThreshold,
      nameTokenCountOf(index),
    );
    if (reason !== undefined) linkable.push({ candidate, reason });
  }
  // An equal organisation number outranks every score: it is the company's identity. Several
  // customers may share one (a municipality's departments): the rest of the data picks.
  const sameOrganisation = linkable.filter((link) => link.reason === 'organisation-number');
  const chosen = sameOrganisation.length > 0 ? sameOrganisation : linkable;
  const best = chosen[0];
  if (best !== undefined) {
    const candidate = pickBest(
      context,
      chosen.map((link) => link.candidate),
    );
    return linkTo(context, candidate, best.reason);
  }
  // A conflicting referenced customer is always offered: a person knows which number is right.
  // So is a person sharing the phone or e-mail (household rule): the user decides, not the score.
  const found = search.candidates
    .filter(
      (candidate) =>
        candidate.evidence.score >= options.askThreshold ||
        sharesPersonalContact(features, candidate.entry.features, candidate.evidence),
    )
    .filter((candidate) => !referenced.some((conflict) => conflict.entry === candidate.entry))
    .slice(0, Math.max(0, options.maxCandidates - referenced.length));
  const candidates = [...found, ...referenced]
    .slice(0, options.maxCandidates)
    .sort(compareCandidates)
    .map(({ entry, evidence }) => ({
      customerNumber: entry.customerNumber,
      score: evidence.score,
      evidence,
    }));
  return candidates.length > 0 ? { kind: 'ask', candidates } : CREATE;
}

/** Most customers are new: one frozen decision and one empty warning list serve them all. */
const CREATE: DuplicateDecision = Object.freeze({ kind: 'create' });
const NO_WARNINGS: readonly DuplicateWarning[] = Object.freeze([]);

/**
 * Builds the default {@link DuplicateResolver}: blocking over the index, Fellegi–Sunter scoring
 * (an agreeing name weighs by how common it is in the index), and the product's link rules
 * (organisation number is a company's identity; a private person links on the whole name plus
 * phone, e-mail or address, or on the personnummer, and a person sharing the phone or e-mail under
 * another name is always asked about; a name alone never links).
 *
 * @example
 * const resolver = createDuplicateResolver({ linkThreshold: 22 });
 * const index = createCustomerIndex(inventory);
 * const { decision, warnings } = resolver.resolve(sourceCustomer, index);
 */
export function createDuplicateResolver(options?: DuplicateOptions): DuplicateResolver {
  const resolved = normalizeDuplicateOptions(options);
  const weights = createWeightTable(resolved.probabilities);

  const resolve = (source: ResolvableCustomer, index: CustomerIndex): ResolveResult => {
    assertResolvableCustomer(source);
    const features = extractFeatures(featureInputOf(source), resolved.now);
    const warnings: DuplicateWarning[] = [];
    // Abroad, a number that is not Swedish is that country's own (the mapper keeps it as written).
    const abroad = features.countryCode !== undefined && features.countryCode !== 'SE';
    if (source.organisationNumber?.trim() && !abroad && !/^[op]:/.test(features.identity ?? '')) {
      warnings.push(createDuplicateWarning('invalid-identity-number'));
    }
    const decision = decide({ source, features, options: resolved, weights, warnings }, index);
    return { decision, warnings: warnings.length === 0 ? NO_WARNINGS : warnings };
  };

  const resolveAll = (sources: Iterable<ResolvableCustomer>, index: CustomerIndex) =>
    resolveAllWith(resolve, sources, index);

  return { resolve, resolveAll };
}
