import type { ScheduleRecord } from '../directory.types.ts';

// Its own day names, so the public page's opening times (search/opening-times.ts) can use this file.
const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
type WeekdayCode = (typeof weekdayCodes)[number];
const weekdayNames: Record<WeekdayCode, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };

/*
 * The structured times are the truth about when a service runs; a note may only add to them ("term
 * time only"). A note that restates days or times that are not the structured ones was written for
 * times that have since changed: it is flagged for the editor and kept off the public page.
 */

// Whole day names ("Wednesdays"); short ones only in a range ("Mon–Fri"), as "sun" and "sat" are words too.
const dayPattern = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b/gi;
const shortDay = '(mon|tues?|wed(?:nesday)?|weds|thu(?:rs?)?|thursday|fri(?:day)?|sat(?:urday)?|sun(?:day)?|monday|tuesday)';
const rangePattern = new RegExp(`\\b${shortDay}\\s*(?:to|-|–|until|till)\\s*${shortDay}\\b`, 'gi');
const codeOf = (word: string) => ({ mo: 'MO', tu: 'TU', we: 'WE', th: 'TH', fr: 'FR', sa: 'SA', su: 'SU' })[word.slice(0, 2).toLowerCase()] as WeekdayCode;
// 13:30, 1.30pm, 2pm, noon, midday
// (not a price, £3.50, nor a date, 12.05.2026)
const timePattern = /(?<![£$\d.:])\b(\d{1,2})[:.](\d{2})(?![.:\d])\s*(am|pm)?\b|(?<![£$\d.:])\b(\d{1,2})\s*(am|pm)\b|\b(noon|midday)\b/gi;

/** The days a note names: "Wednesdays", "Mon–Fri", "weekdays". */
export function daysInNote(note: string): Set<WeekdayCode> {
  const days = new Set<WeekdayCode>();
  for (const m of note.matchAll(rangePattern)) {
    const from = weekdayCodes.indexOf(codeOf(m[1]));
    const to = weekdayCodes.indexOf(codeOf(m[2]));
    for (let i = from; i <= (to >= from ? to : to + 7); i++) days.add(weekdayCodes[i % 7]);
  }
  for (const m of note.matchAll(dayPattern)) days.add(codeOf(m[1]));
  if (/\bweekdays\b/i.test(note)) for (const d of weekdayCodes.slice(0, 5)) days.add(d);
  if (/\bweekends?\b/i.test(note)) for (const d of ['SA', 'SU'] as const) days.add(d);
  return days;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The clock times a note names, each as the HH:MM readings it could mean ("1.30" is 01:30 or 13:30). */
export function timesInNote(note: string): string[][] {
  const found: string[][] = [];
  for (const m of note.matchAll(timePattern)) {
    if (m[6]) {
      found.push(['12:00']);
      continue;
    }
    const hour = Number(m[1] ?? m[4]);
    const minute = Number(m[2] ?? 0);
    const meridiem = (m[3] ?? m[5])?.toLowerCase();
    if (hour > 23 || minute > 59) continue;
    if (meridiem) {
      const h = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
      found.push([`${pad(h)}:${pad(minute)}`]);
    } else found.push(hour < 12 ? [`${pad(hour)}:${pad(minute)}`, `${pad(hour + 12)}:${pad(minute)}`] : [`${pad(hour)}:${pad(minute)}`]);
  }
  return found;
}

function scheduleDays(s: ScheduleRecord): Set<string> {
  return new Set((s.byday ?? '').split(',').map((d) => d.replace(/^-?\d+/, '')).filter(Boolean));
}

export type NoteDisagreement = { scheduleId: string; note: string; message: string };

/** Whether a note names a day or a time its own schedule does not have. */
export function noteDisagreesWithTimes(note: string | null | undefined, s: ScheduleRecord): boolean {
  if (!note) return false;
  const days = scheduleDays(s);
  const named = daysInNote(note);
  if (days.size && [...named].some((d) => !days.has(d))) return true;
  const clock = [s.opensAt, s.closesAt].filter(Boolean).map((t) => t!.slice(0, 5));
  if (!clock.length) return false;
  return timesInNote(note).some((readings) => !readings.some((r) => clock.includes(r)));
}

/** The notes among a service's times that restate days or times that are not the structured ones. */
export function notesDisagreeingWithTimes(schedules: ScheduleRecord[]): NoteDisagreement[] {
  return schedules
    .filter((s) => noteDisagreesWithTimes(s.description, s))
    .map((s) => {
      const days = [...scheduleDays(s)].map((d) => `${weekdayNames[d as WeekdayCode] ?? d}s`).join(', ');
      const hours = s.opensAt ? `${s.opensAt.slice(0, 5)}${s.closesAt ? ` to ${s.closesAt.slice(0, 5)}` : ''}` : '';
      return {
        scheduleId: s.id,
        note: s.description!,
        message: `The note “${s.description}” does not match the times, ${[days, hours].filter(Boolean).join(', ')}. The times are what people see; change or remove the note.`,
      };
    });
}
