/**
 * Masking of contact details inside free text. A supplier may write a person's e-mail address,
 * phone number or personal identity number into a declaration, and a user into a comment. Callers
 * who may not read the deviation's contact details get every such text with these replaced. A sole
 * trader's organisation number is the owner's personal identity number, so the same callers get
 * it masked in a cover and in a supplier code that contains it.
 */

import { hasValidCheckDigit, personalIdentityDigits } from '../declarations/luhn.ts';
import { mapJsonStrings } from '../json-strings.ts';

/** Text that replaces a masked e-mail address, phone number or personal identity number. */
export const MASKED_CONTACT = '[contact hidden]';

/**
 * File types that may end an address's match in a file name, as `.xlsx` does in
 * `anna@kommun.se.xlsx`. They are kept after the mask (maskAddress).
 */
const FILE_TYPE = /\.(?:xlsx|xlsm|xltx|xls|ods|pdf|csv|txt|docx|doc|odt|json|zip|png|jpe?g)$/iu;

/** Masks a matched e-mail address, keeping a file type at its end. */
function maskAddress(found: string): string {
  return MASKED_CONTACT + (FILE_TYPE.exec(found)?.[0] ?? '');
}

/**
 * An e-mail address: the local part may have any character that RFC 5322 allows unquoted. The
 * look-behind lets a match start only where a local part can start, which keeps the search
 * linear in the text's length.
 */
const EMAIL = new RegExp(
  `(?<![\\p{L}\\p{N}._%+'!#$&*/=?^\`{|}~-])[\\p{L}\\p{N}._%+'!#$&*/=?^\`{|}~-]+ ?@ ?[\\p{L}\\p{N}_-]+(?:\\.[\\p{L}\\p{N}_-]+)*\\.\\p{L}{2,}`,
  'giu',
);

/**
 * An e-mail address written to escape address harvesters, as `anna (at) kommun.se` or
 * `anna[at]kommun[dot]se`: `at` or `snabel-a` in brackets, and dots as written or as `dot` or
 * `punkt` in brackets.
 */
const bracketed = (word: string) => `\\s*[([{]\\s*${word}\\s*[)\\]}]\\s*`;
const OBFUSCATED_EMAIL = new RegExp(
  `(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]+${bracketed('(?:at|snabel-?a)')}[\\p{L}\\p{N}_-]+` +
    `(?:(?:\\.|${bracketed('(?:dot|punkt)')})[\\p{L}\\p{N}_-]+)*(?:\\.|${bracketed('(?:dot|punkt)')})\\p{L}{2,}`,
  'giu',
);

/**
 * Invisible characters that may sit inside an address or number without showing: soft hyphen,
 * zero-width space, zero-width non-joiner and joiner, word joiner and zero-width no-break space.
 * Masked text leaves them out.
 */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/gu;

/** Characters that may separate the digits of a phone number: spaces, dots, slashes, brackets, dashes and underscores. */
const SEPARATOR = '[\\s./()_\\-\\u2010-\\u2015\\u2212]';

/** Maximum number of digits after the first that one match takes: room for several numbers written together, and a bound on backtracking. */
const MAX_RUN_DIGITS = 60;

/**
 * A phone number as written in Sweden or abroad: a `+` or `00` country code, or a 0 followed by
 * a digit from 1 to 9, then more digits, with up to three separators between two digits, seven
 * digits or more in all (MIN_PHONE_DIGITS). The match takes every digit that follows in the same
 * way, so two numbers written as `070-123 45 67 / 070-765 43 21` are masked as one.
 * Organisation numbers (556…), years (2026-…) and requirement ids (SSB-006) do not begin that
 * way, and neither do digits right after a digit and a dash or slash, as in the case numbers
 * `2026-0123456` and `2026/0123456`. A number may follow a letter or run on into one, as in `Tel0701234567` or
 * `070-123 45 67E-post`, but not a hexadecimal digit, so that hashes are kept (maskNumbers).
 * Dates and times are kept too (DATE_TIME_SPAN and DATE_OR_TIME).
 */
const PHONE = new RegExp(
  `(?<![\\p{N}a-fA-F])(?<!\\p{N}[-/\\u2010-\\u2015\\u2212])(?:(?:\\+|00)\\d{1,3}${SEPARATOR}*(?:\\(0\\)${SEPARATOR}*)?|\\(?0(?=[1-9]))\\d(?:${SEPARATOR}{0,3}\\d){0,${MAX_RUN_DIGITS}}(?!\\p{N})`,
  'gu',
);

