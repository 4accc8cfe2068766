import type { ScheduleRecord } from '../directory.types.ts';
import { noteDisagreesWithTimes } from '../listings/times-in-notes.ts';

/*
 * Opening times from ORUK schedules (RFC 5545-style rules), always in UK time: a group that
 * meets at 10:00 meets at 10:00 in both GMT and British Summer Time.
 */

const ZONE = 'Europe/London';
export const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof weekdayCodes)[number];
export const weekdayNames: Record<WeekdayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ordinals: Record<string, string> = { '1': 'First', '2': 'Second', '3': 'Third', '4': 'Fourth', '5': 'Fifth', '-1': 'Last', '-2': 'Second to last' };

/** A calendar day in UK time; month 1–12. */
type LocalDate = { year: number; month: number; day: number };

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

function partsInLondon(instant: Date) {
  const p = Object.fromEntries(londonParts.formatToParts(instant).map((x) => [x.type, x.value]));
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, second: +p.second };
}

/** The instant at which UK clocks show this date and time. */
export function londonTime(date: LocalDate, hhmm: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number);
  const wanted = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  let guess = wanted;
  // Two rounds settle the offset on either side of a clock change.
  for (let i = 0; i < 2; i++) {
    const p = partsInLondon(new Date(guess));
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - shown;
  }
  return new Date(guess);
}

const addDays = (d: LocalDate, n: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};
const isoDate = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const parseDate = (s: string): LocalDate => {
  const [year, month, day] = s.slice(0, 10).split('-').map(Number);
  return { year, month, day };
};
const weekday = (d: LocalDate): WeekdayCode => weekdayCodes[(new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7];
const daysInMonth = (d: LocalDate) => new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();
const dayNumber = (d: LocalDate) => Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);

