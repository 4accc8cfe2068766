import { describe, expect, it } from 'vitest';
import type { ScheduleRecord } from '../directory.types.ts';
import { describeSchedules, londonTime, nextOpening, occursOn } from './opening-times.ts';

let n = 0;
const weekly = (byday: string, opensAt = '10:00', closesAt: string | null = '12:00', more: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
  id: `s${++n}`,
  freq: 'WEEKLY',
  byday,
  opensAt,
  closesAt,
  ...more,
});
const monthly = (more: Partial<ScheduleRecord>): ScheduleRecord => ({ id: `m${++n}`, freq: 'MONTHLY', opensAt: '10:00', closesAt: '12:00', ...more });

// November 2026 is in Greenwich Mean Time, so UTC and UK clocks agree. 22 November 2026 is a Sunday.
const at = (iso: string) => new Date(iso);

describe('nextOpening, weekly', () => {
  const mondayAndWednesday = [weekly('MO,WE')];

  it('says open now, and until when, during a session', () => {
    const result = nextOpening(mondayAndWednesday, at('2026-11-23T11:00:00Z'));
    expect(result?.text).toBe('Open now until 12:00');
    expect(result?.openNow).toBe(true);
    expect(result?.at.toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });

  it('gives a later time today, tomorrow, or the weekday within the week', () => {
    expect(nextOpening(mondayAndWednesday, at('2026-11-23T09:00:00Z'))?.text).toBe('Opens today 10:00');
    expect(nextOpening(mondayAndWednesday, at('2026-11-22T15:00:00Z'))?.text).toBe('Opens tomorrow 10:00');
    const afterMonday = nextOpening(mondayAndWednesday, at('2026-11-23T12:00:00Z'));
    expect(afterMonday?.text).toBe('Opens Wednesday 10:00');
    expect(afterMonday?.at.toISOString()).toBe('2026-11-25T10:00:00.000Z');
  });

  it('treats the closing minute as closed', () => {
    expect(nextOpening(mondayAndWednesday, at('2026-11-25T12:00:00Z'))?.text).toBe('Opens Monday 10:00');
  });

  it('picks the earliest of several schedules and ignores ones without times', () => {
    const schedules = [weekly('FR', '14:00', '16:00'), weekly('TH', '18:30', '20:00'), { id: 'x', freq: 'WEEKLY' as const, byday: 'TU', description: 'Ring first' }];
    expect(nextOpening(schedules, at('2026-11-24T09:00:00Z'))?.text).toBe('Opens Thursday 18:30');
    expect(nextOpening([{ id: 'y', freq: 'WEEKLY', byday: 'TU' }], at('2026-11-24T09:00:00Z'))).toBeNull();
    expect(nextOpening([], at('2026-11-24T09:00:00Z'))).toBeNull();
  });

  it('shows a date more than a week ahead, and honours valid from and valid to', () => {
    expect(nextOpening([weekly('MO', '10:00', '12:00', { validFrom: '2027-01-04' })], at('2026-11-22T12:00:00Z'))?.text).toBe('Opens 4 January 10:00');
    expect(nextOpening([weekly('MO', '10:00', '12:00', { validTo: '2026-11-20' })], at('2026-11-22T12:00:00Z'))).toBeNull();
    expect(nextOpening([weekly('MO', '10:00', '12:00', { validTo: '2026-11-23' })], at('2026-11-22T12:00:00Z'))?.text).toBe('Opens tomorrow 10:00');
  });

  it('keeps a session past midnight open after midnight', () => {
    const lateNight = [weekly('SA', '22:00', '02:00')];
    expect(nextOpening(lateNight, at('2026-11-22T01:00:00Z'))?.text).toBe('Open now until 02:00');
    expect(nextOpening(lateNight, at('2026-11-22T02:30:00Z'))?.text).toBe('Opens Saturday 22:00');
  });

  it('counts every other week from the start date', () => {
    // Starts Monday 16 November: meets 16 and 30 November, not 23 November.
    const fortnightly = [weekly('MO', '10:00', '12:00', { interval: 2, dtstart: '2026-11-16' })];
    const next = nextOpening(fortnightly, at('2026-11-22T12:00:00Z'));
    expect(next?.text).toBe('Opens 30 November 10:00');
  });
});

describe('nextOpening, monthly', () => {
  it('finds the first Tuesday of the next month', () => {
    const next = nextOpening([monthly({ byday: '1TU' })], at('2026-11-22T12:00:00Z'));
    expect(next?.text).toBe('Opens 1 December 10:00');
    expect(next?.at.toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('finds the last Friday of this month, then of the next', () => {
    expect(nextOpening([monthly({ byday: '-1FR' })], at('2026-11-22T12:00:00Z'))?.text).toBe('Opens Friday 10:00');
    expect(nextOpening([monthly({ byday: '-1FR' })], at('2026-11-28T12:00:00Z'))?.text).toBe('Opens 25 December 10:00');
  });

  it('finds a day of the month, counting from the end when negative', () => {
    expect(nextOpening([monthly({ bymonthday: '15' })], at('2026-11-22T12:00:00Z'))?.text).toBe('Opens 15 December 10:00');
    expect(nextOpening([monthly({ bymonthday: '-1' })], at('2026-11-22T12:00:00Z'))?.text).toBe('Opens 30 November 10:00');
  });

  it('knows the third Wednesday and skips a month without a fifth Monday', () => {
    expect(occursOn(monthly({ byday: '3WE' }), { year: 2026, month: 11, day: 18 })).toBe(true);
    expect(occursOn(monthly({ byday: '3WE' }), { year: 2026, month: 11, day: 25 })).toBe(false);
    // November 2026 has five Mondays (2, 9, 16, 23, 30); December has four; the next fifth is 29 March 2027.
    expect(nextOpening([monthly({ byday: '5MO' })], at('2026-12-01T12:00:00Z'))?.text).toBe('Opens 29 March 10:00');
  });
});

describe('British Summer Time', () => {
  it('opens at 10:00 UK time on the morning the clocks go forward', () => {
    // Clocks go forward at 01:00 GMT on Sunday 29 March 2026: 10:00 BST is 09:00 UTC.
    const next = nextOpening([weekly('SU')], at('2026-03-28T12:00:00Z'));
    expect(next?.text).toBe('Opens tomorrow 10:00');
    expect(next?.at.toISOString()).toBe('2026-03-29T09:00:00.000Z');
  });

  it('opens at 10:00 UK time on the morning the clocks go back', () => {
    // Clocks go back at 01:00 GMT on Sunday 25 October 2026: 10:00 GMT is 10:00 UTC, and the evening before is BST.
    const next = nextOpening([weekly('SU')], at('2026-10-24T12:00:00Z'));
    expect(next?.at.toISOString()).toBe('2026-10-25T10:00:00.000Z');
    expect(nextOpening([weekly('SA', '13:00', '14:00')], at('2026-10-24T12:30:00Z'))?.text).toBe('Open now until 14:00');
  });

  it('reads the clock in UK time in summer', () => {
    // 09:30 UTC on Monday 1 June 2026 is 10:30 in the UK; 11:00 UTC is 12:00, closing time.
    expect(nextOpening([weekly('MO')], at('2026-06-01T09:30:00Z'))?.text).toBe('Open now until 12:00');
    expect(nextOpening([weekly('MO')], at('2026-06-01T11:00:00Z'))?.text).toBe('Opens 8 June 10:00');
    expect(londonTime({ year: 2026, month: 6, day: 1 }, '10:00').toISOString()).toBe('2026-06-01T09:00:00.000Z');
  });

  it('uses the UK date, not the UTC date, just after midnight in summer', () => {
    // 23:30 UTC on Sunday 31 May is 00:30 on Monday 1 June in the UK.
    expect(nextOpening([weekly('MO')], at('2026-05-31T23:30:00Z'))?.text).toBe('Opens today 10:00');
  });
});

describe('describeSchedules', () => {
  it('lists weekdays in week order and monthly rules in words', () => {
    const rows = describeSchedules([
      monthly({ byday: '-1FR', opensAt: '18:00', closesAt: '20:00' }),
      weekly('WE,MO'),
      monthly({ byday: '1TU' }),
      monthly({ bymonthday: '15' }),
      weekly('TH', '13:00', null, { interval: 2, dtstart: '2026-11-05' }),
    ]);
    expect(rows.map((r) => [r.days, r.times])).toEqual([
      ['Monday', '10:00 to 12:00'],
      ['Wednesday', '10:00 to 12:00'],
      ['Every other Thursday', 'From 13:00'],
      ['First Tuesday of the month', '10:00 to 12:00'],
      ['Last Friday of the month', '18:00 to 20:00'],
      ['15th of the month', '10:00 to 12:00'],
    ]);
  });

  it('notes the dates a schedule is valid for and its description', () => {
    const [row] = describeSchedules([weekly('SA', '09:00', '11:00', { validFrom: '2026-04-01', validTo: '2026-09-30', description: 'Summer only' })]);
    expect(row.notes).toEqual(['From 1 April 2026 to 30 September 2026', 'Summer only']);
  });
});
