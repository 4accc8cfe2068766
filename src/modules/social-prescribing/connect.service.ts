import crypto from 'node:crypto';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { forbidden, HttpProblem, notFound } from '../../platform/http/errors.ts';
import type { Mailer } from '../../platform/mailer.ts';
import { getServiceDetail, searchServices } from '../directory/index.ts';
import { SearchQuerySchema } from '../directory/index.ts';
import { needs } from '../directory/index.ts';
import * as repo from './social-prescribing.repository.ts';
import { canAnswerForOrganisation, canSeePcn, inboxOrganisations } from './social-prescribing.policy.ts';
import { addConsentTx, auditPerson, caseForTeam, type Clock } from './social-prescribing.service.ts';
import { isUuid } from '../../platform/ids.ts';
import { addDays, onwardReferralStatus, reminderDueOn, respondByOn, ukToday, REMINDER_AFTER_DAYS, RESPOND_WITHIN_DAYS } from './dates.ts';
import type { shareableFields } from './social-prescribing.schemas.ts';

/*
 * Connecting a person to community support: search the directory (through its service
 * functions) by their needs and distance from their postcode, then signpost or refer. A referral
 * carries a copy of only the details the person agreed to share with that organisation.
 */

const today = (clock?: Clock) => ukToday(clock?.now ?? new Date());

export async function searchForCase(db: Database, actor: Actor, caseId: string, q: { need?: string; miles?: number; text?: string }, options: { staleAfterMonths?: number } = {}) {
  const found = await caseForTeam(db, actor, caseId);
  const person = (await repo.findPerson(db, found.person_id))!;
  const referral = found.referral_id ? await repo.findReferral(db, found.referral_id) : null;
  const personNeeds = referral?.reasons ?? [];
  const need = q.need ?? personNeeds[0];
  const query = SearchQuerySchema.parse({ need, postcode: person.postcode ?? undefined, miles: q.miles ? String(q.miles) : undefined, text: q.text });
  let outcome = await searchServices(db, query, options);
  // A postcode the directory does not know should not stop the search: search without distance.
  let postcodeUnknown = false;
  if (!outcome.ok && query.postcode) {
    postcodeUnknown = true;
    outcome = await searchServices(db, { ...query, postcode: undefined, miles: undefined }, options);
  }
  return {
    case: found,
    person,
    need,
    personNeeds: needs.filter((n) => personNeeds.includes(n.id)),
    items: outcome.ok ? outcome.items : [],
    total: outcome.ok ? outcome.total : 0,
    miles: outcome.ok ? outcome.miles : null,
    postcodeUnknown,
  };
}

export type SharedField = (typeof shareableFields)[number];

/** Only the consented fields, copied at the moment of referral. */
export function sharedDetails(person: repo.PersonRow, reasons: string[], fields: SharedField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f === 'name') out.name = `${person.given_name} ${person.family_name}`;
    if (f === 'date_of_birth') out.dateOfBirth = person.date_of_birth;
    if (f === 'phone') out.phone = person.phone;
    if (f === 'email') out.email = person.email;
    if (f === 'address') out.address = [person.address, person.postcode].filter(Boolean).join(', ');
    if (f === 'communication_needs') out.communicationNeeds = person.communication_needs;
    if (f === 'reasons') out.reasons = needs.filter((n) => reasons.includes(n.id)).map((n) => n.name);
  }
  return out;
}

