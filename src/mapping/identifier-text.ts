/** Dash look-alikes: hyphen, non-breaking hyphen, figure dash, en and em dash, minus sign. */
const DASHES = /[\p{Pd}\u2212]/gu;

/**
 * Prepares typed or pasted identifier text (organisation number, personnummer, phone, postcode) for
 * parsing: compatibility forms folded (full-width `０７０` → `070`, no-break space → space), every
 * dash look-alike made `-` (word processors turn `556036-0793` into `556036–0793`), trimmed.
 */
export function toIdentifierText(input: string): string {
  return input.normalize('NFKC').replace(DASHES, '-').trim();
}
