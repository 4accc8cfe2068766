import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { changedFields } from '../../platform/audit.ts';
import { forbidden, HttpProblem } from '../../platform/http/errors.ts';
import * as repo from './social-prescribing.repository.ts';
import { canMergePeople } from './social-prescribing.policy.ts';
import { auditPerson, personForTeam, StaleVersion } from './social-prescribing.service.ts';
import { ukToday } from './dates.ts';

/*
 * Two records of the same person (made before the duplicate check caught them, or from a cohort
 * and a referral) become one: the record being kept takes the other's cases, contacts, consents,
 * referrals, measures and onward referrals, and any detail it lacks. The other record goes; the
 * audit log keeps what happened under both ids.
 */

const FILLABLE = ['gp_practice_id', 'date_of_birth', 'nhs_number', 'address', 'postcode', 'phone', 'email', 'communication_needs'] as const;
const fillableNames: Record<(typeof FILLABLE)[number], string> = {
  gp_practice_id: 'GP practice',
  date_of_birth: 'date of birth',
  nhs_number: 'NHS number',
  address: 'address',
  postcode: 'postcode',
  phone: 'phone number',
  email: 'email address',
  communication_needs: 'communication needs',
};

async function pair(db: Database, actor: Actor, keepId: string, duplicateId: string) {
  const keep = await personForTeam(db, actor, keepId);
  const duplicate = await personForTeam(db, actor, duplicateId);
  if (!canMergePeople(actor, keep.pcn_id) || !canMergePeople(actor, duplicate.pcn_id)) throw forbidden('Only the link worker team of the person’s PCN can merge their records.');
  if (keep.id === duplicate.id) throw new HttpProblem(422, 'Choose a different record', 'A record cannot be merged with itself.');
  if (keep.anonymised_at || duplicate.anonymised_at) throw new HttpProblem(409, 'An anonymised record cannot be merged');
  if (keep.pcn_id !== duplicate.pcn_id) throw new HttpProblem(409, 'These records belong to different PCNs', 'Change the PCN on one of them first if they are the same person.');
  if (keep.nhs_number && duplicate.nhs_number && keep.nhs_number !== duplicate.nhs_number) {
    throw new HttpProblem(409, 'These records have different NHS numbers', 'Records with different NHS numbers are different people, so they cannot be merged.');
  }
  return { keep, duplicate };
}

/** What the merge page shows: both records, and what the kept one would take from the other. */
export async function previewMerge(db: Database, actor: Actor, keepId: string, duplicateId: string, ip: string | null) {
  const { keep, duplicate } = await pair(db, actor, keepId, duplicateId);
  const [keepCases, duplicateCases] = await Promise.all([repo.listCasesForPerson(db, keep.id), repo.listCasesForPerson(db, duplicate.id)]);
  await auditPerson(db, actor, 'viewed', duplicate.id, ip, { part: 'merge', keepId: keep.id });
  return { keep, duplicate, keepCases, duplicateCases, fills: FILLABLE.filter((f) => !keep[f] && duplicate[f]).map((f) => fillableNames[f]) };
}

export async function mergePeople(db: Database, actor: Actor, keepId: string, duplicateId: string, keepVersion: number, ip: string | null): Promise<void> {
  const { keep, duplicate } = await pair(db, actor, keepId, duplicateId);
  const merged = { ...keep };
  for (const f of FILLABLE) if (!merged[f] && duplicate[f]) (merged as Record<string, unknown>)[f] = duplicate[f];
  await db.transaction(async (tx) => {
    if (!(await repo.updatePerson(tx, keep.id, keepVersion, merged))) throw new StaleVersion('record');
    if (!keep.what_matters && duplicate.what_matters) await repo.saveWhatMatters(tx, keep.id, duplicate.what_matters, duplicate.what_matters_recorded_on ?? ukToday());
    const moved = await repo.movePersonRecords(tx, duplicate.id, keep.id);
    await repo.deletePerson(tx, duplicate.id);
    const changes = changedFields(keep as unknown as Record<string, unknown>, merged as unknown as Record<string, unknown>);
    await auditPerson(tx, actor, 'merged', keep.id, ip, { mergedPersonId: duplicate.id, mergedName: `${duplicate.given_name} ${duplicate.family_name}`, moved, changes });
    await auditPerson(tx, actor, 'merged_into', duplicate.id, ip, { keptPersonId: keep.id, moved });
  });
}
