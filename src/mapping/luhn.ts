/**
 * The Luhn (mod 10) check digit for a string of digits, as used by Swedish organisation numbers
 * and personnummer: weights 2, 1, 2, 1, … from the left over the nine leading digits.
 */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    const product = Number(digits[index]) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit of a 10-digit Swedish identifier is the Luhn check digit of the first nine. */
export function isLuhnValid(tenDigits: string): boolean {
  return (
    /^\d{10}$/.test(tenDigits) && luhnCheckDigit(tenDigits.slice(0, 9)) === Number(tenDigits[9])
  );
}
