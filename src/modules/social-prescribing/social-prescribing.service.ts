import crypto from 'node:crypto';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { changedFields, recordAudit } from '../../platform/audit.ts';
import { forbidden, HttpProblem, notFound } from '../../platform/http/errors.ts';
import * as repo from './social-prescribing.repository.ts';
import { canRefer, canSeePcn, caseloadScope } from './social-prescribing.policy.ts';
import type { PersonInput } from './social-prescribing.schemas.ts';
import { addDays, ukToday } from './dates.ts';

/*
 * People, referrals in, triage and cases: the link worker's core work. Every read of a person's
 * record and every change is written to the audit log (record type 'sp_person', the person's
 * id), changes in the same transaction, so the information governance lead can list who looked.
 */

export const SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = '871731000000106';
export const SNOMED_SOCIAL_PRESCRIBING_DECLINED = '871711000000103';

import { isUuid } from '../../platform/ids.ts';

/** Two people saved the same record: the second is refused and keeps what they typed. */
export class StaleVersion extends HttpProblem {
  constructor(what: string) {
    super(409, `Someone else changed this ${what} while you were editing it`, `Your changes have not been saved. Check the ${what} as it is now, then make your changes again: what you typed is kept below.`);
  }
}

export type Clock = { now?: Date };
const today = (clock?: Clock) => ukToday(clock?.now ?? new Date());

/** A person's own details as the person and their link worker know them (edit form, subject access export). */
export function personDetails(person: repo.PersonRow) {
  return {
    givenName: person.given_name,
    familyName: person.family_name,
    dateOfBirth: person.date_of_birth,
    nhsNumber: person.nhs_number,
    address: person.address,
    postcode: person.postcode,
    phone: person.phone,
    email: person.email,
    preferredContact: person.preferred_contact,
    communicationNeeds: person.communication_needs,
  };
}

export async function auditPerson(db: Queryable, actor: Actor | null, action: string, personId: string, ip: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await recordAudit(db, { actor, action, recordType: 'sp_person', recordId: personId, ip, details });
}

/** The person, if the actor is in their PCN's link worker team (or an admin). */
export async function personForTeam(db: Queryable, actor: Actor, personId: string): Promise<repo.PersonRow> {
  if (!isUuid(personId)) throw notFound('Person');
  const person = await repo.findPerson(db, personId);
  if (!person) throw notFound('Person');
  if (!canSeePcn(actor, person.pcn_id)) throw forbidden('Only the link worker team of this person’s PCN can see their record.');
  return person;
}

export async function caseForTeam(db: Queryable, actor: Actor, caseId: string): Promise<repo.CaseRow> {
  if (!isUuid(caseId)) throw notFound('Case');
  const found = await repo.findCase(db, caseId);
  if (!found) throw notFound('Case');
  if (!canSeePcn(actor, found.pcn_id)) throw forbidden('Only the link worker team of this person’s PCN can see their case.');
  return found;
}

/** The PCN a GP practice belongs to: where its patients' referrals go. */
export async function pcnForPractice(db: Queryable, gpPracticeId: string): Promise<string> {
  const practice = await repo.findOrganisation(db, gpPracticeId);
  if (!practice || practice.kind !== 'gp_practice') throw new HttpProblem(422, 'Select their GP practice', 'That is not a GP practice we know.', [{ name: 'gpPracticeId', reason: 'Select their GP practice' }]);
  if (!practice.parent_organisation_id) throw new HttpProblem(422, 'This GP practice is not part of a PCN yet', 'Ask a partnership admin to set the practice’s PCN.', [{ name: 'gpPracticeId', reason: 'This practice is not part of a PCN yet' }]);
  return practice.parent_organisation_id;
}

