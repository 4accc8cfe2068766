import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { changedFields } from '../../../platform/audit.ts';
import { addYears, ukToday } from '../../../platform/dates.ts';
import { refuse, staleVersion } from '../../../platform/refusal.ts';
import { viewAuditLog } from '../../audit-log/index.ts';
import { needs } from '../../directory/index.ts';
import * as repo from './privacy.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import * as referralsRepo from '../referrals/referrals.repository.ts';
import * as casesRepo from '../cases/cases.repository.ts';
import * as plansRepo from '../plans/plans.repository.ts';
import * as connectRepo from '../connect/connect.repository.ts';
import * as measuresRepo from '../measures/measures.repository.ts';
import { canAnonymise, canExportPerson, canMergePeople, canReviewAccess } from '../social-prescribing.policy.ts';
import { auditPeople, auditPerson, personDetails, personForTeam, snakeChanges, type Clock } from '../people/people.service.ts';

/*
 * Information governance: who looked at a person, subject access exports, anonymising after
 * retention; and merging two records of the same person.
 */

async function findPerson(db: Database, personId: string): Promise<peopleRepo.Person> {
  const person = await peopleRepo.findPerson(db, personId);
  if (!person) throw refuse.notFound('Person');
  return person;
}

export async function findPeopleForReview(db: Database, actor: Actor, q: string, ip: string | null) {
  if (!canReviewAccess(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can search people for an access review.');
  const rows = await repo.searchPeople(db, q);
  await auditPeople(db, actor, 'found_in_search', rows.map((r) => ({ personId: r.id, details: { purpose: 'access_review' } })), ip);
  return rows;
}

/** What part of the record an entry is about, and the page or answer it was seen through: "caseload, via team page". */
function partSeen(details: Record<string, unknown>): string {
  const [part, via] = [details.part, details.via].map((v) => (typeof v === 'string' ? v : ''));
  return part && via ? `${part}, via ${via}` : part || via;
}

/**
 * Every audit entry about the person, newest first: who viewed or changed what, when. Seeing it
 * is a view of the person's record (their name heads the page), recorded against them first, so
 * it is in the history it shows; the audit log also records that it was read.
 */
export async function whoLookedAt(db: Database, actor: Actor, personId: string, page: number, ip: string) {
  if (!canReviewAccess(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can review access.');
  const person = await findPerson(db, personId);
  await auditPerson(db, actor, 'viewed', personId, ip, { part: 'access_history', page });
  const log = await viewAuditLog(db, actor, { recordType: 'sp_person', recordId: personId, page }, ip, 'page');
  // The audit log's rows, in the few words this page shows (the log's own shape stays its own).
  const entries = log.rows.map((row) => ({ at: row.at, actorName: row.actorName, actionText: row.action.replace(/_/g, ' '), part: partSeen(row.details) }));
  return { person, entries, total: log.total, page: log.page, pageSize: log.pageSize };
}

type SubjectAccessExport = {
  exportedAt: string;
  person: Record<string, unknown>;
  consents: unknown[];
  referrals: unknown[];
  cases: unknown[];
  contacts: unknown[];
  onwardReferrals: unknown[];
  measurements: unknown[];
};

/** Everything held about the person, for a subject access request. The export is itself audited. */
export async function exportPerson(db: Database, actor: Actor, personId: string, format: 'json' | 'csv', ip: string | null, clock?: Clock): Promise<SubjectAccessExport> {
  const person = await findPerson(db, personId);
  if (!canExportPerson(actor, person.pcnId)) throw refuse.forbidden('Only information governance leads, admins and the person’s link worker team can export their record.');
  const [consents, referrals, cases, contacts, onward, measurements] = await Promise.all([
    peopleRepo.listConsents(db, personId),
    referralsRepo.listReferralsForPerson(db, personId),
    casesRepo.listCasesForPerson(db, personId),
    casesRepo.listAllContactsForPerson(db, personId),
    connectRepo.listOnwardForPerson(db, personId),
    measuresRepo.listMeasurementsForPerson(db, personId),
  ]);
  const casesWithPlans = await Promise.all(
    cases.map(async (c) => ({
      id: c.id,
      status: c.status,
      openedOn: c.openedOn,
      closedOn: c.closedOn,
      closedReason: c.closedReason,
      linkWorker: c.linkWorkerName,
      followUps: (await casesRepo.listFollowUps(db, c.id)).map((f) => ({ description: f.description, dueOn: f.dueOn, repeatsWeekly: f.repeatsWeekly, status: f.status })),
      goals: (await plansRepo.listGoals(db, c.id)).map((g) => ({ inTheirWords: g.inTheirWords, status: g.status })),
      plan: (await plansRepo.listPlanActions(db, c.id)).map((a) => ({ action: a.action, who: a.who, dueOn: a.dueOn, doneOn: a.doneOn })),
    })),
  );
  await auditPerson(db, actor, 'exported', personId, ip, { purpose: 'subject_access_request', format });
  return {
    exportedAt: (clock?.now ?? new Date()).toISOString(),
    person: {
      ...personDetails(person),
      whatMattersToMe: person.whatMatters,
      recordCreated: new Date(person.createdAt).toISOString(),
    },
    consents: consents.map((c) => ({ kind: c.kind, organisation: c.organisationName, fields: c.fields, given: c.given, recordedOn: c.recordedOn, recordedBy: c.recordedByName })),
    referrals: referrals.map((r) => ({ receivedOn: r.receivedOn, source: r.source, referrer: r.referrerOrganisationName ?? r.referrerName, reasons: needs.filter((n) => r.reasons.includes(n.id)).map((n) => n.name), notes: r.notes, status: r.status, declineReason: r.declineReason, snomedCode: r.snomedCode })),
    cases: casesWithPlans,
    contacts: contacts.map((c) => ({ on: c.contactedOn, method: c.method, outcome: c.outcome, durationMinutes: c.durationMinutes, notes: c.notes, by: c.recordedByName })),
    onwardReferrals: onward.map((o) => ({ kind: o.kind, service: o.serviceName, organisation: o.organisationName, sentOn: o.sentOn, status: o.status, sharedDetails: o.sharedDetails, response: o.responseReason, attendance: o.attendance })),
    measurements: measurements.map((m) => ({ measure: m.measure, stage: m.stage, takenOn: m.takenOn, answers: m.answers, score: m.score })),
  };
}

/** The export as rows for a spreadsheet: section, item, field, value. */
export function exportAsRows(data: SubjectAccessExport): string[][] {
  const rows: string[][] = [['section', 'item', 'field', 'value']];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  for (const [k, v] of Object.entries(data.person)) rows.push(['person', '1', k, cell(v)]);
  for (const section of ['consents', 'referrals', 'cases', 'contacts', 'onwardReferrals', 'measurements'] as const) {
    data[section].forEach((item, i) => {
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) rows.push([section, String(i + 1), k, cell(v)]);
    });
  }
  return rows;
}

/** The records due for anonymising: each name listed is a view of that person's record. */
export async function dueForAnonymising(db: Database, actor: Actor, years: number, ip: string | null, clock?: Clock) {
  if (!canAnonymise(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can anonymise records.');
  const on = ukToday(clock?.now ?? new Date());
  const due = await repo.listDueForAnonymising(db, addYears(on, -years));
  await auditPeople(db, actor, 'viewed', due.map((d) => ({ personId: d.id, details: { part: 'anonymise_list' } })), ip);
  return due;
}

/**
 * Anonymises a person whose every case is closed and whose retention period has passed. Counts,
 * dates and codes stay for reports; everything that could identify them goes.
 */
export async function anonymisePerson(db: Database, actor: Actor, personId: string, years: number, ip: string | null, clock?: Clock): Promise<void> {
  if (!canAnonymise(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can anonymise records.');
  const person = await findPerson(db, personId);
  if (person.anonymisedAt) throw refuse.conflict('form', 'This record is already anonymised');
  const cases = await casesRepo.listCasesForPerson(db, personId);
  if (!cases.length || cases.some((c) => c.status !== 'closed')) throw refuse.conflict('form', 'This person has an open case. A record can be anonymised only after every case is closed and the retention period has passed.');
  const lastClosed = cases.map((c) => c.closedOn!).sort().at(-1)!;
  const ends = addYears(lastClosed, years);
  const on = ukToday(clock?.now ?? new Date());
  if (on < ends) throw refuse.conflict('form', `The retention period has not passed. The last case closed on ${lastClosed}. The record must be kept until ${ends}.`);
  await db.transaction(async (tx) => {
    await repo.anonymisePerson(tx, personId);
    await auditPerson(tx, actor, 'anonymised', personId, ip, { lastClosedOn: lastClosed, retentionYears: years });
  });
}

// ---- merging two records of the same person ------------------------------------------------

/*
 * Two records of the same person (made before the duplicate check caught them, or from a cohort
 * and a referral) become one: the record being kept takes the other's cases, contacts, consents,
 * referrals, measures and onward referrals, and any detail it lacks. The other record goes; the
 * audit log keeps what happened under both ids.
 */

const FILLABLE = ['gpPracticeId', 'dateOfBirth', 'nhsNumber', 'address', 'postcode', 'phone', 'email', 'communicationNeeds'] as const;
const fillableNames: Record<(typeof FILLABLE)[number], string> = {
  gpPracticeId: 'GP practice',
  dateOfBirth: 'date of birth',
  nhsNumber: 'NHS number',
  address: 'address',
  postcode: 'postcode',
  phone: 'phone number',
  email: 'email address',
  communicationNeeds: 'communication needs',
};

async function pair(db: Database, actor: Actor, keepId: string, duplicateId: string) {
  const keep = await personForTeam(db, actor, keepId);
  const duplicate = await personForTeam(db, actor, duplicateId);
  if (!canMergePeople(actor, keep.pcnId) || !canMergePeople(actor, duplicate.pcnId)) throw refuse.forbidden('Only the link worker team of the person’s PCN can merge their records.');
  if (keep.id === duplicate.id) throw refuse.invalid('duplicateId', 'Choose a different record. A record cannot be merged with itself.');
  if (keep.anonymisedAt || duplicate.anonymisedAt) throw refuse.conflict('confirmed', 'An anonymised record cannot be merged');
  if (keep.pcnId !== duplicate.pcnId) throw refuse.conflict('confirmed', 'These records belong to different PCNs. Change the PCN on one of them first if they are the same person.');
  if (keep.nhsNumber && duplicate.nhsNumber && keep.nhsNumber !== duplicate.nhsNumber) {
    throw refuse.conflict('confirmed', 'These records have different NHS numbers. Records with different NHS numbers are different people, so they cannot be merged.');
  }
  return { keep, duplicate };
}

/** What the merge page shows: both records, and what the kept one would take from the other. */
export async function previewMerge(db: Database, actor: Actor, keepId: string, duplicateId: string, ip: string | null) {
  const { keep, duplicate } = await pair(db, actor, keepId, duplicateId);
  const [keepCases, duplicateCases] = await Promise.all([casesRepo.listCasesForPerson(db, keep.id), casesRepo.listCasesForPerson(db, duplicate.id)]);
  // The page shows both records side by side: a view of each.
  await auditPeople(db, actor, 'viewed', [{ personId: keep.id, details: { part: 'merge', duplicateId: duplicate.id } }, { personId: duplicate.id, details: { part: 'merge', keepId: keep.id } }], ip);
  return { keep, duplicate, keepCases, duplicateCases, fills: FILLABLE.filter((f) => !keep[f] && duplicate[f]).map((f) => fillableNames[f]) };
}

export async function mergePeople(db: Database, actor: Actor, keepId: string, duplicateId: string, keepVersion: number, ip: string | null): Promise<void> {
  const { keep, duplicate } = await pair(db, actor, keepId, duplicateId);
  const merged: peopleRepo.Person = { ...keep };
  for (const f of FILLABLE) if (!merged[f] && duplicate[f]) (merged as Record<string, unknown>)[f] = duplicate[f];
  await db.transaction(async (tx) => {
    if (!(await peopleRepo.updatePerson(tx, keep.id, keepVersion, merged))) throw staleVersion('record');
    if (!keep.whatMatters && duplicate.whatMatters) await peopleRepo.saveWhatMatters(tx, keep.id, duplicate.whatMatters, duplicate.whatMattersRecordedOn ?? ukToday());
    const moved = await repo.movePersonRecords(tx, duplicate.id, keep.id);
    await repo.deletePerson(tx, duplicate.id);
    const changes = snakeChanges(changedFields(keep as unknown as Record<string, unknown>, merged as unknown as Record<string, unknown>));
    await auditPerson(tx, actor, 'merged', keep.id, ip, { mergedPersonId: duplicate.id, mergedName: `${duplicate.givenName} ${duplicate.familyName}`, moved, changes });
    await auditPerson(tx, actor, 'merged_into', duplicate.id, ip, { keptPersonId: keep.id, moved });
  });
}
