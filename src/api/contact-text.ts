/**
 * Masking of contact details inside free text. A supplier may write a person's e-mail address or
 * phone number into a declaration, and a user into a comment. Callers who may not read the
 * deviation's contact details get every such text with e-mail addresses and phone numbers replaced.
 */

/** Text that replaces a masked e-mail address or phone number. */
export const MASKED_CONTACT = '[contact hidden]';

const EMAIL = /[\p{L}\p{N}._%+'-]+ ?@ ?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/** Characters that may separate the digits of a phone number: spaces, dots, slashes, brackets and dashes. */
const SEPARATOR = '[\\s./()\\-\\u2010-\\u2015\\u2212]';

/**
 * A phone number as written in Sweden or abroad: a `+` or `00` country code, or a 0 followed by
 * a digit from 1 to 9, then at least six more digits, with up to three separators between two
 * digits. Organisation numbers (556…), years (2026-…) and requirement ids (SSB-006) do not begin
 * that way. Dates and times that do begin that way are kept (DATE_OR_TIME), and so are digits
 * that run straight on into a letter, as in a SHA-256 hash.
 */
const PHONE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(?:\\+|00)\\d{1,3}${SEPARATOR}*(?:\\(0\\)${SEPARATOR}*)?|\\(?0(?=[1-9]))\\d(?:${SEPARATOR}{0,3}\\d){5,12}(?![\\p{L}\\p{N}])`,
  'gu',
);

/** Dates such as 05.03.2025 or 01/02/2026, and opening hours such as 08.00-17.00. */
const DATE_OR_TIME = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}[.:]\d{2}\s*[-\u2013]\s*\d{1,2}[.:]\d{2})$/u;

/**
 * A UUID, as ids of declarations, deviations and attachments are written in comments and history
 * values. Its groups are separated by dashes, so a group such as `0202-4615` would otherwise read
 * as a phone number.
 */
const UUID = /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/giu;

/** Returns the text with every e-mail address and phone number in it replaced by MASKED_CONTACT. UUIDs are kept. */
export function maskContactDetails(text: string): string {
  let masked = '';
  let end = 0;
  for (const found of text.matchAll(UUID)) {
    masked += maskPart(text.slice(end, found.index)) + found[0];
    end = found.index + found[0].length;
  }
  return end === 0 ? maskPart(text) : masked + maskPart(text.slice(end));
}

/** Masks the e-mail addresses and phone numbers of a text that contains no UUID. */
function maskPart(text: string): string {
  return text.replace(EMAIL, MASKED_CONTACT).replace(PHONE, (found) => (DATE_OR_TIME.test(found) ? found : MASKED_CONTACT));
}

/** Returns a JSON value with every string in it masked, as maskContactDetails masks text. */
export function maskContactValue(value: unknown): unknown {
  if (typeof value === 'string') return maskContactDetails(value);
  if (Array.isArray(value)) return value.map(maskContactValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskContactValue(item)]));
  }
  return value;
}

/** Returns the text as it is when `visible`, else with its contact details masked; null stays null. */
export function contactText(text: string, visible: boolean): string;
export function contactText(text: string | null, visible: boolean): string | null;
export function contactText(text: string | null, visible: boolean): string | null {
  return text === null || visible ? text : maskContactDetails(text);
}
