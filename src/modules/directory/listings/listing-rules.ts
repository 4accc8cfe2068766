import { ukToday } from '../../../platform/dates.ts';
import { needs } from '../needs-taxonomy.ts';
import type { ServiceInput } from './listings.schemas.ts';
import type { TimesInput } from './opening-times-text.ts';

/*
 * The rules that join a listing's fields together, with no I/O: the form schemas check them (so the
 * form shows every problem at once) and the listings service checks them again for the API.
 */

export type RuleBreach = { field: string; message: string };

const needIds = new Set(needs.map((n) => n.id));

/** Rules across a service's fields; the same for forms and the API. */
export function serviceRuleErrors(input: ServiceInput, today: string = ukToday()): RuleBreach[] {
  const errors: RuleBreach[] = [];
  if (input.status === 'temporarily closed' && !input.reopeningDate) errors.push({ field: 'reopeningDate', message: 'Enter the date the service reopens' });
  else if (input.status === 'temporarily closed' && input.reopeningDate && input.reopeningDate < today) errors.push({ field: 'reopeningDate', message: 'Reopening date must be today or in the future' });
  if (input.minimumAge != null && input.maximumAge != null && input.minimumAge > input.maximumAge) {
    errors.push({ field: 'minimumAge', message: 'Minimum age must be the same as or lower than the maximum age' });
  }
  if (!input.freeOfCharge && input.cost?.amountPence == null) errors.push({ field: 'costAmount', message: 'Enter the cost in pounds and pence, like 3.50' });
  const unknownNeed = input.needs.find((n) => !needIds.has(n));
  if (unknownNeed) errors.push({ field: 'needs', message: 'Select needs from the list' });
  return errors;
}

export function timesRuleErrors(times: Pick<TimesInput, 'opensAt' | 'closesAt'>): RuleBreach[] {
  return times.closesAt <= times.opensAt ? [{ field: 'closesAt', message: 'Closing time must be after the opening time' }] : [];
}
