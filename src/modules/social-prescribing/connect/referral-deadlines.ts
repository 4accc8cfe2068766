/** Follow-up and response deadlines of onward referrals, in whole UK days. */
import { addDays } from '../../../platform/dates.ts';

export const REMINDER_AFTER_DAYS = 7;
export const RESPOND_WITHIN_DAYS = 14;

/** The day a reminder is due for a referral sent on sentOn, and the day it counts as unanswered. */
export const reminderDueOn = (sentOn: string) => addDays(sentOn, REMINDER_AFTER_DAYS);
export const respondByOn = (sentOn: string) => addDays(sentOn, RESPOND_WITHIN_DAYS);

type OnwardStatus = 'given' | 'sent' | 'accepted' | 'declined' | 'no_response';

/** What the link worker sees: a referral still waiting after 14 whole days shows "no response". */
export function onwardReferralStatus(stored: 'given' | 'sent' | 'accepted' | 'declined', sentOn: string, today: string): OnwardStatus {
  if (stored === 'sent' && today > respondByOn(sentOn)) return 'no_response';
  return stored;
}

export function reminderIsDue(stored: string, sentOn: string, reminderSentAt: unknown, today: string): boolean {
  return stored === 'sent' && !reminderSentAt && today >= reminderDueOn(sentOn) && today <= respondByOn(sentOn);
}
