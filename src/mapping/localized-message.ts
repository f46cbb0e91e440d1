/** A user-facing message in Swedish and English, fit to show next to a form field. */
export type LocalizedMessage = {
  /** Swedish text. */
  readonly sv: string;
  /** English text. */
  readonly en: string;
};
