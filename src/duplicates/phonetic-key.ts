const MAX_KEY_LENGTH = 6;
const SILENT = 'aeiouyh';

/** How the letters at `i` sound: the spoken form and how many letters it takes. */
function soundAt(token: string, i: number): readonly [string, number] {
  const letter = token.charAt(i);
  const next = token.charAt(i + 1);
  switch (letter) {
    case 's':
      if (next === 'j') return ['x', 2];
      if (
        (next === 'c' && token.charAt(i + 2) === 'h') ||
        ((next === 'k' || next === 't') && token.charAt(i + 2) === 'j')
      ) {
        return ['x', 3];
      }
      return ['s', 1];
    case 't':
      if (next === 'j') return ['c', 2];
      return next === 'h' ? ['t', 2] : ['t', 1];
    case 'k':
      return next === 'j' ? ['c', 2] : ['k', 1];
    case 'd':
      if (next === 't') return ['t', 2];
      return next === 'j' ? ['j', 2] : ['d', 1];
    case 'g':
    case 'h':
    case 'l':
      return next === 'j' ? ['j', 2] : [letter, 1];
    case 'p':
      return next === 'h' ? ['f', 2] : ['p', 1];
    case 'c':
      if (next === 'k') return ['k', 2];
      return next === 'e' || next === 'i' || next === 'y' ? ['s', 1] : ['k', 1];
    case 'x':
      return ['ks', 1];
    case 'q':
      return ['k', 1];
    case 'w':
      return ['v', 1];
    case 'z':
      return ['s', 1];
    default:
      return [letter, 1];
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
    const [spoken, length] = soundAt(token, i);
    for (const letter of spoken) {
      if (key !== '' && SILENT.includes(letter)) continue;
      if (letter !== key.charAt(key.length - 1)) key += letter;
    }
    i += length;
  }
  return key.slice(0, MAX_KEY_LENGTH);
}
