/** What we know of one Fortnox error code. */
export type FortnoxErrorCodeInfo = {
  /** The HTTP status Fortnox answers this code with. */
  readonly httpStatus: number;
  /** A Swedish message in the style Fortnox uses (Fortnox's own message wins when it sends one). */
  readonly sv: string;
  /** What the code means, in English, for people who do not read Swedish. */
  readonly en: string;
};

/** The Fortnox error codes customer sync meets (the codes of Fortnox's `ErrorInformation` answers), with explanations. */
export const FORTNOX_ERROR_CODES = {
  1000003: {
    httpStatus: 500,
    sv: 'Ett okänt fel uppstod på servern.',
    en: 'Fortnox had an internal server error.',
  },
  2000106: {
    httpStatus: 400,
    sv: 'Värdet måste vara alfanumeriskt.',
    en: 'A value must be alphanumeric.',
  },
  2000108: { httpStatus: 400, sv: 'Värdet måste vara numeriskt.', en: 'A value must be numeric.' },
  2000134: {
    httpStatus: 400,
    sv: 'Värdet måste vara av typen boolean.',
    en: 'A value must be a boolean.',
  },
  2000310: {
    httpStatus: 401,
    sv: 'Ogiltiga inloggningsuppgifter.',
    en: 'Invalid login: the access token is missing, expired or revoked.',
  },
  2000311: {
    httpStatus: 401,
    sv: 'Ogiltig inloggning.',
    en: 'Invalid login: the credentials are not valid for this company.',
  },
  2000359: {
    httpStatus: 400,
    sv: 'Otillåtna tecken i fältet.',
    en: 'A field contains characters Fortnox does not allow.',
  },
  2000433: { httpStatus: 404, sv: 'Kan inte hitta kunden.', en: 'The customer was not found.' },
  2000587: { httpStatus: 400, sv: 'Ogiltigt filter.', en: 'The list filter is not valid.' },
  2000637: {
    httpStatus: 400,
    sv: 'Kundnumret används redan.',
    en: 'The customer number is already used (or was used by a deleted customer), or Name is empty.',
  },
  2000663: {
    httpStatus: 403,
    sv: 'Har inte behörighet för scope.',
    en: 'The integration is not authorised for the scope this request needs.',
  },
  2001101: {
    httpStatus: 403,
    sv: 'Det finns ingen aktiv licens för önskat scope.',
    en: 'The company has no active licence for the scope this request needs.',
  },
  2001103: {
    httpStatus: 403,
    sv: 'Licens för API saknas.',
    en: 'The company has no API licence (Fortnox Integration licence missing).',
  },
  2001392: {
    httpStatus: 400,
    sv: 'Felaktig eller tom request body.',
    en: 'The request body is empty or has the wrong shape.',
  },
  2001399: {
    httpStatus: 400,
    sv: 'Ogiltigt fältnamn.',
    en: 'The request contains an unknown field name.',
  },
  2002115: {
    httpStatus: 400,
    sv: 'Felaktig JSON-syntax.',
    en: 'The request body is not valid JSON.',
  },
} as const satisfies Record<number, FortnoxErrorCodeInfo>;

/** A Fortnox error code this library knows by name. */
export type KnownFortnoxErrorCode = keyof typeof FORTNOX_ERROR_CODES;

/** True when `code` is one of {@link FORTNOX_ERROR_CODES}. */
export function isKnownFortnoxErrorCode(code: number): code is KnownFortnoxErrorCode {
  return Object.hasOwn(FORTNOX_ERROR_CODES, code);
}

/**
 * An English explanation of a Fortnox error code, or `undefined` for a code we do not know.
 * @example explainFortnoxErrorCode(2000433) // 'The customer was not found.'
 */
export function explainFortnoxErrorCode(code: number): string | undefined {
  return isKnownFortnoxErrorCode(code) ? FORTNOX_ERROR_CODES[code].en : undefined;
}
