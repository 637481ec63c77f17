/** Computes the Luhn check digit that Swedish organisation and personal identity numbers end with, from their first nine digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    // Counted from the left, the 1st, 3rd, 5th, 7th and 9th digits are doubled.
    const product = Number(digits[index]) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

/** Checks that ten digits end in the Luhn check digit of the nine before it. */
export function hasValidCheckDigit(tenDigits: string): boolean {
  return luhnCheckDigit(tenDigits.slice(0, 9)) === Number(tenDigits[9]);
}

/**
 * Returns the ten digits YYMMDDNNNC of an organisation number that is a person's identity or
 * coordination number, as a sole trader's is, and null for any other number. The month position
 * is 01 to 12 for a person and 20 or more for a legal person. A coordination number adds 60 to
 * the day, not to the month. A twelve-digit form loses its first two digits, the
 * century or a legal person's prefix 16. The check digit is not checked, so a mistyped personal
 * identity number still counts as one.
 */
export function personalIdentityDigits(organisationNumber: string): string | null {
  const digits = organisationNumber.replace(/\D/gu, '');
  const tenDigits = digits.length === 12 ? digits.slice(2) : digits;
  if (tenDigits.length !== 10) return null;
  const month = Number(tenDigits.slice(2, 4));
  return month >= 1 && month <= 12 ? tenDigits : null;
}
