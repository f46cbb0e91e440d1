import { MIN_PHONE_SUFFIX_DIGITS } from './compare-features.js';
import type { CustomerFeatures } from './customer-features.js';
import { phoneticKey } from './phonetic-key.js';

/** Name tokens of one or two letters (initials) are too common to block on. */
const MIN_BLOCKING_TOKEN_LENGTH = 3;

function isDigits(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return token.length > 0;
}

function nameKeys(tokens: readonly string[]): string[] {
  const keys: string[] = [];
  for (const token of tokens) {
    if (token.length >= MIN_BLOCKING_TOKEN_LENGTH || isDigits(token)) keys.push(phoneticKey(token));
  }
  return keys.length > 0 ? keys : tokens.map(phoneticKey);
}

/** The street's first word's sound and its first number (`['strgtn', '12']`). */
function streetParts(tokens: readonly string[]): [string, string] | undefined {
  const word = tokens.find((token) => !isDigits(token));
  if (word === undefined) return undefined;
  return [phoneticKey(word), tokens.find(isDigits) ?? ''];
}

/** What a blocking key is made of; decides how its block is read. */
export const KeyKind = {
  Identity: 0,
  Email: 1,
  Phone: 2,
  Name: 3,
  PlacedName: 4,
  Postal: 5,
  City: 6,
} as const;
/** One of {@link KeyKind}. */
export type KeyKind = (typeof KeyKind)[keyof typeof KeyKind];

/**
 * Receives the keys of a customer, each as its kind, prefix and parts: the key's text is the prefix
 * followed by the parts joined by `:` (`pn:` + `90331` + `:` + `anna`).
 */
type KeySink = (
  kind: KeyKind,
  prefix: string,
  a: string,
  b?: string,
  c?: string,
  d?: string,
) => void;

/** FNV-1a offset basis and prime (32 bits). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const COLON = 58;

function mix(hash: number, text: string, from = 0): number {
  let h = hash;
  for (let i = from; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}
const withColon = (hash: number) => Math.imul(hash ^ COLON, FNV_PRIME);
/** 30 bits, so the key is a small integer (fast and compact as a Map key). */
const finish = (hash: number) => (hash >>> 2) & 0x3fffffff;

/**
 * The hash of a blocking key's text. The index files customers under these numbers; two different
 * keys may share one (about one pair in a billion), which only adds a customer to be scored.
 */
export function hashBlockingKey(key: string): number {
  return finish(mix(FNV_OFFSET, key));
}

function hashOf(prefix: string, a: string, b?: string, c?: string, d?: string): number {
  let h = mix(mix(FNV_OFFSET, prefix), a);
  if (b !== undefined) h = mix(withColon(h), b);
  if (c !== undefined) h = mix(withColon(h), c);
  if (d !== undefined) h = mix(withColon(h), d);
  return finish(h);
}

/** Prefix of the identity-number key; such blocks are always read in full. */
export const IDENTITY_KEY = 'i:';

/** The key under which the index files a customer by its `ExternalReference` (the source id). */
export function externalReferenceKey(sourceId: string): string {
  return `x:${sourceId.trim()}`;
}

/** Prefix of the name key: the sound of the first and last name tokens. */
export const NAME_KEY = 'n:';
/** Prefix of the name key narrowed to a place (city, else postal area), read when `n:` is common. */
export const PLACED_NAME_KEY = 'nc:';

/**
 * The blocking keys of a customer, given to `sink`: two customers are compared only when they
 * share at least one. Several independent keys (identity, e-mail, phone, name sound, postal code or
 * city with a name token or the street) let a duplicate with an error in one field still be found
 * through another.
 */
function emitKeys(features: CustomerFeatures, sink: KeySink): void {
  if (features.identity !== undefined)
    sink(KeyKind.Identity, IDENTITY_KEY, features.identity.slice(2));
  if (features.email !== undefined) sink(KeyKind.Email, 'e:', features.email);
  // Blocked on the digits every agreeing pair shares, so `+46…` and a national form still meet.
  if (features.phone !== undefined) {
    sink(KeyKind.Phone, 't:', features.phone.slice(-MIN_PHONE_SUFFIX_DIGITS));
  }
  const names = nameKeys(features.nameTokens);
  const first = names[0];
  const last = names[names.length - 1];
  const place = features.city ?? features.postalCode?.slice(0, 3);
  // First and last token, in either order: survives "Andersson, Anna" and middle names.
  if (first !== undefined && last !== undefined) emitName(sink, first, last, place);
  // A list item of unknown kind whose name ends in a legal-form word is also filed as a person.
  if (features.personNameTokens !== features.nameTokens) {
    const person = nameKeys(features.personNameTokens);
    if (person.length > 0) emitName(sink, person[0]!, person[person.length - 1]!, place);
  }
  const street = streetParts(features.streetTokens);
  const { postalCode, city } = features;
  if (postalCode !== undefined) {
    if (first !== undefined) sink(KeyKind.Postal, 'pn:', postalCode, first);
    if (last !== undefined) sink(KeyKind.Postal, 'pn:', postalCode, last);
    if (street !== undefined) sink(KeyKind.Postal, 'ps:', postalCode, street[0], street[1]);
  }
  // The same by city, so a typo in the postal code does not lose both (a name or street in a
  // city is a larger block than in a postal code, so these are read only while small).
  if (city !== undefined) {
    if (last !== undefined) sink(KeyKind.City, 'cn:', city, last);
    if (street !== undefined) sink(KeyKind.City, 'cs:', city, street[0], street[1]);
  }
}

function emitName(sink: KeySink, first: string, last: string, place: string | undefined): void {
  const [a, b] = first < last ? [first, last] : [last, first];
  sink(KeyKind.Name, NAME_KEY, a, b);
  if (place !== undefined) sink(KeyKind.PlacedName, PLACED_NAME_KEY, a, b, place);
}

/** The blocking keys of a customer as text (`pn:90331:an`), without repeats. */
export function blockingKeys(features: CustomerFeatures): string[] {
  const keys = new Set<string>();
  emitKeys(features, (_kind, prefix, a, b, c, d) => {
    let key = prefix + a;
    if (b !== undefined) key += `:${b}`;
    if (c !== undefined) key += `:${c}`;
    if (d !== undefined) key += `:${d}`;
    keys.add(key);
  });
  return [...keys];
}

/** A customer's blocking keys as hashes (see {@link hashBlockingKey}) and kinds, without repeats. */
export type HashedKeys = { readonly hashes: number[]; readonly kinds: KeyKind[] };

/** The blocking keys of a customer as hashes, equal to `hashBlockingKey` of each text key. */
export function blockingKeyHashes(features: CustomerFeatures): HashedKeys {
  const hashes: number[] = [];
  const kinds: KeyKind[] = [];
  emitKeys(features, (kind, prefix, a, b, c, d) => {
    const hash = hashOf(prefix, a, b, c, d);
    if (hashes.includes(hash)) return;
    hashes.push(hash);
    kinds.push(kind);
  });
  return { hashes, kinds };
}
