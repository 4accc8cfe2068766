import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import * as repo from './referrals.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import * as casesRepo from '../cases/cases.repository.ts';
import { canRefer, canSeePcn, canUseCaseload } from '../social-prescribing.policy.ts';
import type { PersonInput } from '../social-prescribing.schemas.ts';
import { addConsentTx, auditDuplicatesShown, auditPerson, duplicateCheck, newPerson, pcnForPractice, personForTeam, PossibleDuplicates, today, type Clock } from '../people/people.service.ts';

/*
 * Referrals in and triage: staff of a GP practice or another organisation refer someone, people
 * refer themselves on the public form, and the PCN's link worker team accepts (opening a case)
 * or declines.
 */

export const SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = '871731000000106';
export const SNOMED_SOCIAL_PRESCRIBING_DECLINED = '871711000000103';

/** Where a referral comes from, by the kind of organisation the referrer works for. */
async function referralSource(db: Queryable, actor: Actor): Promise<{ source: 'gp' | 'other_organisation'; organisationId: string | null }> {
  for (const m of actor.memberships) {
    const org = await peopleRepo.findOrganisation(db, m.organisationId);
    if (org?.kind === 'gp_practice') return { source: 'gp', organisationId: org.id };
  }
  return { source: 'other_organisation', organisationId: actor.memberships[0]?.organisationId ?? null };
}

type ReferralInput = { reasons: string[]; notes?: string };

/**
 * A referral by staff of a GP practice or another organisation, for someone new. A referrer from
 * outside the PCN's team is never shown whether the person already has a record: the team sees
 * any possible duplicate when it triages. The team itself is offered the existing records
 * (PossibleDuplicates) unless it says this is a different person.
 */
export async function referNewPerson(
  db: Database,
  actor: Actor,
  input: PersonInput & ReferralInput & { createAnyway?: 'yes' },
  ip: string | null,
  clock?: Clock,
): Promise<{ referralId: string; personId: string }> {
  if (!canRefer(actor)) throw refuse.forbidden('Only people working for an organisation in the partnership can refer.');
  const pcnId = await pcnForPractice(db, input.gpPracticeId);
  if (canSeePcn(actor, pcnId) && input.createAnyway !== 'yes') {
    const duplicates = await peopleRepo.findPossibleDuplicates(db, [pcnId], duplicateCheck(input));
    if (duplicates.length) {
      await auditDuplicatesShown(db, actor, duplicates, ip, { via: 'referral_form' });
      throw new PossibleDuplicates(duplicates);
    }
  }
  const source = await referralSource(db, actor);
  const personId = crypto.randomUUID();
  const referralId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await peopleRepo.insertPerson(tx, newPerson(personId, pcnId, input));
    await addConsentTx(tx, actor, personId, { kind: 'contact', given: true, fields: [], organisationId: null }, today(clock));
    await repo.insertReferral(tx, { id: referralId, personId, pcnId, source: source.source, referrerOrganisationId: source.organisationId, referrerUserId: actor.userId, referrerName: actor.name, reasons: input.reasons, notes: input.notes ?? null, receivedOn: today(clock) });
    await auditPerson(tx, actor, 'created', personId, ip, { part: 'person', via: 'referral' });
    await auditPerson(tx, actor, 'referred', personId, ip, { referralId, source: source.source });
  });
  return { referralId, personId };
}

/** A new referral for someone already on the team's records. */
export async function referExistingPerson(db: Database, actor: Actor, personId: string, input: ReferralInput, ip: string | null, clock?: Clock): Promise<string> {
  const person = await personForTeam(db, actor, personId);
  const source = await referralSource(db, actor);
  const referralId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertReferral(tx, { id: referralId, personId, pcnId: person.pcnId, source: source.source, referrerOrganisationId: source.organisationId, referrerUserId: actor.userId, referrerName: actor.name, reasons: input.reasons, notes: input.notes ?? null, receivedOn: today(clock) });
    await auditPerson(tx, actor, 'referred', personId, ip, { referralId, source: source.source });
  });
  return referralId;
}