const DAY = '(?:0?[1-9]|[12]\\d|3[01])';
const MONTH = '(?:0?[1-9]|1[0-2])';
const DATE = `(?:${DAY}[./-]${MONTH}[./-](?:\\d{4}|\\d{2})|\\d{4}-${MONTH}-${DAY})`;
const TIME = '(?:[01]?\\d|2[0-3])[.:][0-5]\\d';
const DASH = '[-\\u2010-\\u2015\\u2212]';

/** A time written as four digits HHMM, as in opening hours `0800-1700`. */
const FOUR_DIGIT_TIME = '(?:[01]\\d|2[0-3])[0-5]\\d';

/**
 * Two four-digit times joined by a dash, as in `0800-1700` or `2200 - 0600`. Phone numbers are
 * written this way too, as `0701-2345 67` shows, so a range that white space and more digits
 * follow is no span (DATE_TIME_SPAN).
 */
const FOUR_DIGIT_RANGE = `${FOUR_DIGIT_TIME}\\s*${DASH}\\s*${FOUR_DIGIT_TIME}`;

/** Dates such as 05.03.2025 or 01/02/2026, and opening hours such as 08.00-17.00 or 0800-1700. */
const DATE_OR_TIME = new RegExp(
  `^(?:\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}[.:]\\d{2}\\s*[-\\u2013]\\s*\\d{1,2}[.:]\\d{2}|${FOUR_DIGIT_RANGE})$`,
  'u',
);

/** A date, a four-digit time range or a time: one item of a span. */
const SPAN_ITEM = `(?:${DATE}|${FOUR_DIGIT_RANGE}|${TIME})`;

/**
 * Further items joined to a span by a dash or white space. At most five, which keeps the search
 * linear: a longer list is kept in parts.
 */
const MORE_ITEMS = `(?:(?:\\s*[-\\u2013\\u2014]\\s*|\\s+)${SPAN_ITEM}){0,5}`;

/** A span may not start right after digits and white space, as the date in `Tel 08 12.03.26` does. */
const SPAN_START = '(?<![\\p{N}.:/-])(?<!\\p{N}\\s)';

/**
 * A span that ends in a single time such as `08.12`, or in a four-digit range, may be the start
 * of a phone number. A range of two times with dots or colons, as in `08.00-17.00`, is not taken
 * for one.
 */
const ENDS_IN_TIME = `(?<=[.:][0-5]\\d|${FOUR_DIGIT_RANGE})(?<!${TIME}\\s*${DASH}\\s*${TIME})`;

/**
 * Dates, times and ranges or lists of them, such as `05.03.2025 - 07.03.2025`, `2026-03-02 08.00`,
 * `08.00-12.00 13.00-17.00` or `0800-1700`. Text that ends in a time and runs on into more digits,
 * as `08.12 34 56` and `0701-2345 67` do, is no span, so a phone number written that way is still
 * masked. A range such as `08.00-17.00` may be followed by a count, as in `08.00-17.00 5 dagar`.
 * Digits that start a phone number of their own may follow any span.
 */
const DATE_TIME_SPAN =
  `${SPAN_START}${SPAN_ITEM}${MORE_ITEMS}(?!\\p{N}|[.:/-]\\p{N})` +
  `(?:(?!${ENDS_IN_TIME})|(?!\\s+(?!0[1-9]|00)\\p{N}))`;

/**
 * A UUID, as ids of declarations, deviations and attachments are written in comments and history
 * values. Its groups are separated by dashes, so a group such as `0202-4615` would otherwise read
 * as a phone number.
 */
const UUID = '[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}';

/** Parts of a text that phone numbers are never looked for in: UUIDs and dates and times. */
const KEPT = new RegExp(`${UUID}|${DATE_TIME_SPAN}`, 'giu');

/**
 * Returns the text with every e-mail address, phone number and personal identity number in it
 * replaced by MASKED_CONTACT. E-mail addresses are masked first, in the whole text. UUIDs, dates
 * and times are kept.
 */
export function maskContactDetails(text: string): string {
  const withoutEmails = text.replace(INVISIBLE, '').replace(EMAIL, maskAddress).replace(OBFUSCATED_EMAIL, maskAddress);
  let masked = '';
  let end = 0;
  for (const found of withoutEmails.matchAll(KEPT)) {
    masked += maskNumbers(withoutEmails.slice(end, found.index)) + found[0];
    end = found.index + found[0].length;
  }
  return masked + maskNumbers(withoutEmails.slice(end));
}