function personRow(id: string, pcnId: string, input: PersonInput): repo.NewPerson {
  return {
    id,
    pcn_id: pcnId,
    gp_practice_id: input.gpPracticeId,
    given_name: input.givenName,
    family_name: input.familyName,
    date_of_birth: input.dateOfBirth,
    nhs_number: input.nhsNumber ?? null,
    address: input.address ?? null,
    postcode: input.postcode,
    phone: input.phone ?? null,
    email: input.email ?? null,
    preferred_contact: input.preferredContact,
    communication_needs: input.communicationNeeds ?? null,
  };
}

export type CreatePersonResult = { ok: true; person: repo.PersonRow } | { ok: false; duplicates: repo.PersonRow[] };

/**
 * Creates a person unless they may already have a record the actor can see (same NHS number,
 * or same last name, date of birth and postcode): then the existing records are offered instead.
 */
export async function createPerson(db: Database, actor: Actor, input: PersonInput, options: { allowDuplicate: boolean; ip: string | null; consentToContact?: boolean }): Promise<CreatePersonResult> {
  const pcnId = await pcnForPractice(db, input.gpPracticeId);
  if (!canSeePcn(actor, pcnId)) throw forbidden('You can add people only to your own PCN’s caseload. To refer someone, use the referral form.');
  if (!options.allowDuplicate) {
    const duplicates = await repo.findPossibleDuplicates(db, caseloadScope(actor), { nhs_number: input.nhsNumber ?? null, family_name: input.familyName, date_of_birth: input.dateOfBirth, postcode: input.postcode });
    if (duplicates.length) return { ok: false, duplicates };
  }
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertPerson(tx, personRow(id, pcnId, input));
    if (options.consentToContact) await addConsentTx(tx, actor, id, { kind: 'contact', given: true, fields: [], organisationId: null });
    await auditPerson(tx, actor, 'created', id, options.ip);
  });
  return { ok: true, person: (await repo.findPerson(db, id))! };
}

async function addConsentTx(tx: Queryable, actor: Actor | null, personId: string, c: { kind: string; given: boolean; fields: string[]; organisationId: string | null }, on?: string): Promise<void> {
  await repo.insertConsent(tx, {
    id: crypto.randomUUID(),
    person_id: personId,
    kind: c.kind,
    organisation_id: c.organisationId,
    fields: c.fields,
    given: c.given,
    recorded_on: on ?? ukToday(),
    recorded_by: actor?.userId ?? null,
    recorded_by_name: actor?.name ?? 'The person (self-referral)',
  });
}
export { addConsentTx };

export async function recordConsent(db: Database, actor: Actor, personId: string, c: { kind: 'contact' | 'share_outcomes_with_gp'; given: boolean }, ip: string | null): Promise<void> {
  await personForTeam(db, actor, personId);
  await db.transaction(async (tx) => {
    await addConsentTx(tx, actor, personId, { kind: c.kind, given: c.given, fields: [], organisationId: null });
    await auditPerson(tx, actor, 'consent_recorded', personId, ip, { kind: c.kind, given: c.given });
  });
}

export type PersonView = { person: repo.PersonRow; practiceName: string | null; consents: repo.ConsentRow[]; referrals: repo.ReferralRow[]; cases: repo.CaseRow[]; possibleDuplicates: repo.PersonRow[] };

export async function viewPerson(db: Database, actor: Actor, personId: string, ip: string | null): Promise<PersonView> {
  const person = await personForTeam(db, actor, personId);
  const [practice, consents, referrals, cases, matches] = await Promise.all([
    person.gp_practice_id ? repo.findOrganisation(db, person.gp_practice_id) : null,
    repo.listConsents(db, personId),
    repo.listReferralsForPerson(db, personId),
    repo.listCasesForPerson(db, personId),
    person.anonymised_at ? [] : repo.findPossibleDuplicates(db, [person.pcn_id], person),
  ]);
  await auditPerson(db, actor, 'viewed', personId, ip, { part: 'person' });
  return { person, practiceName: practice?.name ?? null, consents, referrals, cases, possibleDuplicates: matches.filter((m) => m.id !== personId) };
}

