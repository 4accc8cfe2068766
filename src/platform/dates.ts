/**
 * The one dates module. Calendar dates are 'YYYY-MM-DD' strings in UK time everywhere (the
 * database's `date` comes back as that text on both engines), so no time zone moves a day.
 */
import { z } from 'zod';

const ukDateParts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in the UK, whatever the server's time zone. */
export function ukToday(now: Date = new Date()): string {
  return ukDateParts.format(now);
}

/** The UK calendar date of a moment. */
export const ukDateOf = (moment: Date): string => ukDateParts.format(moment);

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);
}

export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, d, 12));
  // 29 February moves to 28 February in a year that has none.
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

// Made once: toLocaleString with options builds a new formatter on every call, which took half
// the time of pages listing hundreds of dates (the social prescribing caseload).
const dateFormats = {
  date: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }),
  datetime: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
};

/** "27 March 2026" (or with the time, UK time) for a date string, a timestamp or a Date. */
export function formatDate(value: unknown, style: 'date' | 'datetime' = 'date'): string {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(String(value).length === 10 ? `${value}T12:00:00Z` : String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormats[style].format(date);
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A 'YYYY-MM-DD' field (API and HTML date fields), with a message naming it. */
export const isoDateField = (label: string) =>
  z
    .string({ error: `Enter ${label}` })
    .refine(isCalendarDate, `${capital(label)} must be a real date, like 2026-03-27`)
    .describe('A date, YYYY-MM-DD (UK time)');

/**
 * The NHS date input's three boxes (`name-day`, `name-month`, `name-year`) → 'YYYY-MM-DD'; null
 * when all are blank, 'invalid' when they do not make a real date.
 */
export function dateFromParts(day: unknown, month: unknown, year: unknown): string | null | 'invalid' {
  const parts = [day, month, year].map((p) => (typeof p === 'string' ? p.trim() : ''));
  if (parts.every((p) => p === '')) return null;
  if (!parts.every((p) => /^\d+$/.test(p)) || parts[2].length !== 4) return 'invalid';
  const [d, m, y] = parts.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'invalid';
  return date.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' → the three boxes' values, to fill an NHS date input again. */
export function dateToParts(date: string | null | undefined): { day: string; month: string; year: string } {
  if (!date || !isCalendarDate(date)) return { day: '', month: '', year: '' };
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}