/**
 * A Swedish personal identity number or coordination number: a birth date as YYMMDD or YYYYMMDD,
 * a dash, a plus (age 100 or more) or nothing, and four digits, checked by isIdentityNumber.
 */
const IDENTITY_NUMBER = /(?<!\p{N})(?:19|20)?(\d{6})[-+\u2010-\u2015\u2212]?(\d{4})(?!\p{N})/gu;

/**
 * Checks ten digits YYMMDDNNNC: a month from 01 to 12, a day from 01 to 31 (61 to 91 in a
 * coordination number) and a valid Luhn check digit. Every issued number has a valid check
 * digit, and the check keeps date-stamped ids such as `20251231-0001` as written.
 */
function isIdentityNumber(birth: string, serial: string): boolean {
  const month = Number(birth.slice(2, 4));
  const day = Number(birth.slice(4, 6));
  if (month < 1 || month > 12) return false;
  if (!((day >= 1 && day <= 31) || (day >= 61 && day <= 91))) return false;
  return hasValidCheckDigit(birth + serial);
}

/** Masks the identity and phone numbers of a text that contains no UUID, date or time. */
function maskNumbers(text: string): string {
  const withoutIdentities = text.replace(IDENTITY_NUMBER, (found: string, birth: string, serial: string) =>
    isIdentityNumber(birth, serial) ? MASKED_CONTACT : found,
  );
  return withoutIdentities.replace(PHONE, (found: string, offset: number) => {
    if (DATE_OR_TIME.test(found) || countDigits(found) < MIN_PHONE_DIGITS) return found;
    // Digits that run on into a hexadecimal letter, such as the start of a hash, are kept.
    return /^[0-9]+$/.test(found) && /[a-fA-F]/.test(withoutIdentities.charAt(offset + found.length)) ? found : MASKED_CONTACT;
  });
}

/** Minimum number of digits in a phone number, country code included. */
const MIN_PHONE_DIGITS = 7;

function countDigits(text: string): number {
  let digits = 0;
  for (const character of text) if (character >= '0' && character <= '9') digits += 1;
  return digits;
}

/**
 * Returns a JSON value with every string in it masked, as maskContactDetails masks text, and every
 * party code that contains a personal identity number masked as maskPartyCode masks it. Each of
 * `hidden` is masked wherever it occurs, for a number known to name a person, such as a sole
 * trader's organisation number with a wrong check digit, which maskContactDetails keeps.
 */
export function maskContactValue(value: unknown, hidden: readonly string[] = []): unknown {
  return mapJsonStrings(value, (text) => {
    let masked = maskPartyCode(text);
    for (const item of hidden) masked = masked.replaceAll(item, MASKED_CONTACT);
    return maskContactDetails(masked);
  });
}

/**
 * A supplier code made from an organisation number, `ORG-` and its digits. For a sole trader
 * these digits are the owner's personal identity number, as in `ORG-8503121231`.
 */
const ORGANISATION_NUMBER_CODE = /^ORG-(\d{10,})$/u;

/** Returns the party code with a personal identity number in it replaced by MASKED_CONTACT, as in `ORG-[contact hidden]`. */
function maskPartyCode(code: string): string {
  const digits = ORGANISATION_NUMBER_CODE.exec(code)?.[1];
  return digits !== undefined && personalIdentityDigits(digits) !== null ? `ORG-${MASKED_CONTACT}` : code;
}

/** Returns the party code as it is when `visible`, else with a personal identity number in it masked. Null stays null. */
export function partyCodeText(code: string, visible: boolean): string;
export function partyCodeText(code: string | null, visible: boolean): string | null;
export function partyCodeText(code: string | null, visible: boolean): string | null {
  return code === null || visible ? code : maskPartyCode(code);
}

/**
 * Returns a cover's organisation number as it is when `visible`, else masked when it is a
 * personal identity number (personalIdentityDigits), as a sole trader's is. Any other number is
 * masked as free text.
 */
export function organisationNumberText(value: string | null, visible: boolean): string | null {
  if (value === null || visible) return value;
  return personalIdentityDigits(value) === null ? maskContactDetails(value) : MASKED_CONTACT;
}

/** Returns the text as it is when `visible`, else with its contact details masked; null stays null. */
export function contactText(text: string, visible: boolean): string;
export function contactText(text: string | null, visible: boolean): string | null;
export function contactText(text: string | null, visible: boolean): string | null {
  return text === null || visible ? text : maskContactDetails(text);
}
