import { needs } from '../../directory/index.ts';

/*
 * What people on an outreach call say they need, in their words, each mapped to a need of the
 * directory's taxonomy so that one step finds the nearest services that meet it. The codes are
 * stored on the call; they never change.
 */

export const callNeeds = [
  { code: 'shopping', name: 'Shopping', directoryNeed: 'practical-help-at-home' },
  { code: 'medicines', name: 'Collecting medicines', directoryNeed: 'practical-help-at-home' },
  { code: 'dog_walking', name: 'Dog walking', directoryNeed: 'practical-help-at-home' },
  { code: 'someone_to_talk_to', name: 'Someone to talk to', directoryNeed: 'loneliness' },
  { code: 'money', name: 'Money', directoryNeed: 'money-and-debt' },
  { code: 'food', name: 'Food', directoryNeed: 'food' },
  { code: 'feeling_low', name: 'Feeling low or anxious', directoryNeed: 'mental-wellbeing' },
  { code: 'getting_online', name: 'Getting online', directoryNeed: 'digital-inclusion' },
] as const;

export type CallNeedCode = (typeof callNeeds)[number]['code'];
export const callNeedCodes = callNeeds.map((n) => n.code) as [CallNeedCode, ...CallNeedCode[]];

/** The directory need (id, code and name) a call need is met by. */
export function directoryNeedOf(code: string) {
  const callNeed = callNeeds.find((n) => n.code === code);
  const need = callNeed && needs.find((n) => n.code === callNeed.directoryNeed);
  if (!callNeed || !need) return null;
  return { callNeed, need };
}
