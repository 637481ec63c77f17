/**
 * Masking of contact details inside free text. A supplier may write a person's e-mail address or
 * phone number into a comment, and the comment becomes a deviation's reproduction text and a row
 * of its context. Callers who may not read the deviation's contact details get such text with
 * e-mail addresses and phone numbers replaced.
 */

/** Text that replaces a masked e-mail address or phone number. */
export const MASKED_CONTACT = '[contact hidden]';

const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * A phone number as written in Sweden or abroad: a `+` or `00` country code, or a 0 followed by
 * a digit from 1 to 9, then at least six more digits, which spaces, hyphens, dots, slashes or
 * brackets may separate. Organisation numbers (556…), dates (2026-…) and requirement ids
 * (SSB-006) do not begin that way.
 */
const PHONE = /(?<![\p{L}\p{N}])(?:(?:\+|00)\d{1,3}[\s./-]*(?:\(0\)[\s./-]*)?|\(?0(?=[1-9]))\d(?:[\s./()-]{0,2}\d){5,12}(?!\p{N})/gu;

/** Returns the text with every e-mail address and phone number in it replaced by MASKED_CONTACT. */
export function maskContactDetails(text: string): string {
  return text.replace(EMAIL, MASKED_CONTACT).replace(PHONE, MASKED_CONTACT);
}

/** Returns the text as it is when `visible`, else with its contact details masked; null stays null. */
export function contactText(text: string, visible: boolean): string;
export function contactText(text: string | null, visible: boolean): string | null;
export function contactText(text: string | null, visible: boolean): string | null {
  return text === null || visible ? text : maskContactDetails(text);
}
