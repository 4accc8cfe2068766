/**
 * Money is whole pence (bigint in the database, a safe integer here). Parsing and formatting work
 * on the digits as text, so no floating-point rounding can creep in.
 */

/** The largest amount we accept: £10 billion, far inside the exact-integer range. */
export const MAX_PENCE = 1_000_000_000_000;

export type ParsedMoney = { ok: true; pence: number } | { ok: false; message: string };

/** Reads "£1,234.56", "1234.5", "1,234", "£50k" is refused: only digits, commas in thousands and up to 2 decimals. */
export function parseMoney(input: unknown, label = 'The amount'): ParsedMoney {
  if (typeof input !== 'string' && typeof input !== 'number') return { ok: false, message: `Enter ${lower(label)}` };
  const text = String(input).trim().replace(/^£\s*/, '');
  if (text === '') return { ok: false, message: `Enter ${lower(label)}` };
  if (text.startsWith('-')) return { ok: false, message: `${label} cannot be negative` };
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) {
    if (/^[\d,]*\.\d{3,}$/.test(text)) return { ok: false, message: `${label} can have at most 2 digits after the decimal point (pence)` };
    return { ok: false, message: `${label} must be an amount of money, like £1,234.56` };
  }
  const pounds = match[1].replace(/,/g, '').replace(/^0+(?=\d)/, '');
  if (pounds.length > 11) return { ok: false, message: `${label} is too large` };
  const pence = Number(pounds) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (pence > MAX_PENCE) return { ok: false, message: `${label} is too large` };
  return { ok: true, pence };
}

function lower(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** 123456 → "£1,234.56"; negative amounts as "-£5.00". */
export function formatPence(pence: number | bigint | string | null | undefined): string {
  if (pence === null || pence === undefined || pence === '') return '';
  const digits = BigInt(pence);
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString().padStart(3, '0');
  const pounds = abs.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}£${pounds}.${abs.slice(-2)}`;
}

/** The value to put back in a form field: "1234.56" (no symbol, no commas). */
export function penceToInput(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  const abs = String(pence).padStart(3, '0');
  return `${abs.slice(0, -2)}.${abs.slice(-2)}`;
}
