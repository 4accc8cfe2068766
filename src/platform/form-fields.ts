/**
 * The building blocks of modules' form and path schemas (zod), so that every form says the same
 * thing the same way: trimmed text ("Enter the title"), money in pounds and pence that gives whole
 * pence (`src/platform/money.ts`), calendar dates, ids. Each takes the field's label in the words of
 * the sentence it is used in ("the title"), and builds its messages from it.
 */
import { z } from 'zod';
import { isCalendarDate } from './dates.ts';
import { blankToUndefined } from './http/forms.ts';
import { UUID_PATTERN } from './ids.ts';
import { parseMoney } from './money.ts';

/** "the fund name" → "Fund name": a label at the start of a message. */
export function capital(label: string): string {
  const l = label.replace(/^(the|a|an) /, '');
  return l.charAt(0).toUpperCase() + l.slice(1);
}

/** An id in the path: anything but a uuid is a page that is not there (404). */
export const pathId = (what: string) => z.string().regex(UUID_PATTERN).describe(`The ${what}’s id (a uuid)`);

/** A form with no fields of its own: a button. */
export const NoFields = z.object({});

/** Required text, trimmed: blank is "Enter …". */
export const text = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: `Enter ${label}` }).min(1, `Enter ${label}`).max(max, `${capital(label)} must be ${max} characters or fewer`),
  );

/** Optional text, trimmed: blank or absent is ''. */
export const optionalText = (label: string, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : (v ?? '')), z.string().max(max, `${capital(label)} must be ${max} characters or fewer`));

/** An amount of money, "£1,234.56", as whole pence; each fault named by `parseMoney`. */
export const money = (label: string) =>
  z.unknown().transform((value, ctx) => {
    const result = parseMoney(value, label);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.pence;
  });

/** An amount of money that may be left blank (undefined). */
export const optionalMoney = (label: string) => z.preprocess(blankToUndefined, money(label).optional());

/** A real calendar date, YYYY-MM-DD. */
export const dateField = (label: string) => z.string({ error: `Enter ${label}` }).refine(isCalendarDate, `${capital(label)} must be a real date, like 2026-03-27`);

/** A date that may be left blank (undefined). */
export const optionalDate = (label: string) => z.preprocess(blankToUndefined, dateField(label).optional());

/** A chosen id: anything but a uuid gives the message. */
export const uuid = (message: string) => z.string({ error: message }).uuid(message);

/** Checkboxes: none, one value or several arrive as a list (of at most `max`, when given). */
export const many = <T extends z.ZodType>(item: T, max?: number) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), max === undefined ? z.array(item) : z.array(item).max(max));