export async function updatePerson(db: Database, actor: Actor, personId: string, version: number, input: PersonInput, ip: string | null): Promise<void> {
  const before = await personForTeam(db, actor, personId);
  const pcnId = await pcnForPractice(db, input.gpPracticeId);
  if (!canSeePcn(actor, pcnId)) throw forbidden('You can move a person only to a practice in a PCN you work in.');
  const row = personRow(personId, pcnId, input);
  await db.transaction(async (tx) => {
    const { id: _id, ...fields } = row;
    if (!(await repo.updatePerson(tx, personId, version, fields))) throw new StaleVersion('person’s details');
    await auditPerson(tx, actor, 'updated', personId, ip, { part: 'person', changes: changedFields(before as unknown as Record<string, unknown>, fields) });
  });
}

// ---- referrals in ------------------------------------------------------------------------

/** Where a referral comes from, by the kind of organisation the referrer works for. */
async function referralSource(db: Queryable, actor: Actor): Promise<{ source: 'gp' | 'other_organisation'; organisationId: string | null }> {
  for (const m of actor.memberships) {
    const org = await repo.findOrganisation(db, m.organisationId);
    if (org?.kind === 'gp_practice') return { source: 'gp', organisationId: org.id };
  }
  return { source: 'other_organisation', organisationId: actor.memberships[0]?.organisationId ?? null };
}

export type ReferralInput = { reasons: string[]; notes?: string };

/**
 * A referral by staff of a GP practice or another organisation, for someone new. A referrer from
 * outside the PCN's team is never shown whether the person already has a record: the team sees
 * any possible duplicate when it triages.
 */
export async function referNewPerson(
  db: Database,
  actor: Actor,
  input: PersonInput & ReferralInput & { createAnyway?: 'yes' },
  ip: string | null,
  clock?: Clock,
): Promise<{ ok: true; referralId: string; personId: string } | { ok: false; duplicates: repo.PersonRow[] }> {
  if (!canRefer(actor)) throw forbidden('Only people working for an organisation in the partnership can refer.');
  const pcnId = await pcnForPractice(db, input.gpPracticeId);
  if (canSeePcn(actor, pcnId) && input.createAnyway !== 'yes') {
    const duplicates = await repo.findPossibleDuplicates(db, [pcnId], { nhs_number: input.nhsNumber ?? null, family_name: input.familyName, date_of_birth: input.dateOfBirth, postcode: input.postcode });
    if (duplicates.length) return { ok: false, duplicates };
  }
  const source = await referralSource(db, actor);
  const personId = crypto.randomUUID();
  const referralId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertPerson(tx, personRow(personId, pcnId, input));
    await addConsentTx(tx, actor, personId, { kind: 'contact', given: true, fields: [], organisationId: null }, today(clock));
    await repo.insertReferral(tx, { id: referralId, person_id: personId, pcn_id: pcnId, source: source.source, referrer_organisation_id: source.organisationId, referrer_user_id: actor.userId, referrer_name: actor.name, reasons: input.reasons, notes: input.notes ?? null, received_on: today(clock) });
    await auditPerson(tx, actor, 'created', personId, ip, { part: 'person', via: 'referral' });
    await auditPerson(tx, actor, 'referred', personId, ip, { referralId, source: source.source });
  });
  return { ok: true, referralId, personId };
}

/** A new referral for someone already on the team's records. */
export async function referExistingPerson(db: Database, actor: Actor, personId: string, input: ReferralInput, ip: string | null, clock?: Clock): Promise<string> {
  const person = await personForTeam(db, actor, personId);
  const source = await referralSource(db, actor);
  const referralId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertReferral(tx, { id: referralId, person_id: personId, pcn_id: person.pcn_id, source: source.source, referrer_organisation_id: source.organisationId, referrer_user_id: actor.userId, referrer_name: actor.name, reasons: input.reasons, notes: input.notes ?? null, received_on: today(clock) });
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
    await repo.insertPerson(tx, personRow(personId, pcnId, input));
    await addConsentTx(tx, null, personId, { kind: 'contact', given: true, fields: [], organisationId: null }, today(clock));
    await repo.insertReferral(tx, { id: referralId, person_id: personId, pcn_id: pcnId, source: 'self', referrer_organisation_id: null, referrer_user_id: null, referrer_name: `${input.givenName} ${input.familyName}`, reasons: input.reasons, notes: input.notes ?? null, received_on: today(clock) });
    await auditPerson(tx, null, 'referred', personId, ip, { referralId, source: 'self' });
  });
  return referralId;
}

