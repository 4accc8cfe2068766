import { describe, expect, it } from 'vitest';
import { addDays, addYears, daysBetween, ukToday } from '../../../platform/dates.ts';
import { onwardReferralStatus, reminderDueOn, reminderIsDue, respondByOn } from './referral-deadlines.ts';

describe('dates of onward referral reminders', () => {
  it('is due for a reminder 7 days after sending and for a reply by 14 days', () => {
    expect(reminderDueOn('2026-03-02')).toBe('2026-03-09');
    expect(respondByOn('2026-03-02')).toBe('2026-03-16');
    expect(respondByOn('2026-02-20')).toBe('2026-03-06'); // across the end of February
  });

  it('sends one reminder from day 7, not before, not after one was sent, not once answered', () => {
    expect(reminderIsDue('sent', '2026-03-02', null, '2026-03-08')).toBe(false);
    expect(reminderIsDue('sent', '2026-03-02', null, '2026-03-09')).toBe(true);
    expect(reminderIsDue('sent', '2026-03-02', new Date(), '2026-03-10')).toBe(false);
    expect(reminderIsDue('accepted', '2026-03-02', null, '2026-03-10')).toBe(false);
  });

  it('shows "no response" only once 14 whole days have passed without an answer', () => {
    expect(onwardReferralStatus('sent', '2026-03-02', '2026-03-16')).toBe('sent');
    expect(onwardReferralStatus('sent', '2026-03-02', '2026-03-17')).toBe('no_response');
    expect(onwardReferralStatus('accepted', '2026-03-02', '2026-04-30')).toBe('accepted');
    expect(onwardReferralStatus('given', '2026-03-02', '2026-04-30')).toBe('given');
  });

  it('counts days across the clock change and takes today in UK time', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(addDays('2026-10-24', 7)).toBe('2026-10-31');
    // 23:30 UTC on 30 June is already 1 July in the UK (BST).
    expect(ukToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(ukToday(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });

  it('adds years for the retention period, moving 29 February to 28 February', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2026-05-01', 8)).toBe('2034-05-01');
  });
});
