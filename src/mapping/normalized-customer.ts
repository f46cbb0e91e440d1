/**
 * The owned fields of a customer in the exact form this library writes them to Fortnox, keyed by
 * Fortnox field name; `null` means "no value". This is what fingerprints, diffs and the "last synced
 * state" are made of. Produced by `normalizeSourceCustomer`; for a Fortnox record by
 * `normalizeFortnoxCustomer`.
 */
export type NormalizedCustomer = {
  readonly Name: string;
  readonly Email: string | null;
  /** Written form (`070-123 45 67`, `+47 22 12 34 56`). */
  readonly Phone1: string | null;
  readonly Type: 'PRIVATE' | 'COMPANY';
  readonly Address1: string | null;
  /** `NNN NN` in Sweden, as written elsewhere. */
  readonly ZipCode: string | null;
  readonly City: string | null;
  /** ISO 3166-1 alpha-2. */
  readonly CountryCode: string | null;
  /**
   * `NNNNNN-NNNN` (organisation number) or `YYYYMMDD-NNNN` (personnummer, samordningsnummer); for a
   * customer abroad, that country's number as written (one line, at most 30 characters).
   */
  readonly OrganisationNumber: string | null;
  readonly Active: boolean;
  /** The source system's id. */
  readonly ExternalReference: string;
};

/** Options for reading a source customer. */
export type MappingOptions = {
  /**
   * The moment a 10-digit personnummer is read at (its century) — see `parsePersonalIdentityNumber`.
   * @defaultValue `new Date()`
   */
  readonly now?: Date;
  /**
   * The country of phone numbers written without a country prefix.
   * @defaultValue the customer's country when it has a numbering plan, else `'SE'`
   */
  readonly defaultPhoneCountry?: string;
  /**
   * Rewrite letters of other alphabets that Fortnox rejects (Cyrillic, Greek, Arabic, Chinese, …) in
   * Latin letters, in the name, street and city (`Иван Петров` → `Ivan Petrov`); Latin letters such
   * as `å ä ö é ü` stay as written. Off by default, because a name is identity: `mapCustomer` returns
   * a `transliterated` warning for every field it rewrote, to show to a person.
   * @defaultValue false
   */
  readonly transliterate?: boolean;
};

/**
 * Owned field values that may be partly known: `undefined` (or absent) means unknown — a list item
 * has no `Type`, for instance — and `null` means known to be empty.
 */
export type OwnedFieldValues = {
  readonly [K in keyof NormalizedCustomer]?: NormalizedCustomer[K] | null;
};
