import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import { refuse } from '../../../platform/refusal.ts';
import { isValidNhsNumber, normaliseNhsNumber, organisationsReferredTo, peopleReferredTo, summariseReferralsTo } from '../../social-prescribing/index.ts';
import { canUseInsight } from '../insight.policy.ts';
import type { Loader } from '../loads/loads.service.ts';
import { pseudonymOf } from '../pseudonyms/pseudonym-key.ts';
import type { InsightStore } from '../store/insight-store.ts';
import * as repo from './changes.repository.ts';
import type { ChangeForm } from './changes.schemas.ts';

export type ChangeReport = repo.ChangeResult & {
  months: number;
  describe: string;
  socialPrescribing: Awaited<ReturnType<typeof summariseReferralsTo>> | null;
  shown: boolean;
};

export async function changeChoices(db: Database, actor: Actor) {
  if (!canUseInsight(actor)) throw refuse.forbidden('Whole-system insight is for analysts.');
  return { organisations: await organisationsReferredTo(db) };
}

/**
 * Tests a change for a cohort: from social prescribing (people referred on to an organisation,
 * pseudonymised here with the partnership's key), from a rule, or from a list of pseudonyms. Shown
 * only when at least the small number of people were matched.
 */
export async function testChange(store: InsightStore, db: Database, actor: Actor, loader: Loader, form: ChangeForm, ip: string, smallNumber: number): Promise<ChangeReport> {
  if (!canUseInsight(actor)) throw refuse.forbidden('Whole-system insight is for analysts.');
  let cohort: { pseudonym: string; startDate: string }[];
  let describe: string;
  let socialPrescribing: ChangeReport['socialPrescribing'] = null;
  if (form.source === 'organisation') {
    const everyone = form.organisationId === 'all';
    const organisation = everyone ? { id: null, name: 'any organisation' } : (await organisationsReferredTo(db)).find((o) => o.id === form.organisationId);
    if (!organisation) throw refuse.invalid('organisationId', 'Nobody has been referred to that organisation through social prescribing.');
    const key = loader.key();
    cohort = (await peopleReferredTo(db, actor, organisation.id, ip))
      .filter((p) => isValidNhsNumber(normaliseNhsNumber(p.nhsNumber)))
      .map((p) => ({ pseudonym: pseudonymOf(key, normaliseNhsNumber(p.nhsNumber)), startDate: p.startedOn }));
    describe = `People referred through social prescribing to ${organisation.name}, from the day their social prescribing began`;
    socialPrescribing = await summariseReferralsTo(db, organisation.id);
  } else if (form.source === 'rule') {
    cohort = await repo.cohortFromRule(store, { fy: form.year!, setting: form.setting!, ageBand: form.ageBand ?? null });
    describe = `People${form.ageBand ? ` aged ${form.ageBand}` : ''} from their first use of ${form.setting} in ${form.year}-${String((form.year! + 1) % 100).padStart(2, '0')}`;
  } else {
    cohort = (form.list ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
      const [pseudonym, startDate] = l.split(/[,\s]+/);
      return { pseudonym, startDate };
    });
    describe = `A list of ${cohort.length} pseudonyms, each from its own start date`;
  }
  if (!cohort.length) throw refuse.invalid(form.source === 'organisation' ? 'organisationId' : form.source === 'rule' ? 'setting' : 'list', 'Nobody is in that cohort.');
  const result = await repo.testOfChange(store, cohort, form.months);
  await recordAudit(db, { actor, action: 'tested_change', recordType: 'insight_cohort', ip, details: { source: form.source, describe, months: form.months, cohort: result.cohort, matched: result.matched } });
  return { ...result, months: form.months, describe, socialPrescribing, shown: result.matched >= smallNumber };
}
