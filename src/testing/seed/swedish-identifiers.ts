import { luhnCheckDigit } from '../../mapping/luhn.js';
import type { Random } from '../emulator/prng.js';
import type { SwedishCity } from './swedish-data.js';

const digits = (random: Random, count: number) =>
  Array.from({ length: count }, () => String(random.int(0, 9))).join('');
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Legal-form groups (first digit): 2 public sector, 5 aktiebolag, 7 ek. förening, 8 ideell, 9 handelsbolag. */
export const LEGAL_FORM_GROUPS = [2, 5, 7, 8, 9] as const;

/** A valid organisationsnummer `NNNNNN-NNNN`: legal-form digit, 3rd digit ≥ 2, Luhn check digit. */
export function generateOrganisationNumber(random: Random, group: number): string {
  const body = `${group}${random.int(0, 9)}${random.int(2, 9)}${digits(random, 6)}`;
  return `${body.slice(0, 6)}-${body.slice(6)}${luhnCheckDigit(body)}`;
}

/** A valid personnummer `YYMMDD-NNNC` of someone born 1940–2005 (never 100 years old, so `-`). */
export function generatePersonalIdentityNumber(random: Random): string {
  const year = random.int(1940, 2005);
  const month = random.int(1, 12);
  const day = random.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  const drawn = digits(random, 3);
  // 000 is never issued; replacing it keeps the number of draws, so every later seed value stays.
  const serial = drawn === '000' ? '001' : drawn;
  const body = `${pad(year % 100)}${pad(month)}${pad(day)}${serial}`;
  return `${body.slice(0, 6)}-${body.slice(6)}${luhnCheckDigit(body)}`;
}

/** A Swedish mobile number written `070-123 45 67`. */
export function generateMobileNumber(random: Random): string {
  const prefix = random.pick(['070', '072', '073', '076', '079']);
  return `${prefix}-${digits(random, 3)} ${digits(random, 2)} ${digits(random, 2)}`;
}

/** A landline number in the city's area code, grouped the Swedish way (`08-123 456 78`, `031-12 34 56`). */
export function generateLandlineNumber(random: Random, city: SwedishCity): string {
  const first = String(random.int(2, 9));
  if (city.areaCode === '08')
    return `08-${first}${digits(random, 2)} ${digits(random, 3)} ${digits(random, 2)}`;
  if (city.areaCode.length === 3)
    return `${city.areaCode}-${first}${digits(random, 1)} ${digits(random, 2)} ${digits(random, 2)}`;
  return `${city.areaCode}-${first}${digits(random, 2)} ${digits(random, 2)}`;
}

/** A postal code of the city, written `NNN NN`. */
export function generatePostalCode(random: Random, city: SwedishCity): string {
  return `${random.pick(city.postalCodePrefixes)} ${digits(random, 2)}`;
}