export async function viewReferral(db: Database, actor: Actor, referralId: string, ip: string | null) {
  if (!isUuid(referralId)) throw notFound('Referral');
  const referral = await repo.findReferral(db, referralId);
  if (!referral) throw notFound('Referral');
  const person = await personForTeam(db, actor, referral.person_id);
  const [duplicates, team] = await Promise.all([repo.findPossibleDuplicates(db, [person.pcn_id], person), repo.listLinkWorkers(db, person.pcn_id)]);
  await auditPerson(db, actor, 'viewed', person.id, ip, { part: 'referral', referralId });
  return { referral, person, possibleDuplicates: duplicates.filter((d) => d.id !== person.id), team };
}

export type TriageDecision = { decision: 'accept' | 'decline'; declineReason?: 'person_declined' | 'not_eligible' | 'could_not_contact'; linkWorkerId?: string };

/**
 * Accepting records SNOMED CT 871731000000106 and opens a case for a link worker of the team;
 * declining because the person said no records 871711000000103. Other reasons carry no code.
 */
export async function triageReferral(db: Database, actor: Actor, referralId: string, d: TriageDecision, ip: string | null, clock?: Clock): Promise<{ caseId: string | null }> {
  if (!isUuid(referralId)) throw notFound('Referral');
  const referral = await repo.findReferral(db, referralId);
  if (!referral) throw notFound('Referral');
  if (!canSeePcn(actor, referral.pcn_id)) throw forbidden('Only the link worker team of the person’s PCN can triage this referral.');
  if (referral.status !== 'new') throw new HttpProblem(409, 'This referral has already been triaged', `It was ${referral.status} on ${referral.triaged_on}.`);
  let linkWorkerId: string | null = null;
  if (d.decision === 'accept') {
    const team = await repo.listLinkWorkers(db, referral.pcn_id);
    linkWorkerId = d.linkWorkerId ?? (team.some((t) => t.id === actor.userId) ? actor.userId : null);
    if (linkWorkerId && !team.some((t) => t.id === linkWorkerId)) {
      throw new HttpProblem(422, 'Choose a link worker from this PCN’s team', undefined, [{ name: 'linkWorkerId', reason: 'Select a link worker in this PCN’s team' }]);
    }
  }
  const on = today(clock);
  return db.transaction(async (tx) => {
    const snomed = d.decision === 'accept' ? SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING : d.declineReason === 'person_declined' ? SNOMED_SOCIAL_PRESCRIBING_DECLINED : null;
    const ok = await repo.triageReferral(tx, referralId, { status: d.decision === 'accept' ? 'accepted' : 'declined', decline_reason: d.decision === 'decline' ? (d.declineReason ?? null) : null, snomed_code: snomed, triaged_by: actor.userId, triaged_on: on });
    if (!ok) throw new HttpProblem(409, 'This referral has already been triaged', 'Someone in your team triaged it a moment ago.');
    let caseId: string | null = null;
    if (d.decision === 'accept') {
      caseId = crypto.randomUUID();
      await repo.insertCase(tx, { id: caseId, person_id: referral.person_id, referral_id: referralId, pcn_id: referral.pcn_id, link_worker_id: linkWorkerId, opened_on: on });
    }
    await auditPerson(tx, actor, d.decision === 'accept' ? 'referral_accepted' : 'referral_declined', referral.person_id, ip, { referralId, snomed, declineReason: d.declineReason ?? null, caseId });
    return { caseId };
  });
}

// ---- caseload and cases ------------------------------------------------------------------

