import { MIN_PHONE_SUFFIX_DIGITS } from './compare-features.js';
import type { CustomerFeatures } from './customer-features.js';
import { phoneticKey } from './phonetic-key.js';

/** Name tokens of one or two letters (initials) are too common to block on. */
const MIN_BLOCKING_TOKEN_LENGTH = 3;

function nameKeys(tokens: readonly string[]): string[] {
  const keys = tokens
    .filter((token) => token.length >= MIN_BLOCKING_TOKEN_LENGTH || /^\d+$/.test(token))
    .map(phoneticKey);
  return keys.length > 0 ? keys : tokens.map(phoneticKey);
}

function streetKey(tokens: readonly string[]): string | undefined {
  const word = tokens.find((token) => !/^\d+$/.test(token));
  if (word === undefined) return undefined;
  return `${phoneticKey(word)}:${tokens.find((token) => /^\d+$/.test(token)) ?? ''}`;
}

/** Prefix of the identity-number key; such blocks are always read in full. */
export const IDENTITY_KEY = 'i:';

/** The key under which the index files a customer by its `ExternalReference` (the source id). */
export function externalReferenceKey(sourceId: string): string {
  return `x:${sourceId.trim()}`;
}

/** Prefix of the name key: the sound of the first and last name tokens. */
export const NAME_KEY = 'n:';
/**
 * Prefix of the fallback keys by city (a name token or the street in a city): they close the gap
 * a postal code typo leaves, and are read only while small (a common name in a large city is not).
 */
export const CITY_KEY = 'c';

/** Prefix of the name key narrowed to a place (city, else postal area), read when `n:` is common. */
export const PLACED_NAME_KEY = 'nc:';

/**
 * The blocking keys of a customer: two customers are compared only when they share at least one.
 * Several independent keys (identity, e-mail, phone, name sound, postal code or city with a name
 * token or the street) let a duplicate with an error in one field still be found through another.
 */
export function blockingKeys(features: CustomerFeatures): string[] {
  const keys = new Set<string>();
  if (features.identity !== undefined) keys.add(`${IDENTITY_KEY}${features.identity.slice(2)}`);
  if (features.email !== undefined) keys.add(`e:${features.email}`);
  // Blocked on the digits every agreeing pair shares, so `+46…` and a national form still meet.
  if (features.phone !== undefined) keys.add(`t:${features.phone.slice(-MIN_PHONE_SUFFIX_DIGITS)}`);
  const names = nameKeys(features.nameTokens);
  const first = names[0];
  const last = names[names.length - 1];
  const place = features.city ?? features.postalCode?.slice(0, 3);
  // First and last token, in either order: survives "Andersson, Anna" and middle names.
  const addName = (first: string, last: string) => {
    const name = first < last ? `${first}:${last}` : `${last}:${first}`;
    keys.add(`${NAME_KEY}${name}`);
    if (place !== undefined) keys.add(`${PLACED_NAME_KEY}${name}:${place}`);
  };
  if (first !== undefined && last !== undefined) addName(first, last);
  // A list item of unknown kind whose name ends in a legal-form word is also filed as a person.
  if (features.personNameTokens !== features.nameTokens) {
    const person = nameKeys(features.personNameTokens);
    if (person.length > 0) addName(person[0]!, person[person.length - 1]!);
  }
  const street = streetKey(features.streetTokens);
  if (features.postalCode !== undefined) {
    if (first !== undefined) keys.add(`pn:${features.postalCode}:${first}`);
    if (last !== undefined) keys.add(`pn:${features.postalCode}:${last}`);
    if (street !== undefined) keys.add(`ps:${features.postalCode}:${street}`);
  }
  // The same by city, so a typo in the postal code does not lose both (a name or street in a
  // city is a larger block than in a postal code: maxBlockSize bounds it).
  if (features.city !== undefined) {
    if (first !== undefined) keys.add(`${CITY_KEY}n:${features.city}:${first}`);
    if (last !== undefined) keys.add(`${CITY_KEY}n:${features.city}:${last}`);
    if (street !== undefined) keys.add(`${CITY_KEY}s:${features.city}:${street}`);
  }
  return [...keys];
}
