import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit, testNhsNumber } from './nhs-number.ts';

describe('NHS number check digit', () => {
  it('accepts a number whose tenth digit is the modulus 11 check digit, with or without spaces', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943-476-5919')).toBe(true);
  });

  it('refuses a wrong check digit, a transposition, the wrong length and letters', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('9434765991')).toBe(false); // last two swapped
    expect(isValidNhsNumber('4934765919')).toBe(false); // first two swapped
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('94347A5919')).toBe(false);
    expect(isValidNhsNumber('')).toBe(false);
  });

  it('treats a remainder of 11 as check digit 0 and a remainder giving 10 as never issued', () => {
    // 999000000: 9*10 + 9*9 + 9*8 = 243; 243 mod 11 = 1; 11 - 1 = 10 → no valid number.
    expect(nhsCheckDigit('999000000')).toBeNull();
    // 999000001: 243 + 2 = 245; 245 mod 11 = 3; check 8.
    expect(nhsCheckDigit('999000001')).toBe(8);
    // 000000000 sums to 0; 11 - 0 = 11 → 0.
    expect(nhsCheckDigit('000000000')).toBe(0);
  });

  it('makes synthetic test numbers in the 999 range that pass the check', () => {
    const numbers = Array.from({ length: 50 }, (_, i) => testNhsNumber(i * 7));
    for (const n of numbers) {
      expect(n.startsWith('999')).toBe(true);
      expect(isValidNhsNumber(n)).toBe(true);
    }
    expect(testNhsNumber(0)).toBe('9990000018');
  });

  it('formats as three, three and four digits', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(formatNhsNumber(null)).toBe('');
  });
});
