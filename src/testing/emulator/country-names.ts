import { isIsoCountryCode } from '../../fortnox/index.js';

/** Swedish names Fortnox shows for common countries (Fortnox derives `Country` from `CountryCode`). */
const COMMON_COUNTRY_NAMES: Readonly<Record<string, string>> = {
  SE: 'Sverige',
  NO: 'Norge',
  DK: 'Danmark',
  FI: 'Finland',
  IS: 'Island',
  AX: 'Åland',
  DE: 'Tyskland',
  GB: 'Storbritannien',
  US: 'USA',
  FR: 'Frankrike',
  ES: 'Spanien',
  IT: 'Italien',
  NL: 'Nederländerna',
  BE: 'Belgien',
  PL: 'Polen',
  EE: 'Estland',
  LV: 'Lettland',
  LT: 'Litauen',
  AT: 'Österrike',
  CH: 'Schweiz',
  IE: 'Irland',
  PT: 'Portugal',
  GR: 'Grekland',
  CN: 'Kina',
  JP: 'Japan',
  CA: 'Kanada',
  AU: 'Australien',
};

const displayNames = new Intl.DisplayNames(['sv'], { type: 'region', fallback: 'none' });

/**
 * The Swedish country name for an ISO 3166-1 alpha-2 code (`"SE"` → `"Sverige"`), `""` for an empty
 * or unknown code.
 */
export function swedishCountryName(code: string): string {
  const upper = code.toUpperCase();
  if (!isIsoCountryCode(upper)) return '';
  return COMMON_COUNTRY_NAMES[upper] ?? displayNames.of(upper) ?? upper;
}
