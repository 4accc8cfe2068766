import { isValidPersonIdentifier } from '../../platform/nation.ts';

/**
 * NHS numbers are ten digits; the tenth is a modulus 11 check digit over the first nine
 * (weights 10 down to 2). A remainder giving 10 means the number was never issued.
 */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The configured nation's person identifier: NHS number, CHI number (Scotland) or Health and Care number (Northern Ireland). */
export function isValidNhsNumber(input: string): boolean {
  return isValidPersonIdentifier(normaliseNhsNumber(input));
}

/** The check digit for nine digits, or null when no valid number starts with them. */
export function nhsCheckDigit(nineDigits: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** '9990000018' → '999 000 0018', as the NHS writes it. */
export function formatNhsNumber(digits: string | null | undefined): string {
  if (!digits) return '';
  return digits.length === 10 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
}

/** Valid synthetic numbers in the 999 range reserved for testing, from the nth onwards. */
export function testNhsNumber(n: number): string {
  for (let k = n; ; k++) {
    const nine = `999${String(k).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}