/** The public self-referral form: the person gives their details and agrees to be contacted. */
export async function selfRefer(db: Database, input: PersonInput & ReferralInput, ip: string | null, clock?: Clock): Promise<string> {
  const pcnId = await pcnForPractice(db, input.gpPracticeId);
  const personId = crypto.randomUUID();
  const referralId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await peopleRepo.insertPerson(tx, newPerson(personId, pcnId, input));
    await addConsentTx(tx, null, personId, { kind: 'contact', given: true, fields: [], organisationId: null }, today(clock));
    await repo.insertReferral(tx, { id: referralId, personId, pcnId, source: 'self', referrerOrganisationId: null, referrerUserId: null, referrerName: `${input.givenName} ${input.familyName}`, reasons: input.reasons, notes: input.notes ?? null, receivedOn: today(clock) });
    await auditPerson(tx, null, 'referred', personId, ip, { referralId, source: 'self' });
  });
  return referralId;
}

/** The triage page (with any possible duplicates, each a view of that record too), or the API's referral (without). */
export async function viewReferral(db: Database, actor: Actor, referralId: string, ip: string | null, via: 'page' | 'api' = 'page') {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can triage referrals.');
  const referral = await repo.findReferral(db, referralId);
  if (!referral) throw refuse.notFound('Referral');
  const person = await personForTeam(db, actor, referral.personId);
  const [matches, team] = await Promise.all([via === 'page' ? peopleRepo.findPossibleDuplicates(db, [person.pcnId], person) : [], peopleRepo.listLinkWorkers(db, person.pcnId)]);
  const possibleDuplicates = matches.filter((d) => d.id !== person.id);
  await auditPerson(db, actor, 'viewed', person.id, ip, { part: 'referral', referralId });
  await auditDuplicatesShown(db, actor, possibleDuplicates, ip, { via: 'referral_page', shownWith: person.id });
  return { referral, person, possibleDuplicates, team };
}

type TriageDecision = { decision: 'accept' | 'decline'; declineReason?: 'person_declined' | 'not_eligible' | 'could_not_contact'; linkWorkerId?: string };

const alreadyTriaged = (detail: string) => refuse.conflict('decision', `This referral has already been triaged. ${detail}`);

/**
 * Accepting records SNOMED CT 871731000000106 and opens a case for a link worker of the team;
 * declining because the person said no records 871711000000103. Other reasons carry no code.
 */
export async function triageReferral(db: Database, actor: Actor, referralId: string, d: TriageDecision, ip: string | null, clock?: Clock): Promise<{ caseId: string | null }> {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can triage referrals.');
  const referral = await repo.findReferral(db, referralId);
  if (!referral) throw refuse.notFound('Referral');
  if (!canSeePcn(actor, referral.pcnId)) throw refuse.forbidden('Only the link worker team of the person’s PCN can triage this referral.');
  if (referral.status !== 'new') throw alreadyTriaged(`It was ${referral.status} on ${referral.triagedOn}.`);
  let linkWorkerId: string | null = null;
  if (d.decision === 'accept') {
    const team = await peopleRepo.listLinkWorkers(db, referral.pcnId);
    linkWorkerId = d.linkWorkerId ?? (team.some((t) => t.id === actor.userId) ? actor.userId : null);
    if (linkWorkerId && !team.some((t) => t.id === linkWorkerId)) throw refuse.invalid('linkWorkerId', 'Select a link worker in this PCN’s team');
  }
  const on = today(clock);
  return db.transaction(async (tx) => {
    const snomed = d.decision === 'accept' ? SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING : d.declineReason === 'person_declined' ? SNOMED_SOCIAL_PRESCRIBING_DECLINED : null;
    const ok = await repo.triageReferral(tx, referralId, { status: d.decision === 'accept' ? 'accepted' : 'declined', declineReason: d.decision === 'decline' ? (d.declineReason ?? null) : null, snomedCode: snomed, triagedBy: actor.userId, triagedOn: on });
    if (!ok) throw alreadyTriaged('Someone in your team triaged it a moment ago.');
    let caseId: string | null = null;
    if (d.decision === 'accept') {
      caseId = crypto.randomUUID();
      await casesRepo.insertCase(tx, { id: caseId, personId: referral.personId, referralId, pcnId: referral.pcnId, linkWorkerId, openedOn: on });
    }
    await auditPerson(tx, actor, d.decision === 'accept' ? 'referral_accepted' : 'referral_declined', referral.personId, ip, { referralId, snomed, declineReason: d.declineReason ?? null, caseId });
    return { caseId };
  });
}
