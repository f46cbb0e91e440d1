import type { LocalizedMessage, OwnedCustomerField } from '../fortnox/index.js';
import type { SourceCustomerField } from './mapping-error.js';

/**
 * Something the mapper changed that a person should check, although the customer could be mapped.
 * - `transliterated`: letters of another alphabet were rewritten in Latin letters (option
 *   `transliterate`). A name is identity: show the warning, so that someone checks the spelling.
 */
export type MappingWarningCode = 'transliterated';

/** A change a person should check: which field, what was done, in words without its value. */
export type MappingWarning = {
  /** What was done. */
  readonly code: MappingWarningCode;
  /** The source field, e.g. `name`. */
  readonly field: SourceCustomerField;
  /** The Fortnox field that holds the changed value (read the value there). */
  readonly fortnoxField: OwnedCustomerField;
  /** What was done, in English, without the value. */
  readonly message: string;
  /** What was done and what to check, in Swedish and English, without the value. */
  readonly userMessage: LocalizedMessage;
};

const SUBJECTS: Partial<Record<SourceCustomerField, LocalizedMessage>> = {
  name: { sv: 'Namnet', en: 'The name' },
  'address.street': { sv: 'Gatuadressen', en: 'The street address' },
  'address.city': { sv: 'Orten', en: 'The city' },
};

/** The warning that a field was transliterated. */
export function createTransliterationWarning(
  field: SourceCustomerField,
  fortnoxField: OwnedCustomerField,
): MappingWarning {
  const subject = SUBJECTS[field] ?? { sv: 'Fältet', en: 'The field' };
  const userMessage = {
    sv: `${subject.sv} innehöll bokstäver från ett annat alfabet, som har skrivits om med latinska bokstäver för Fortnox. Kontrollera stavningen med kunden.`,
    en: `${subject.en} contained letters of another alphabet, which have been rewritten in Latin letters for Fortnox. Check the spelling with the customer.`,
  };
  return { code: 'transliterated', field, fortnoxField, message: userMessage.en, userMessage };
}
