const MAX_KEY_LENGTH = 6;
const SILENT = 'aeiouyh';

type Sound = readonly [spoken: string, length: number];

const X1: Sound = ['x', 2];
const X3: Sound = ['x', 3];
const C2: Sound = ['c', 2];
const J2: Sound = ['j', 2];
const T2: Sound = ['t', 2];
const K1: Sound = ['k', 1];
const K2: Sound = ['k', 2];
const S1: Sound = ['s', 1];
const F2: Sound = ['f', 2];
const V1: Sound = ['v', 1];
const KS1: Sound = ['ks', 1];

/** How the letters at `i` sound, or `undefined` when the letter is simply itself. */
function soundAt(token: string, i: number): Sound | undefined {
  const next = token.charAt(i + 1);
  switch (token.charAt(i)) {
    case 's': {
      if (next === 'j') return X1;
      const third = token.charAt(i + 2);
      if ((next === 'c' && third === 'h') || ((next === 'k' || next === 't') && third === 'j'))
        return X3;
      return undefined;
    }
    case 't':
      if (next === 'j') return C2;
      return next === 'h' ? T2 : undefined;
    case 'k':
      return next === 'j' ? C2 : undefined;
    case 'd':
      if (next === 't') return T2;
      return next === 'j' ? J2 : undefined;
    case 'g':
    case 'h':
    case 'l':
      return next === 'j' ? J2 : undefined;
    case 'p':
      return next === 'h' ? F2 : undefined;
    case 'c':
      if (next === 'k') return K2;
      return next === 'e' || next === 'i' || next === 'y' ? S1 : K1;
    case 'x':
      return KS1;
    case 'q':
      return K1;
    case 'w':
      return V1;
    case 'z':
      return S1;
    default:
      return undefined;
  }
}

/**
 * A rough phonetic key for one folded name token, for blocking only: sound-alike spellings are
 * merged (Carlsson/Karlsson, Johansson/Jonsson/Johanson, Philip/Filip, Sjöberg/Schöberg), then
 * the first sound is kept and the rest reduced to its consonants, without repeats.
 *
 * @example phoneticKey('karlsson') === phoneticKey('carlson') // true
 */
export function phoneticKey(token: string): string {
  if (/^\d+$/.test(token)) return token;
  let key = '';
  for (let i = 0; i < token.length && key.length < MAX_KEY_LENGTH; ) {
    const sound = soundAt(token, i);
    const spoken = sound === undefined ? token.charAt(i) : sound[0];
    for (let k = 0; k < spoken.length; k++) {
      const letter = spoken.charAt(k);
      if (key !== '' && SILENT.includes(letter)) continue;
      if (letter !== key.charAt(key.length - 1)) key += letter;
    }
    i += sound === undefined ? 1 : sound[1];
  }
  return key.slice(0, MAX_KEY_LENGTH);
}
