import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import type { NeedsMeItem } from '../../../platform/needs-me.ts';
import * as repo from './needs-me.repository.ts';
import { canUseCaseload, caseloadScope, canUseInbox, inboxOrganisations } from '../social-prescribing.policy.ts';
import { listCohorts } from '../cohorts/cohorts.service.ts';
import { today, type Clock } from '../people/people.service.ts';

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/**
 * What waits for this person in social prescribing, for the home page: a link worker's referrals
 * to triage, contacts and calls due, outreach still to call and referrals not sent; an
 * organisation editor's referrals waiting for an answer. Counts only: nobody's details are shown.
 */
export async function socialPrescribingNeedsMe(db: Database, actor: Actor, clock?: Clock): Promise<NeedsMeItem[]> {
  const items: NeedsMeItem[] = [];
  const on = today(clock);
  if (canUseCaseload(actor)) {
    const scope = caseloadScope(actor);
    const [triage, due, notSent, cohorts] = await Promise.all([
      repo.countNewReferrals(db, scope),
      repo.countContactsDue(db, actor.userId, on),
      repo.countReferralsNotSent(db, actor.userId),
      // Outreach calls come from the cohorts feature, through its service.
      listCohorts(db, actor),
    ]);
    items.push({ count: triage, title: plural(triage, 'Referral to triage', 'Referrals to triage'), href: '/social-prescribing#new-referrals', description: 'New referrals for your team: accept and open a case, or decline.' });
    items.push({ count: due, title: plural(due, 'Call or contact due', 'Calls and contacts due'), href: '/social-prescribing#overdue', description: 'Follow-ups on your cases due today or overdue, weekly wellbeing calls included.' });
    for (const c of cohorts) {
      const left = c.total - c.done;
      items.push({ count: left, title: `${plural(left, 'Person', 'People')} to call: ${c.name}`, href: `/social-prescribing/cohorts/${c.id}`, description: `Outreach for ${c.pcnName}: ${c.done} of ${c.total} done.` });
    }
    items.push({ count: notSent, title: plural(notSent, 'Referral not sent yet', 'Referrals not sent yet'), href: '/social-prescribing#not-sent', description: 'The organisation has no email, or the email was not sent: print it or phone it through.' });
  }
  if (canUseInbox(actor)) {
    const waiting = await repo.countWaitingForAnswer(db, inboxOrganisations(actor));
    items.push({ count: waiting, title: plural(waiting, 'Referral waiting for your answer', 'Referrals waiting for your answer'), href: '/social-prescribing/referrals-received', description: 'Accept or decline each one, so the link worker can find other support if needed.' });
  }
  return items;
}