export type Caseload = {
  today: string;
  newReferrals: repo.ReferralRow[];
  dueToday: repo.CaseListRow[];
  overdue: repo.CaseListRow[];
  openCases: repo.CaseListRow[];
  /** Open cases not due today or overdue, so each case shows once on the page. */
  laterCases: repo.CaseListRow[];
};

/**
 * A link worker's home: the team's new referrals, their own cases due today or overdue, and
 * their open cases. Admins see every PCN's new referrals and open cases.
 */
export async function caseload(db: Database, actor: Actor, options: { everyone?: boolean } & Clock = {}): Promise<Caseload> {
  const scope = caseloadScope(actor);
  const on = today(options);
  const [newReferrals, mine] = await Promise.all([
    repo.listNewReferrals(db, scope),
    repo.listOpenCases(db, options.everyone ? { pcnIds: scope } : { linkWorkerId: actor.userId, pcnIds: scope }),
  ]);
  return {
    today: on,
    newReferrals,
    dueToday: mine.filter((c) => c.next_due_on === on),
    overdue: mine.filter((c) => c.next_due_on !== null && c.next_due_on < on),
    openCases: mine,
    laterCases: mine.filter((c) => c.next_due_on === null || c.next_due_on > on),
  };
}

export type CaseView = {
  case: repo.CaseRow;
  person: repo.PersonRow;
  referral: repo.ReferralRow | null;
  contacts: repo.ContactRow[];
  followUps: repo.FollowUpRow[];
  onward: repo.OnwardRow[];
  team: { id: string; name: string }[];
  consents: repo.ConsentRow[];
};

export async function viewCase(db: Database, actor: Actor, caseId: string, ip: string | null, part = 'case'): Promise<CaseView> {
  const found = await caseForTeam(db, actor, caseId);
  const [person, referral, contacts, followUps, onward, team, consents] = await Promise.all([
    repo.findPerson(db, found.person_id),
    found.referral_id ? repo.findReferral(db, found.referral_id) : null,
    repo.listContacts(db, caseId),
    repo.listFollowUps(db, caseId),
    repo.listOnwardForCase(db, caseId),
    repo.listLinkWorkers(db, found.pcn_id),
    repo.listConsents(db, found.person_id),
  ]);
  await auditPerson(db, actor, 'viewed', found.person_id, ip, { part, caseId });
  return { case: found, person: person!, referral, contacts, followUps, onward, team, consents };
}

export async function changeCaseStatus(db: Database, actor: Actor, caseId: string, input: { version: number; status: repo.CaseRow['status']; closedReason?: string }, ip: string | null, clock?: Clock): Promise<void> {
  const before = await caseForTeam(db, actor, caseId);
  const closing = input.status === 'closed';
  const after = { status: input.status, closed_reason: closing ? (input.closedReason ?? null) : null, closed_on: closing ? (before.closed_on ?? today(clock)) : null };
  await db.transaction(async (tx) => {
    if (!(await repo.updateCaseStatus(tx, caseId, input.version, after))) throw new StaleVersion('case');
    const followUpsStopped = closing ? await repo.stopOpenFollowUps(tx, caseId) : 0;
    if (followUpsStopped) await repo.refreshCaseSummary(tx, caseId);
    await auditPerson(tx, actor, 'updated', before.person_id, ip, { part: 'case', caseId, changes: changedFields(before as unknown as Record<string, unknown>, after), followUpsStopped });
  });
}

export async function reassignCase(db: Database, actor: Actor, caseId: string, input: { version: number; linkWorkerId: string }, ip: string | null): Promise<void> {
  const before = await caseForTeam(db, actor, caseId);
  const team = await repo.listLinkWorkers(db, before.pcn_id);
  if (!team.some((t) => t.id === input.linkWorkerId)) {
    throw new HttpProblem(422, 'Choose a link worker from this PCN’s team', undefined, [{ name: 'linkWorkerId', reason: 'Select a link worker in this PCN’s team' }]);
  }
  await db.transaction(async (tx) => {
    if (!(await repo.reassignCase(tx, caseId, input.version, input.linkWorkerId))) throw new StaleVersion('case');
    await auditPerson(tx, actor, 'reassigned', before.person_id, ip, { caseId, changes: changedFields({ link_worker_id: before.link_worker_id }, { link_worker_id: input.linkWorkerId }) });
  });
}

