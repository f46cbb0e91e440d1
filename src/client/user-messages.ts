/**
 * The words for a person of every client error, in Swedish and English. They say what happened and
 * what to do, never what was sent: no names, numbers, tokens or Fortnox's echoed values.
 */
import {
  FORTNOX_ERROR_CODES,
  isKnownFortnoxErrorCode,
  type LocalizedMessage,
} from '../fortnox/index.js';
import type { AuthErrorReason, UnknownOutcomeReason } from './errors.js';

const TRY_LATER = { sv: 'Försök igen om en stund.', en: 'Try again in a while.' };

/** The user messages of the kinds whose words do not depend on their fields. */
export const USER_MESSAGES = {
  'rate-limited': {
    sv: `Fortnox tar emot för många anrop från integrationen just nu. ${TRY_LATER.sv}`,
    en: `Fortnox is receiving too many requests from the integration right now. ${TRY_LATER.en}`,
  },
  network: {
    sv: `Det gick inte att nå Fortnox. Kontrollera internetanslutningen. ${TRY_LATER.sv}`,
    en: `Fortnox could not be reached. Check the internet connection. ${TRY_LATER.en}`,
  },
  timeout: {
    sv: `Fortnox svarade inte i tid. ${TRY_LATER.sv}`,
    en: `Fortnox did not answer in time. ${TRY_LATER.en}`,
  },
  'invalid-response': {
    sv: `Fortnox svar gick inte att läsa. ${TRY_LATER.sv} Kvarstår felet, kontakta supporten.`,
    en: `Fortnox's answer could not be read. ${TRY_LATER.en} If it persists, contact support.`,
  },
  validation: {
    sv: 'Uppgifterna som skulle skickas till Fortnox är ogiltiga, så ingenting skickades.',
    en: 'The data to send to Fortnox is invalid, so nothing was sent.',
  },
  aborted: { sv: 'Anropet till Fortnox avbröts.', en: 'The call to Fortnox was cancelled.' },
} as const satisfies Record<string, LocalizedMessage>;

const RECONNECT = {
  sv: 'Kopplingen till Fortnox gäller inte längre. En administratör behöver koppla Fortnox igen.',
  en: 'The connection to Fortnox is no longer valid. An administrator needs to connect Fortnox again.',
};

const AUTH_MESSAGES: Record<AuthErrorReason, LocalizedMessage> = {
  unauthorized: {
    sv: `Fortnox godkände inte inloggningen. ${TRY_LATER.sv} Kvarstår felet, koppla Fortnox igen.`,
    en: `Fortnox did not accept the login. ${TRY_LATER.en} If it persists, connect Fortnox again.`,
  },
  'invalid-grant': RECONNECT,
  'missing-tokens': {
    sv: 'Fortnox är inte kopplat ännu. En administratör behöver koppla Fortnox.',
    en: 'Fortnox is not connected yet. An administrator needs to connect Fortnox.',
  },
  'invalid-client': {
    sv: 'Fortnox godtar inte integrationens klient-id eller hemlighet. Kontakta den som driftar integrationen.',
    en: "Fortnox does not accept the integration's client id or secret. Contact whoever runs the integration.",
  },
  'token-store-failed': {
    sv: `Inloggningen till Fortnox kunde inte läsas eller sparas. ${TRY_LATER.sv}`,
    en: `The login to Fortnox could not be read or saved. ${TRY_LATER.en}`,
  },
  'token-endpoint': {
    sv: `Fortnox inloggningstjänst svarade inte som väntat. ${TRY_LATER.sv}`,
    en: `Fortnox's login service did not answer as expected. ${TRY_LATER.en}`,
  },
};

/** An `auth` error's words: reconnecting when a person must, else by what failed. */
export function describeAuthError(
  reason: AuthErrorReason,
  reconnectRequired: boolean,
): LocalizedMessage {
  return reconnectRequired && reason !== 'missing-tokens' ? RECONNECT : AUTH_MESSAGES[reason];
}

/** An `api` error's words: Fortnox's known code first (`FORTNOX_ERROR_CODES`), else by status. */
export function describeApiError(status: number, code: number | undefined): LocalizedMessage {
  if (code !== undefined && isKnownFortnoxErrorCode(code)) {
    const known = FORTNOX_ERROR_CODES[code];
    const later =
      status >= 500 ? { sv: ` ${TRY_LATER.sv}`, en: ` ${TRY_LATER.en}` } : { sv: '', en: '' };
    return {
      sv: `Fortnox svarade: ${known.sv}${later.sv}`,
      en: `Fortnox answered: ${known.en}${later.en}`,
    };
  }
  // An unknown code is still worth giving to support; it is Fortnox's, not personal data.
  const codeNote =
    code === undefined
      ? { sv: '', en: '' }
      : { sv: ` (felkod ${code})`, en: ` (error code ${code})` };
  if (status >= 500) {
    return {
      sv: `Fortnox har tillfälliga problem${codeNote.sv}. ${TRY_LATER.sv}`,
      en: `Fortnox is having temporary problems${codeNote.en}. ${TRY_LATER.en}`,
    };
  }
  if (status === 403) {
    return {
      sv: `Integrationen saknar behörighet eller licens i Fortnox för detta${codeNote.sv}. En administratör behöver se över kopplingen.`,
      en: `The integration lacks the permission or licence in Fortnox for this${codeNote.en}. An administrator needs to check the connection.`,
    };
  }
  if (status === 404) {
    return {
      sv: `Fortnox hittade inte det som efterfrågades${codeNote.sv}.`,
      en: `Fortnox could not find what was asked for${codeNote.en}.`,
    };
  }
  return {
    sv: `Fortnox avvisade anropet${codeNote.sv}. Kontrollera uppgifterna och försök igen.`,
    en: `Fortnox rejected the request${codeNote.en}. Check the data and try again.`,
  };
}

/** An `unknown-outcome` error's words: check in Fortnox before trying again. */
export function describeUnknownOutcome(reason: UnknownOutcomeReason): LocalizedMessage {
  return reason === 'unreadable-response'
    ? {
        sv: 'Fortnox genomförde ändringen, men svaret gick inte att läsa. Kontrollera i Fortnox innan du försöker igen.',
        en: 'Fortnox carried out the change, but its answer could not be read. Check in Fortnox before trying again.',
      }
    : {
        sv: 'Det är oklart om Fortnox hann spara ändringen. Kontrollera i Fortnox innan du försöker igen.',
        en: 'It is unclear whether Fortnox saved the change. Check in Fortnox before trying again.',
      };
}
