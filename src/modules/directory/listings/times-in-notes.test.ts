import { describe, expect, it } from 'vitest';
import type { ScheduleRecord } from '../directory.types.ts';
import { daysInNote, noteDisagreesWithTimes, notesDisagreeingWithTimes, timesInNote } from './times-in-notes.ts';

const weekly = (byday: string, opensAt: string, closesAt: string, description: string | null = null): ScheduleRecord => ({ id: crypto.randomUUID(), freq: 'WEEKLY', byday, opensAt, closesAt, description });

describe('notes that restate opening times', () => {
  it('reads days and clock times out of a note', () => {
    expect([...daysInNote('Every Wednesday, 13:30 to 15:30')]).toEqual(['WE']);
    expect([...daysInNote('Mon–Fri, not bank holidays')]).toEqual(['MO', 'TU', 'WE', 'TH', 'FR']);
    expect([...daysInNote('Monday to Friday')]).toEqual(['MO', 'TU', 'WE', 'TH', 'FR']);
    expect([...daysInNote('Tuesdays and Saturdays')].sort()).toEqual(['SA', 'TU']);
    expect([...daysInNote('Sat down with a cuppa in the sun; monthly newsletter')]).toEqual([]);
    expect(timesInNote('13:30 to 15:30')).toEqual([['13:30'], ['15:30']]);
    expect(timesInNote('from 2pm until noon')).toEqual([['14:00'], ['12:00']]);
    expect(timesInNote('1.30 start')).toEqual([['01:30', '13:30']]);
    expect(timesInNote('£3.50 for lunch, from 12.05.2026')).toEqual([]);
  });

  it('flags a note written for times that have since changed', () => {
    // The times moved from Wednesday 13:30–15:30 to 14:00–16:00; the note was never updated.
    const changed = weekly('WE', '14:00', '16:00', 'Every Wednesday, 13:30 to 15:30');
    expect(noteDisagreesWithTimes(changed.description, changed)).toBe(true);
    const [flag] = notesDisagreeingWithTimes([changed]);
    expect(flag.scheduleId).toBe(changed.id);
    expect(flag.message).toContain('“Every Wednesday, 13:30 to 15:30” does not match the times, Wednesdays, 14:00 to 16:00');
    // The day moved, the hours did not.
    expect(noteDisagreesWithTimes('Thursdays 10:00 to 12:00', weekly('FR', '10:00', '12:00'))).toBe(true);
  });

  it('lets a note add to the times, or repeat them while they agree', () => {
    expect(noteDisagreesWithTimes('Term time only. Not on bank holidays.', weekly('WE', '14:00', '16:00'))).toBe(false);
    expect(noteDisagreesWithTimes('Wednesdays, 2pm to 4pm', weekly('WE', '14:00', '16:00'))).toBe(false);
    expect(noteDisagreesWithTimes('Lunch £3.50', weekly('WE', '12:00', '14:00'))).toBe(false);
    expect(noteDisagreesWithTimes(null, weekly('WE', '12:00', '14:00'))).toBe(false);
    expect(notesDisagreeingWithTimes([weekly('MO,WE', '10:00', '12:00', 'Mondays and Wednesdays, doors open 10:00')])).toEqual([]);
  });

  it('reads a monthly schedule by its weekday', () => {
    const monthly: ScheduleRecord = { id: 'm', freq: 'MONTHLY', byday: '1TU', opensAt: '18:00', closesAt: '19:30', description: 'First Tuesday of the month' };
    expect(noteDisagreesWithTimes(monthly.description, monthly)).toBe(false);
    expect(noteDisagreesWithTimes('First Thursday, 6pm', monthly)).toBe(true);
  });
});