export async function connectToService(
  db: Database,
  actor: Actor,
  caseId: string,
  input: { serviceId: string; kind: 'signpost' | 'refer'; sharedFields: SharedField[]; notes?: string },
  ip: string | null,
  clock?: Clock,
): Promise<string> {
  const found = await caseForTeam(db, actor, caseId);
  if (found.status === 'closed') throw new HttpProblem(409, 'This case is closed', 'Reopen the case to connect the person to support.');
  const detail = await getServiceDetail(db, input.serviceId);
  if (!detail) throw new HttpProblem(422, 'That service is not in the directory', undefined, [{ name: 'serviceId', reason: 'Choose a service from the directory' }]);
  const person = (await repo.findPerson(db, found.person_id))!;
  const referral = found.referral_id ? await repo.findReferral(db, found.referral_id) : null;
  const id = crypto.randomUUID();
  const on = today(clock);
  await db.transaction(async (tx) => {
    const shared = input.kind === 'refer' ? sharedDetails(person, referral?.reasons ?? [], input.sharedFields) : {};
    if (input.kind === 'refer') {
      await addConsentTx(tx, actor, person.id, { kind: 'share_with_organisation', given: true, fields: input.sharedFields, organisationId: detail.organisation.id }, on);
    }
    await repo.insertOnwardReferral(tx, {
      id,
      case_id: caseId,
      person_id: person.id,
      kind: input.kind,
      service_id: detail.service.id,
      service_name: detail.service.name,
      organisation_id: detail.organisation.id,
      organisation_name: detail.organisation.name,
      shared_details: shared,
      notes: input.notes ?? null,
      sent_on: on,
      status: input.kind === 'refer' ? 'sent' : 'given',
      created_by: actor.userId,
    });
    await auditPerson(tx, actor, input.kind === 'refer' ? 'referred_onward' : 'signposted', person.id, ip, { caseId, onwardReferralId: id, organisationId: detail.organisation.id, serviceId: detail.service.id, sharedFields: input.kind === 'refer' ? input.sharedFields : [] });
  });
  return id;
}

export type OnwardView = repo.OnwardRow & { shownStatus: string; respondBy: string; reminderDue: string };

export function presentOnward(row: repo.OnwardRow, on: string): OnwardView {
  return { ...row, shownStatus: row.kind === 'signpost' ? 'given' : onwardReferralStatus(row.status, row.sent_on, on), respondBy: respondByOn(row.sent_on), reminderDue: reminderDueOn(row.sent_on) };
}

// ---- the receiving organisation's inbox -------------------------------------------------------

/** What a receiving organisation may see: the service, dates, status and the shared copy. Never the case. */
export type InboxItem = Pick<repo.OnwardRow, 'id' | 'service_name' | 'organisation_id' | 'organisation_name' | 'shared_details' | 'notes' | 'sent_on' | 'status' | 'response_reason' | 'responded_on' | 'attendance' | 'attendance_on'> & { shownStatus: string; respondBy: string; overdue: boolean };

function inboxItem(row: repo.OnwardRow, on: string): InboxItem {
  return {
    id: row.id,
    service_name: row.service_name,
    organisation_id: row.organisation_id,
    organisation_name: row.organisation_name,
    shared_details: row.shared_details,
    notes: row.notes,
    sent_on: row.sent_on,
    status: row.status,
    response_reason: row.response_reason,
    responded_on: row.responded_on,
    attendance: row.attendance,
    attendance_on: row.attendance_on,
    shownStatus: onwardReferralStatus(row.status, row.sent_on, on),
    respondBy: respondByOn(row.sent_on),
    overdue: row.status === 'sent' && on > respondByOn(row.sent_on),
  };
}

export async function referralInbox(db: Database, actor: Actor, ip: string | null, clock?: Clock): Promise<InboxItem[]> {
  const orgs = inboxOrganisations(actor);
  if (!orgs.length) throw forbidden('The referral inbox is for editors of organisations that receive referrals.');
  const rows = await repo.listInbox(db, orgs);
  // Seeing the list shows each person's shared details, so each is a view of that person.
  for (const r of rows) await auditPerson(db, actor, 'viewed', r.person_id, ip, { part: 'onward_referral', onwardReferralId: r.id, via: 'inbox' });
  const on = today(clock);
  return rows.map((r) => inboxItem(r, on));
}

export const hasReferralsReceived = async (db: Queryable, actor: Actor | null) => (await repo.countInbox(db, inboxOrganisations(actor))) > 0;

async function onwardForOrganisation(db: Queryable, actor: Actor, id: string): Promise<repo.OnwardRow> {
  if (!isUuid(id)) throw notFound('Referral');
  const row = await repo.findOnwardReferral(db, id);
  if (!row || row.kind !== 'refer') throw notFound('Referral');
  if (!row.organisation_id || !canAnswerForOrganisation(actor, row.organisation_id)) throw forbidden('Only editors of the organisation this referral was sent to can see it.');
  return row;
}

