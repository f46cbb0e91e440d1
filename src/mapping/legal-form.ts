/**
 * The legal-form group that the first digit of a Swedish organisation number encodes
 * (Skatteverket's groups; the group, not the exact company form).
 * - `1` `estate` (dödsbo) · `2` `public-sector` (stat, region, kommun, församling)
 * - `3` `foreign-company` (utländskt företag med verksamhet eller fastighet i Sverige)
 * - `5` `limited-company` (aktiebolag) · `6` `simple-partnership` (enkelt bolag)
 * - `7` `economic-association` (ekonomisk förening, bostadsrättsförening)
 * - `8` `non-profit-association-or-foundation` (ideell förening, stiftelse)
 * - `9` `trading-partnership` (handelsbolag, kommanditbolag)
 * - `0`, `4`: `unassigned` (no group is defined for these digits)
 */
export type LegalForm =
  | 'estate'
  | 'public-sector'
  | 'foreign-company'
  | 'limited-company'
  | 'simple-partnership'
  | 'economic-association'
  | 'non-profit-association-or-foundation'
  | 'trading-partnership'
  | 'unassigned';

const LEGAL_FORM_BY_DIGIT: Readonly<Record<string, LegalForm>> = {
  '1': 'estate',
  '2': 'public-sector',
  '3': 'foreign-company',
  '5': 'limited-company',
  '6': 'simple-partnership',
  '7': 'economic-association',
  '8': 'non-profit-association-or-foundation',
  '9': 'trading-partnership',
};

/** The legal-form group of an organisation number from its first digit. */
export function legalFormOf(digits: string): LegalForm {
  return LEGAL_FORM_BY_DIGIT[digits.charAt(0)] ?? 'unassigned';
}
