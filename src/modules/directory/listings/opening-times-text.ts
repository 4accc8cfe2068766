import type { LocationRecord, ScheduleRecord } from '../directory.types.ts';

/* Opening times as editors enter them and read them back: weekly days, or one weekday a month. */

import { weekdayCodes, weekdayNames, type WeekdayCode } from '../search/opening-times.ts';

/** Weeks of the month a monthly session can fall in (RFC 5545: -1 is the last). */
export const weeksOfMonth = ['1', '2', '3', '4', '-1'] as const;
export type WeekOfMonth = (typeof weeksOfMonth)[number];
export const weekOfMonthNames: Record<WeekOfMonth, string> = { '1': 'First', '2': 'Second', '3': 'Third', '4': 'Fourth', '-1': 'Last' };

export type TimesInput =
  | { frequency: 'weekly'; days: WeekdayCode[]; opensAt: string; closesAt: string; description: string | null }
  | { frequency: 'monthly'; week: WeekOfMonth; weekday: WeekdayCode; opensAt: string; closesAt: string; description: string | null };

export function toSchedule(id: string, times: TimesInput): ScheduleRecord {
  const common = { id, interval: 1, opensAt: times.opensAt, closesAt: times.closesAt, description: times.description };
  return times.frequency === 'weekly'
    ? { ...common, freq: 'WEEKLY', byday: weekdayCodes.filter((d) => times.days.includes(d)).join(',') }
    : { ...common, freq: 'MONTHLY', byday: `${times.week}${times.weekday}` };
}

/** The form's view of a saved schedule, to edit it. */
export function fromSchedule(s: ScheduleRecord): Record<string, unknown> {
  const monthly = /^(-?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(s.byday ?? '');
  return {
    frequency: s.freq === 'MONTHLY' ? 'monthly' : 'weekly',
    days: s.freq === 'WEEKLY' ? (s.byday ?? '').split(',').filter(Boolean) : [],
    week: monthly?.[1],
    weekday: monthly?.[2],
    opensAt: s.opensAt ?? '',
    closesAt: s.closesAt ?? '',
    description: s.description ?? '',
  };
}

const plural = (day: string) => `${weekdayNames[day as WeekdayCode] ?? day}s`;
const listInWords = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** 'Mondays and Wednesdays, 10:00 to 12:00' or 'Last Friday of the month, 14:00 to 16:00'. */
export function describeTimes(s: ScheduleRecord): string {
  let when: string;
  const monthly = /^(-?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(s.byday ?? '');
  if (s.freq === 'MONTHLY' && monthly) {
    when = `${weekOfMonthNames[monthly[1] as WeekOfMonth] ?? monthly[1]} ${weekdayNames[monthly[2] as WeekdayCode]} of the month`;
  } else if (s.freq === 'MONTHLY') {
    when = s.bymonthday ? `Day ${s.bymonthday} of the month` : 'Monthly';
  } else {
    when = s.byday ? listInWords(s.byday.split(',').map(plural)) : 'Every week';
  }
  const hours = s.opensAt && s.closesAt ? `, ${s.opensAt} to ${s.closesAt}` : s.opensAt ? `, from ${s.opensAt}` : '';
  return `${when}${hours}${s.description ? ` (${s.description})` : ''}`;
}

/** One line for a location: 'Millbrook Centre, 1 High Street, Wyndale WY1 2AB'. */
export function describeLocation(l: Pick<LocationRecord, 'name' | 'address1' | 'address2' | 'city' | 'postalCode'>): string {
  const town = [l.city, l.postalCode].filter(Boolean).join(' ');
  return [l.name, l.address1, l.address2, town].filter(Boolean).join(', ');
}