export async function viewInboxItem(db: Database, actor: Actor, id: string, ip: string | null, clock?: Clock): Promise<InboxItem> {
  const row = await onwardForOrganisation(db, actor, id);
  await auditPerson(db, actor, 'viewed', row.person_id, ip, { part: 'onward_referral', onwardReferralId: id, via: 'inbox' });
  return inboxItem(row, today(clock));
}

export async function answerReferral(db: Database, actor: Actor, id: string, a: { decision: 'accept' | 'decline'; reason?: string }, ip: string | null, clock?: Clock): Promise<void> {
  const row = await onwardForOrganisation(db, actor, id);
  if (row.status !== 'sent') throw new HttpProblem(409, 'This referral has already been answered', `It was ${row.status} on ${row.responded_on}.`);
  await db.transaction(async (tx) => {
    const ok = await repo.answerOnwardReferral(tx, id, { status: a.decision === 'accept' ? 'accepted' : 'declined', reason: a.reason ?? null, on: today(clock), by: actor.userId });
    if (!ok) throw new HttpProblem(409, 'This referral has already been answered');
    await auditPerson(tx, actor, a.decision === 'accept' ? 'onward_referral_accepted' : 'onward_referral_declined', row.person_id, ip, { onwardReferralId: id, reason: a.reason ?? null });
  });
}

export async function recordAttendance(db: Database, actor: Actor, id: string, attendance: string, ip: string | null, clock?: Clock): Promise<void> {
  const row = await onwardForOrganisation(db, actor, id);
  if (row.status !== 'accepted') throw new HttpProblem(409, 'Accept the referral before recording attendance');
  await db.transaction(async (tx) => {
    await repo.recordAttendance(tx, id, attendance, today(clock));
    await auditPerson(tx, actor, 'attendance_recorded', row.person_id, ip, { onwardReferralId: id, changes: { attendance: { from: row.attendance, to: attendance } } });
  });
}

/**
 * Emails the receiving organisation's editors (or its own address) once about each referral
 * still unanswered 7 days after it was sent. Safe to run as often as liked: each referral is
 * reminded once. Returns how many reminders went.
 */
export async function sendReferralReminders(db: Database, mailer: Mailer, now: Date = new Date(), publicUrl = ''): Promise<number> {
  const on = ukToday(now);
  const due = await repo.listAwaitingReminder(db, reminderAfter(on), earliestForReminder(on));
  let sent = 0;
  for (const row of due) {
    if (!row.organisation_id) continue;
    const editors = await repo.organisationEditorEmails(db, row.organisation_id);
    const org = await repo.findOrganisation(db, row.organisation_id);
    const to = editors.length ? editors : org?.email ? [org.email] : [];
    for (const address of to) {
      await mailer.send({
        to: address,
        subject: `Reminder: a social prescribing referral to ${row.service_name} is waiting for your answer`,
        text: [
          `A link worker referred someone to ${row.service_name} on ${row.sent_on}.`,
          `Please accept or decline it by ${respondByOn(row.sent_on)}. After that the link worker will see "no response".`,
          '',
          `Answer it here: ${publicUrl}/social-prescribing/referrals-received/${row.id}`,
        ].join('\n'),
      });
    }
    await db.transaction(async (tx) => {
      await repo.markReminderSent(tx, row.id, now);
      await auditPerson(tx, null, 'reminder_sent', row.person_id, null, { onwardReferralId: row.id, to: to.length });
    });
    sent++;
  }
  return sent;
}

// Sent on or before today − 7 and not yet past the 14-day deadline.
const reminderAfter = (on: string) => addDays(on, -REMINDER_AFTER_DAYS);
const earliestForReminder = (on: string) => addDays(on, -RESPOND_WITHIN_DAYS);

export const teamCanSeeOnward = (actor: Actor, row: repo.OnwardRow) => canSeePcn(actor, row.pcn_id);
