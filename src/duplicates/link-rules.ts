import type { ComparisonLevel } from './compare-features.js';
import type { CustomerFeatures } from './customer-features.js';
import type { ComparedField } from './duplicate-options.js';
import { householdRuleAllowsLink, type NameTokenCount } from './household-rule.js';
import type { MatchEvidence } from './score-match.js';

/** Why a source customer was linked to a Fortnox customer without asking. */
export type LinkReason =
  | 'external-reference'
  | 'organisation-number'
  | 'personal-identity-number'
  | 'name-and-phone'
  | 'name-and-email'
  | 'name-and-address';

function levelOf(evidence: MatchEvidence, field: ComparedField): ComparisonLevel {
  return evidence.fields.find((entry) => entry.field === field)?.level ?? 'missing';
}

/**
 * The rules on top of the score: the reason a scored match may link automatically, or `undefined`
 * when it may at most be asked about.
 *
 * - A conflicting identity number or customer type never links.
 * - An equal organisation number links a company whatever its name (it is the identity); a
 *   company whose number is a personnummer is a sole trader, and that number is its identity too.
 * - Otherwise the name must agree (for a private person a near spelling is enough) and so must a
 *   personnummer, phone or e-mail: a name alone never links.
 * - A name that is only similar, with a phone or e-mail that contradicts, is asked about.
 * - `name-and-address`: the name agrees exactly, street and postal code agree, and the phone or
 *   e-mail is one keystroke off (a typo, not another person's number).
 * - On top of all that, the household rule (`householdRuleAllowsLink`): a private person links
 *   only on an equal personnummer, or on the whole name plus phone, e-mail or address. Another
 *   given name or surname on a shared phone or address is asked about, whatever the score.
 *
 * `source` is the customer being resolved (or the lower-numbered one of an audited pair), `target`
 * the candidate; `count` tells how common a name token is in the index.
 */
export function autoLinkReason(
  source: CustomerFeatures,
  target: CustomerFeatures,
  evidence: MatchEvidence,
  linkThreshold: number,
  count?: NameTokenCount,
): LinkReason | undefined {
  const reason = scoredLinkReason(source, evidence, linkThreshold);
  if (reason === undefined || reason === 'organisation-number') return reason;
  return householdRuleAllowsLink(source, target, evidence, count) ? reason : undefined;
}

function scoredLinkReason(
  source: CustomerFeatures,
  evidence: MatchEvidence,
  linkThreshold: number,
): LinkReason | undefined {
  const { kind, identity } = source;
  const identityLevel = levelOf(evidence, 'identity');
  if (identityLevel === 'disagree' || levelOf(evidence, 'type') === 'disagree') return undefined;
  // A sole trader's (enskild firma) organisation number is the owner's personnummer.
  const isOrganisationNumber =
    identity?.startsWith('o:') || (kind === 'company' && identity?.startsWith('p:'));
  if (identityLevel === 'agree' && kind !== 'private' && isOrganisationNumber) {
    return 'organisation-number';
  }
  if (evidence.score < linkThreshold) return undefined;
  const name = levelOf(evidence, 'name');
  const nameMatches = name === 'agree' || (name === 'partial' && kind === 'private');
  if (!nameMatches) return undefined;
  // Equal digits of an invalid number weigh as evidence but are no reason on their own.
  if (identityLevel === 'agree' && identity?.startsWith('p:')) return 'personal-identity-number';
  const phone = levelOf(evidence, 'phone');
  const email = levelOf(evidence, 'email');
  // A name spelt a little differently ("Anna"/"Hanna") plus a contradicting contact may be a
  // household member sharing a phone or a mailbox: ask rather than link.
  const nameExact = evidence.fields.find((field) => field.field === 'name')?.similarity === 1;
  if (phone === 'agree' && (nameExact || email !== 'disagree')) return 'name-and-phone';
  if (email === 'agree' && (nameExact || phone !== 'disagree')) return 'name-and-email';
  // A phone or e-mail one keystroke off counts only with the same name at the same address.
  const nearContact = phone === 'partial' || email === 'partial';
  const postalCode = levelOf(evidence, 'postalCode');
  const sameAddress =
    levelOf(evidence, 'street') === 'agree' && (postalCode === 'agree' || postalCode === 'partial');
  if (name === 'agree' && nearContact && sameAddress) return 'name-and-address';
  return undefined;
}
