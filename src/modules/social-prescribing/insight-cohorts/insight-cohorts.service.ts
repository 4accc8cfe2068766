import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import * as repo from './insight-cohorts.repository.ts';

/**
 * The people referred on to an organisation, for whole-system insight to pseudonymise at once
 * (their NHS numbers go no further). Reading them is recorded against each person's record.
 */
export async function peopleReferredTo(db: Database, actor: Actor, organisationId: string | null, ip: string): Promise<repo.ReferredPerson[]> {
  const people = await repo.findPeopleReferredTo(db, organisationId);
  await recordAudit(db, { actor, action: 'pseudonymised_for_insight', recordType: 'organisation', recordId: organisationId, ip, details: { people: people.length, purpose: 'test of change cohort' } });
  return people;
}

export const organisationsReferredTo = repo.findOrganisationsReferredTo;
export const summariseReferralsTo = repo.summariseReferralsTo;
export const peopleForInsightDemo = repo.findPeopleForDemo;
