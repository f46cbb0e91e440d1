/** Spelling variants that sound alike in Swedish names, rewritten to one form (order matters). */
const SOUND_RULES: readonly (readonly [RegExp, string])[] = [
  [/x/g, 'ks'],
  [/sch|skj|stj|sj/g, 'x'],
  [/tj|kj/g, 'c'],
  [/dj|gj|hj|lj/g, 'j'],
  [/ph/g, 'f'],
  [/ck/g, 'k'],
  [/q/g, 'k'],
  [/w/g, 'v'],
  [/z/g, 's'],
  [/th|dt/g, 't'],
  [/c(?=[eiy])/g, 's'],
  [/c/g, 'k'],
];

const MAX_KEY_LENGTH = 6;

/**
 * A rough phonetic key for one folded name token, for blocking only: sound-alike spellings are
 * merged (Carlsson/Karlsson, Johansson/Jonsson/Johanson, Philip/Filip), then the first letter is
 * kept and the rest reduced to its consonants, without repeats.
 *
 * @example phoneticKey('karlsson') === phoneticKey('carlson') // true
 */
export function phoneticKey(token: string): string {
  if (/^\d+$/.test(token)) return token;
  let spelled = token;
  for (const [pattern, replacement] of SOUND_RULES) spelled = spelled.replace(pattern, replacement);
  let key = spelled.charAt(0);
  for (let i = 1; i < spelled.length && key.length < MAX_KEY_LENGTH; i++) {
    const letter = spelled.charAt(i);
    if ('aeiouyh'.includes(letter)) continue;
    if (letter !== key.charAt(key.length - 1)) key += letter;
  }
  return key;
}
