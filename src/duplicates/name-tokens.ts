import { foldTokens } from './fold-text.js';

/**
 * Legal-form words that say nothing about which company it is, as folded token sequences
 * (Swedish forms first, then common foreign ones).
 */
const COMPANY_LEGAL_FORMS: readonly (readonly string[])[] = [
  ['aktiebolag'],
  ['aktiebolaget'],
  ['ab'],
  ['publ'],
  ['handelsbolag'],
  ['handelsbolaget'],
  ['hb'],
  ['kommanditbolag'],
  ['kommanditbolaget'],
  ['kb'],
  ['ekonomisk', 'forening'],
  ['ek', 'for'],
  ['ek', 'forening'],
  ['ideell', 'forening'],
  ['enskild', 'firma'],
  ['ef'],
  ['stiftelse'],
  ['ltd'],
  ['limited'],
  ['plc'],
  ['llc'],
  ['inc'],
  ['incorporated'],
  ['corp'],
  ['corporation'],
  ['co'],
  ['gmbh'],
  ['ag'],
  ['oy'],
  ['oyj'],
  ['aps'],
  ['asa'],
  ['as'],
  ['bv'],
  ['nv'],
  ['sa'],
  ['sarl'],
  ['srl'],
  ['spa'],
];

/** Legal forms also written before the name in Sweden ("AB Volvo"). */
const LEADING_LEGAL_FORMS: readonly (readonly string[])[] = [
  ['ab'],
  ['aktiebolaget'],
  ['hb'],
  ['kb'],
];

/** The legal forms by their last word, so a name's last token finds its candidates at once. */
function byLastWord(
  forms: readonly (readonly string[])[],
): ReadonlyMap<string, readonly (readonly string[])[]> {
  const map = new Map<string, (readonly string[])[]>();
  for (const form of forms) {
    const last = form[form.length - 1]!;
    map.set(last, [...(map.get(last) ?? []), form]);
  }
  return map;
}

const TRAILING = byLastWord(COMPANY_LEGAL_FORMS);
const LEADING_FORMS = new Set(LEADING_LEGAL_FORMS.map((form) => form[0]!));

function endsWith(tokens: readonly string[], start: number, end: number, form: readonly string[]) {
  const at = end - form.length;
  return at > start && form.every((word, k) => tokens[at + k] === word);
}

function startsWith(
  tokens: readonly string[],
  start: number,
  end: number,
  form: readonly string[],
) {
  return start + form.length < end && form.every((word, k) => tokens[start + k] === word);
}

/**
 * Folds a customer name into the tokens that identify it, with company legal forms removed from
 * both ends ("Bygg & Måleri i Norr AB (publ)" → `['bygg', 'maleri', 'i', 'norr']`, "AB Volvo" →
 * `['volvo']`). Applied to company names and to list items of unknown kind, never to a private
 * person's name. Takes the name or its folded tokens. At least one token always remains, so a
 * name that is only a legal form is kept as it is.
 */
export function nameTokens(name: string | readonly string[]): string[] {
  const tokens = typeof name === 'string' ? foldTokens(name) : name;
  let start = 0;
  let end = tokens.length;
  let stripped = true;
  while (stripped) {
    stripped = false;
    const candidates = TRAILING.get(tokens[end - 1] ?? '');
    const trailing = candidates?.find((form) => endsWith(tokens, start, end, form));
    if (trailing) {
      end -= trailing.length;
      stripped = true;
    }
    const leading = LEADING_FORMS.has(tokens[start] ?? '')
      ? LEADING_LEGAL_FORMS.find((form) => startsWith(tokens, start, end, form))
      : undefined;
    if (leading) {
      start += leading.length;
      stripped = true;
    }
  }
  return tokens.slice(start, end);
}
