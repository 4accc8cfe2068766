import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { forbidden, HttpProblem, notFound } from '../../platform/http/errors.ts';
import { viewAuditLog } from '../audit-log/index.ts';
import { needs } from '../directory/index.ts';
import * as repo from './social-prescribing.repository.ts';
import { canAnonymise, canExportPerson, canReviewAccess } from './social-prescribing.policy.ts';
import { auditPerson, personDetails, type Clock } from './social-prescribing.service.ts';
import { isUuid } from '../../platform/ids.ts';
import { addYears, ukToday } from './dates.ts';

/** Information governance: who looked at a person, subject access exports, anonymising after retention. */


async function findPersonOr404(db: Database, personId: string): Promise<repo.PersonRow> {
  if (!isUuid(personId)) throw notFound('Person');
  const person = await repo.findPerson(db, personId);
  if (!person) throw notFound('Person');
  return person;
}

export async function findPeopleForReview(db: Database, actor: Actor, q: string, ip: string | null) {
  if (!canReviewAccess(actor)) throw forbidden('Only information governance leads and partnership admins can search people for an access review.');
  const rows = await repo.searchPeople(db, q);
  for (const r of rows) await auditPerson(db, actor, 'found_in_search', r.id, ip, { purpose: 'access_review' });
  return rows;
}

/** Every audit entry about the person, newest first: who viewed or changed what, when. */
export async function whoLookedAt(db: Database, actor: Actor, personId: string, page: number, ip: string) {
  if (!canReviewAccess(actor)) throw forbidden('Only information governance leads and partnership admins can review access.');
  const person = await findPersonOr404(db, personId);
  const log = await viewAuditLog(db, actor, { recordType: 'sp_person', recordId: personId, page }, ip, 'page');
  return { person, ...log };
}

export type SubjectAccessExport = {
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
  const person = await findPersonOr404(db, personId);
  if (!canExportPerson(actor, person.pcn_id)) throw forbidden('Only information governance leads, admins and the person’s link worker team can export their record.');
  const [consents, referrals, cases, contacts, onward, measurements] = await Promise.all([
    repo.listConsents(db, personId),
    repo.listReferralsForPerson(db, personId),
    repo.listCasesForPerson(db, personId),
    repo.listAllContactsForPerson(db, personId),
    repo.listOnwardForPerson(db, personId),
    repo.listMeasurementsForPerson(db, personId),
  ]);
  const casesWithPlans = await Promise.all(
    cases.map(async (c) => ({
      id: c.id,
      status: c.status,
      openedOn: c.opened_on,
      closedOn: c.closed_on,
      closedReason: c.closed_reason,
      linkWorker: c.link_worker_name,
      followUps: (await repo.listFollowUps(db, c.id)).map((f) => ({ description: f.description, dueOn: f.due_on, repeatsWeekly: f.repeats_weekly, status: f.status })),
      goals: (await repo.listGoals(db, c.id)).map((g) => ({ inTheirWords: g.in_their_words, status: g.status })),
      plan: (await repo.listPlanActions(db, c.id)).map((a) => ({ action: a.action, who: a.who, dueOn: a.due_on, doneOn: a.done_on })),
    })),
  );
  await auditPerson(db, actor, 'exported', personId, ip, { purpose: 'subject_access_request', format });
  return {
    exportedAt: (clock?.now ?? new Date()).toISOString(),
    person: {
      ...personDetails(person),
      whatMattersToMe: person.what_matters,
      recordCreated: new Date(person.created_at).toISOString(),
    },
    consents: consents.map((c) => ({ kind: c.kind, organisation: c.organisation_name, fields: c.fields, given: c.given, recordedOn: c.recorded_on, recordedBy: c.recorded_by_name })),
    referrals: referrals.map((r) => ({ receivedOn: r.received_on, source: r.source, referrer: r.referrer_organisation_name ?? r.referrer_name, reasons: needs.filter((n) => r.reasons.includes(n.id)).map((n) => n.name), notes: r.notes, status: r.status, declineReason: r.decline_reason, snomedCode: r.snomed_code })),
    cases: casesWithPlans,
    contacts: contacts.map((c) => ({ on: c.contacted_on, method: c.method, outcome: c.outcome, durationMinutes: c.duration_minutes, notes: c.notes, by: c.recorded_by_name })),
    onwardReferrals: onward.map((o) => ({ kind: o.kind, service: o.service_name, organisation: o.organisation_name, sentOn: o.sent_on, status: o.status, sharedDetails: o.shared_details, response: o.response_reason, attendance: o.attendance })),
    measurements: measurements.map((m) => ({ measure: m.measure, stage: m.stage, takenOn: m.taken_on, answers: m.answers, score: m.score })),
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

export function retentionEnds(lastClosedOn: string, years: number): string {
  return addYears(lastClosedOn, years);
}

export async function dueForAnonymising(db: Database, actor: Actor, years: number, clock?: Clock) {
  if (!canAnonymise(actor)) throw forbidden('Only information governance leads and partnership admins can anonymise records.');
  const on = ukToday(clock?.now ?? new Date());
  return repo.listDueForAnonymising(db, addYears(on, -years));
}

/**
 * Anonymises a person whose every case is closed and whose retention period has passed. Counts,
 * dates and codes stay for reports; everything that could identify them goes.
 */
export async function anonymisePerson(db: Database, actor: Actor, personId: string, years: number, ip: string | null, clock?: Clock): Promise<void> {
  if (!canAnonymise(actor)) throw forbidden('Only information governance leads and partnership admins can anonymise records.');
  const person = await findPersonOr404(db, personId);
  if (person.anonymised_at) throw new HttpProblem(409, 'This record is already anonymised');
  const cases = await repo.listCasesForPerson(db, personId);
  if (!cases.length || cases.some((c) => c.status !== 'closed')) throw new HttpProblem(409, 'This person has an open case', 'A record can be anonymised only after every case is closed and the retention period has passed.');
  const lastClosed = cases.map((c) => c.closed_on!).sort().at(-1)!;
  const ends = retentionEnds(lastClosed, years);
  const on = ukToday(clock?.now ?? new Date());
  if (on < ends) throw new HttpProblem(409, 'The retention period has not passed', `The last case closed on ${lastClosed}. The record must be kept until ${ends}.`);
  await db.transaction(async (tx) => {
    await repo.anonymisePerson(tx, personId);
    await auditPerson(tx, actor, 'anonymised', personId, ip, { lastClosedOn: lastClosed, retentionYears: years });
  });
}