export type ContactInput = { method: string; outcome: string; contactedOn: string; durationMinutes?: number; notes?: string };

export async function recordContact(db: Database, actor: Actor, caseId: string, c: ContactInput, ip: string | null, clock?: Clock): Promise<string> {
  const found = await caseForTeam(db, actor, caseId);
  if (c.contactedOn > today(clock)) throw new HttpProblem(422, 'The date of the contact cannot be in the future', undefined, [{ name: 'contactedOn', reason: 'The date of the contact must be today or in the past' }]);
  if (found.status === 'closed') throw new HttpProblem(409, 'This case is closed', 'Reopen the case to record a contact.');
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertContact(tx, { id, case_id: caseId, person_id: found.person_id, cohort_member_id: null, method: c.method, outcome: c.outcome, contacted_on: c.contactedOn, duration_minutes: c.durationMinutes ?? null, notes: c.notes ?? null, recorded_by: actor.userId, recorded_by_name: actor.name });
    await repo.markContacting(tx, caseId);
    await repo.refreshCaseSummary(tx, caseId);
    await auditPerson(tx, actor, 'contact_recorded', found.person_id, ip, { caseId, contactId: id, method: c.method, outcome: c.outcome });
  });
  return id;
}

export async function addFollowUp(db: Database, actor: Actor, caseId: string, f: { description: string; dueOn: string; repeatsWeekly: boolean }, ip: string | null): Promise<string> {
  const found = await caseForTeam(db, actor, caseId);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertFollowUp(tx, { id, case_id: caseId, description: f.description, due_on: f.dueOn, repeats_weekly: f.repeatsWeekly, created_by: actor.userId });
    await repo.refreshCaseSummary(tx, caseId);
    await auditPerson(tx, actor, 'follow_up_added', found.person_id, ip, { caseId, followUpId: id, dueOn: f.dueOn, repeatsWeekly: f.repeatsWeekly });
  });
  return id;
}

/**
 * Done: a one-off follow-up is finished; a weekly one moves to the same weekday of the next week
 * after today (so a late call does not leave a trail of overdue weeks). Stop ends either.
 */
export async function completeFollowUp(db: Database, actor: Actor, followUpId: string, action: 'done' | 'stop', ip: string | null, clock?: Clock): Promise<string> {
  if (!isUuid(followUpId)) throw notFound('Follow-up');
  const f = await repo.findFollowUp(db, followUpId);
  if (!f) throw notFound('Follow-up');
  const found = await caseForTeam(db, actor, f.case_id);
  if (f.status !== 'open') throw new HttpProblem(409, 'This follow-up is already finished');
  let next = { status: action === 'stop' ? 'stopped' : 'done', due_on: f.due_on };
  if (action === 'done' && f.repeats_weekly) {
    let due = addDays(f.due_on, 7);
    while (due <= today(clock)) due = addDays(due, 7);
    next = { status: 'open', due_on: due };
  }
  await db.transaction(async (tx) => {
    await repo.updateFollowUp(tx, followUpId, next);
    await repo.refreshCaseSummary(tx, f.case_id);
    await auditPerson(tx, actor, action === 'stop' ? 'follow_up_stopped' : 'follow_up_done', found.person_id, ip, { caseId: f.case_id, followUpId, nextDueOn: next.status === 'open' ? next.due_on : null });
  });
  return f.case_id;
}

export const listTeam = (db: Queryable, pcnId: string) => repo.listLinkWorkers(db, pcnId);
export const listGpPractices = (db: Queryable) => repo.listGpPractices(db);
export const listPcns = (db: Queryable, ids?: string[]) => repo.listPcns(db, ids);
