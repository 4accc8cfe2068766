/** Whole-day arithmetic on 'YYYY-MM-DD' dates, in UK time, for follow-ups and response deadlines. */

export const REMINDER_AFTER_DAYS = 7;
export const RESPOND_WITHIN_DAYS = 14;

/** Today's date in the UK, whatever the server's time zone. */
export function ukToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
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

/** The day a reminder is due for a referral sent on sentOn, and the day it counts as unanswered. */
export const reminderDueOn = (sentOn: string) => addDays(sentOn, REMINDER_AFTER_DAYS);
export const respondByOn = (sentOn: string) => addDays(sentOn, RESPOND_WITHIN_DAYS);

export type OnwardStatus = 'given' | 'sent' | 'accepted' | 'declined' | 'no_response';

/** What the link worker sees: a referral still waiting after 14 whole days shows "no response". */
export function onwardReferralStatus(stored: 'given' | 'sent' | 'accepted' | 'declined', sentOn: string, today: string): OnwardStatus {
  if (stored === 'sent' && today > respondByOn(sentOn)) return 'no_response';
  return stored;
}

export function reminderIsDue(stored: string, sentOn: string, reminderSentAt: unknown, today: string): boolean {
  return stored === 'sent' && !reminderSentAt && today >= reminderDueOn(sentOn) && today <= respondByOn(sentOn);
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