/** 'MO,1TU,-1FR' → [{ n: null, day: 'MO' }, { n: 1, day: 'TU' }, { n: -1, day: 'FR' }]; unknown parts are dropped. */
function parseByDay(byday: string | null | undefined): { n: number | null; day: WeekdayCode }[] {
  return (byday ?? '')
    .split(',')
    .map((part) => /^\s*([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)\s*$/i.exec(part))
    .flatMap((m) => (m ? [{ n: m[1] ? Number(m[1]) : null, day: m[2].toUpperCase() as WeekdayCode }] : []));
}

const parseMonthDays = (bymonthday: string | null | undefined) =>
  (bymonthday ?? '')
    .split(',')
    .map((x) => Number(x.trim()))
    .filter((n) => Number.isInteger(n) && n !== 0 && n >= -31 && n <= 31);

/** Whether a schedule's rule falls on this UK calendar day. */
export function occursOn(schedule: ScheduleRecord, date: LocalDate): boolean {
  const iso = isoDate(date);
  if (schedule.validFrom && iso < schedule.validFrom.slice(0, 10)) return false;
  if (schedule.validTo && iso > schedule.validTo.slice(0, 10)) return false;
  const interval = Math.max(1, schedule.interval ?? 1);
  const anchorText = schedule.dtstart ?? schedule.validFrom;
  const anchor = anchorText ? parseDate(anchorText) : null;
  if (anchor && iso < isoDate(anchor)) return false;
  const day = weekday(date);
  if (schedule.freq === 'WEEKLY') {
    if (interval > 1 && anchor) {
      // Weeks counted Monday to Sunday from the week the rule starts.
      const mondayOf = (d: LocalDate) => dayNumber(d) - weekdayCodes.indexOf(weekday(d));
      if (((mondayOf(date) - mondayOf(anchor)) / 7) % interval !== 0) return false;
    }
    return parseByDay(schedule.byday).some((r) => r.day === day);
  }
  if (interval > 1 && anchor && ((date.year - anchor.year) * 12 + date.month - anchor.month) % interval !== 0) return false;
  const length = daysInMonth(date);
  if (parseMonthDays(schedule.bymonthday).some((n) => (n > 0 ? n : length + n + 1) === date.day)) return true;
  return parseByDay(schedule.byday).some((r) => {
    if (r.day !== day) return false;
    if (r.n === null) return true; // every such weekday of the month
    const nth = r.n > 0 ? Math.ceil(date.day / 7) : -Math.ceil((length - date.day + 1) / 7);
    return nth === r.n;
  });
}

export type NextOpening = { text: string; at: Date; openNow: boolean };

const hhmm = (t: string) => t.slice(0, 5);

/**
 * When the service is next open: 'Open now until 12:00', 'Opens today 14:00', 'Opens tomorrow 10:00',
 * 'Opens Tuesday 10:00' (within the week) or 'Opens 3 December 10:00'. Null when no schedule gives a time
 * within the next 13 months. `at` is the opening instant (for 'open now', when this session opened).
 */
export function nextOpening(schedules: ScheduleRecord[], now: Date): NextOpening | null {
  const withTimes = schedules.filter((s) => s.opensAt && /^\d{2}:\d{2}/.test(s.opensAt));
  if (!withTimes.length) return null;
  const p = partsInLondon(now);
  const today: LocalDate = { year: p.year, month: p.month, day: p.day };
  let best: { opens: Date; closes: Date | null; date: LocalDate } | null = null;
  // From yesterday, for sessions that run past midnight; 400 days covers yearly-ish monthly rules.
  for (let offset = -1; offset <= 400 && !best; offset++) {
    const date = addDays(today, offset);
    for (const s of withTimes) {
      if (!occursOn(s, date)) continue;
      const opens = londonTime(date, hhmm(s.opensAt!));
      let closes: Date | null = null;
      if (s.closesAt && /^\d{2}:\d{2}/.test(s.closesAt)) {
        closes = londonTime(hhmm(s.closesAt) <= hhmm(s.opensAt!) ? addDays(date, 1) : date, hhmm(s.closesAt));
      }
      const openNow = closes !== null && opens <= now && now < closes;
      if (!openNow && opens < now) continue;
      const candidate = { opens, closes: openNow ? closes : null, date };
      if (!best || (candidate.closes && !best.closes) || (!best.closes && candidate.opens < best.opens)) best = candidate;
      else if (candidate.closes && best.closes && candidate.closes > best.closes) best = candidate;
    }
  }
  if (!best) return null;
  const time = (d: Date) => {
    const q = partsInLondon(d);
    return `${String(q.hour).padStart(2, '0')}:${String(q.minute).padStart(2, '0')}`;
  };
  if (best.closes) return { text: `Open now until ${time(best.closes)}`, at: best.opens, openNow: true };
  const ahead = dayNumber(best.date) - dayNumber(today);
  const when =
    ahead === 0 ? 'today' : ahead === 1 ? 'tomorrow' : ahead < 7 ? weekdayNames[weekday(best.date)] : `${best.date.day} ${monthNames[best.date.month - 1]}`;
  return { text: `Opens ${when} ${time(best.opens)}`, at: best.opens, openNow: false };
}

const ordinalDay = (n: number) => {
  if (n < 0) return n === -1 ? 'Last day' : `${-n}${suffix(-n)} to last day`;
  return `${n}${suffix(n)}`;
};
function suffix(n: number) {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

export type OpeningRow = { days: string; times: string; notes: string[] };

const formatLongDate = (s: string) => {
  const d = parseDate(s);
  return `${d.day} ${monthNames[d.month - 1]} ${d.year}`;
};

/**
 * Opening times as rows for a table, in words: 'Monday', 'Every other Tuesday',
 * 'First Tuesday of the month', '15th of the month'; weekdays in week order.
 */
export function describeSchedules(schedules: ScheduleRecord[]): OpeningRow[] {
  const rows: (OpeningRow & { order: number })[] = [];
  for (const s of schedules) {
    const times = s.opensAt ? (s.closesAt ? `${hhmm(s.opensAt)} to ${hhmm(s.closesAt)}` : `From ${hhmm(s.opensAt)}`) : 'Times not given';
    const notes: string[] = [];
    if (s.validFrom && s.validTo) notes.push(`From ${formatLongDate(s.validFrom)} to ${formatLongDate(s.validTo)}`);
    else if (s.validFrom) notes.push(`From ${formatLongDate(s.validFrom)}`);
    else if (s.validTo) notes.push(`Until ${formatLongDate(s.validTo)}`);
    // A note written for times that have since changed is left out: the structured times are the truth.
    for (const text of [s.description, s.notes]) if (text && !noteDisagreesWithTimes(text, s)) notes.push(text);
    const interval = Math.max(1, s.interval ?? 1);
    const every = interval === 2 ? 'Every other ' : interval > 2 ? `Every ${interval} ${s.freq === 'WEEKLY' ? 'weeks' : 'months'}: ` : '';
    const days = parseByDay(s.byday);
    if (s.freq === 'WEEKLY') {
      for (const d of days) {
        const name = weekdayNames[d.day];
        rows.push({ days: every ? (interval === 2 ? `Every other ${name}` : `${every}${name}`) : name, times, notes, order: weekdayCodes.indexOf(d.day) });
      }
      if (!days.length) rows.push({ days: 'Every week', times, notes, order: 7 });
      continue;
    }
    const month = interval === 2 ? 'of every other month' : interval > 2 ? `of every ${interval} months` : 'of the month';
    for (const d of days) {
      const name = weekdayNames[d.day];
      const label = d.n === null ? `Every ${name} ${month}` : `${ordinals[String(d.n)] ?? `${ordinalDay(d.n)}`} ${name} ${month}`;
      rows.push({ days: label, times, notes, order: 10 + weekdayCodes.indexOf(d.day) });
    }
    for (const n of parseMonthDays(s.bymonthday)) rows.push({ days: `${ordinalDay(n)} ${month}`, times, notes, order: 20 + (n < 0 ? 40 + n : n) });
    if (!days.length && !parseMonthDays(s.bymonthday).length) rows.push({ days: 'Every month', times, notes, order: 70 });
  }
  return rows.sort((a, b) => a.order - b.order || a.times.localeCompare(b.times)).map(({ order: _order, ...row }) => row);
}
