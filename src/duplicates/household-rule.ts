import type { CustomerFeatures } from './customer-features.js';
import type { MatchEvidence } from './score-match.js';
import { isWithinOneEdit } from './string-similarity.js';

/**
 * How often a name token occurs in the index (the number of customers whose name holds it).
 * Tells a typo (rare) from another real name (common): "Jansson" and "Jonsson" are one letter
 * apart, but when both are common they are two families, not a slip of the finger.
 */
export type NameTokenCount = (token: string) => number;

/** A token seen this often in the index is a name in its own right, not a typo of another. */
export const COMMON_NAME_TOKEN_COUNT = 3;
/** Tokens shorter than this are never a typo of each other ("Jan"/"Jon", "Per"/"Pär"). */
const MIN_TYPO_TOKEN_LENGTH = 4;

const NO_COUNTS: NameTokenCount = () => 0;

/** Whether two different tokens are one spelling mistake apart rather than two names. */
function isTypo(a: string, b: string, count: NameTokenCount): boolean {
  if (Math.max(a.length, b.length) < MIN_TYPO_TOKEN_LENGTH || !isWithinOneEdit(a, b)) return false;
  return count(a) < COMMON_NAME_TOKEN_COUNT || count(b) < COMMON_NAME_TOKEN_COUNT;
}

/**
 * Whether two person names are the whole same name: every token of the shorter name has its own
 * partner in the longer one, equal or one typo off, in any order ("Andersson, Anna"); a token left
 * over in the longer name must be a middle name, inside the name and not at either end, so the
 * son "Erik Lars Ali" is not his father "Lars Ali". A name of one token agrees only with a name of
 * one token: "Anna" is not "Anna Andersson". Names written together and apart ("Annakarin" /
 * "Anna Karin") agree.
 *
 * @example wholeNameAgrees(['anna', 'andersson'], ['anna', 'karin', 'andersson']) // true
 * @example wholeNameAgrees(['anders', 'svensson'], ['anders', 'andersson']) // false
 */
export function wholeNameAgrees(
  a: readonly string[],
  b: readonly string[],
  count: NameTokenCount = NO_COUNTS,
): boolean {
  if (a.length === 0 || b.length === 0) return false;
  if (a.join('') === b.join('')) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length === 1 && longer.length > 1) return false;
  const used = new Array<boolean>(longer.length).fill(false);
  const unmatched: string[] = [];
  // Equal tokens first, so a typo cannot take the partner of an exact match.
  for (const token of shorter) {
    const at = longer.findIndex((other, k) => !used[k] && other === token);
    if (at >= 0) used[at] = true;
    else unmatched.push(token);
  }
  for (const token of unmatched) {
    const at = longer.findIndex((other, k) => !used[k] && isTypo(token, other, count));
    if (at < 0) return false;
    used[at] = true;
  }
  return used[0] === true && used[longer.length - 1] === true;
}

function levelOf(evidence: MatchEvidence, field: MatchEvidence['fields'][number]['field']) {
  return evidence.fields.find((entry) => entry.field === field)?.level ?? 'missing';
}

/** Street agrees, and so does the postal code (or one digit off) or the city. */
export function addressAgrees(evidence: MatchEvidence): boolean {
  if (levelOf(evidence, 'street') !== 'agree') return false;
  const postalCode = levelOf(evidence, 'postalCode');
  return (
    postalCode === 'agree' || postalCode === 'partial' || levelOf(evidence, 'city') === 'agree'
  );
}

/** Whether the household rule applies: neither side is known to be a company. */
export function isPersonPair(a: CustomerFeatures, b: CustomerFeatures): boolean {
  return a.kind !== 'company' && b.kind !== 'company';
}

/**
 * The household rule. Two records of private persons may be linked without asking only on strong
 * evidence that they are the same person:
 * - the personnummer agrees; or
 * - the whole name agrees ({@link wholeNameAgrees}: a typo or a missing middle name allowed) and
 *   the phone, the e-mail or the address agrees.
 *
 * So people who share a phone, a mailbox or a home but not their name (housemates "Anna" and
 * "Erik Andersson"; namesakes "Maria Olsson" and "Maria Karlsson" on one family phone) are never
 * linked, however high their score: a person decides (`ask`). A wrong link would put one person's
 * invoices on another person's customer. Companies are not persons: the rule does not apply to
 * a pair where either side is known to be a company.
 */
export function householdRuleAllowsLink(
  a: CustomerFeatures,
  b: CustomerFeatures,
  evidence: MatchEvidence,
  count: NameTokenCount = NO_COUNTS,
): boolean {
  if (!isPersonPair(a, b)) return true;
  const identity = levelOf(evidence, 'identity');
  if (identity === 'agree' && a.identity?.startsWith('p:')) return true;
  if (identity === 'disagree') return false;
  if (!wholeNameAgrees(a.personNameTokens, b.personNameTokens, count)) return false;
  return (
    levelOf(evidence, 'phone') === 'agree' ||
    levelOf(evidence, 'email') === 'agree' ||
    addressAgrees(evidence)
  );
}

/**
 * Whether a candidate must be shown to a person even when it scores below the ask threshold: a
 * private person who shares the phone or the e-mail (a housemate, a namesake on the family phone).
 * The product asks the user whenever similar customers exist.
 */
export function sharesPersonalContact(
  a: CustomerFeatures,
  b: CustomerFeatures,
  evidence: MatchEvidence,
): boolean {
  return (
    isPersonPair(a, b) &&
    (levelOf(evidence, 'phone') === 'agree' || levelOf(evidence, 'email') === 'agree')
  );
}
