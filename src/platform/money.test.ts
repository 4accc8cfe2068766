import { describe, expect, it } from 'vitest';
import { formatPence, parseMoney, penceToInput } from './money.ts';

describe('parsing money exactly', () => {
  it.each([
    ['£1,234.56', 123456],
    ['1234.5', 123450],
    ['1234', 123400],
    ['£50,000', 5_000_000],
    [' £ 0.07 ', 7],
    ['0.1', 10],
    ['1,000,000.99', 100_000_099],
    // 0.1 + 0.2 style amounts that floating point gets wrong
    ['19.99', 1999],
    ['4.35', 435],
  ])('reads %s as %d pence', (input, pence) => {
    expect(parseMoney(input)).toEqual({ ok: true, pence });
  });

  it('never rounds through floating point', () => {
    // parseFloat('4.35') * 100 is 434.99999999999994
    expect(parseMoney('4.35')).toEqual({ ok: true, pence: 435 });
    expect(parseMoney('8.20')).toEqual({ ok: true, pence: 820 });
  });

  it.each([
    ['', 'Enter the amount'],
    ['abc', 'must be an amount of money'],
    ['12.345', 'at most 2 digits after the decimal point'],
    ['-5', 'cannot be negative'],
    ['1,23.00', 'must be an amount of money'],
    ['£50k', 'must be an amount of money'],
    ['1e5', 'must be an amount of money'],
    ['99999999999999', 'too large'],
  ])('refuses %j with a clear message', (input, message) => {
    const result = parseMoney(input, 'The amount');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});

describe('showing money', () => {
  it.each([
    [123456, '£1,234.56'],
    [5_000_000, '£50,000.00'],
    [7, '£0.07'],
    [0, '£0.00'],
    [-500, '-£5.00'],
    [100_000_000_000, '£1,000,000,000.00'],
  ])('shows %d pence as %s', (pence, text) => {
    expect(formatPence(pence)).toBe(text);
  });

  it('round-trips through the form value', () => {
    expect(penceToInput(123450)).toBe('1234.50');
    expect(penceToInput(5)).toBe('0.05');
    expect(parseMoney(penceToInput(987654321))).toEqual({ ok: true, pence: 987654321 });
  });
});
