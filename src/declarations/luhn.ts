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
