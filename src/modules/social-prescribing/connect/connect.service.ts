import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { addDays, formatDate, ukToday } from '../../../platform/dates.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { Refusal, refuse } from '../../../platform/refusal.ts';
import { getServiceDetail, needs, searchDirectory, SearchQuerySchema } from '../../directory/index.ts';
import { allowFlow } from '../../information-sharing/index.ts';
import * as repo from './connect.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import * as linksRepo from '../referral-links/referral-links.repository.ts';
import * as referralsRepo from '../referrals/referrals.repository.ts';
import { canAnswerForOrganisation, canUseInbox, inboxOrganisations } from '../social-prescribing.policy.ts';
import { addConsentTx, auditPeople, auditPerson, today, type Clock } from '../people/people.service.ts';
import { caseForTeam } from '../cases/cases.service.ts';
import { onwardReferralStatus, reminderDueOn, respondByOn, REMINDER_AFTER_DAYS, RESPOND_WITHIN_DAYS } from './referral-deadlines.ts';
import type { shareableFields } from '../social-prescribing.schemas.ts';
import { deliverReferral, referralAddress, type Delivered, type SendVia } from '../referral-links/referral-links.service.ts';

/*
 * Connecting a person to community support: search the directory (through its index.ts) by their
 * needs and distance from their postcode, then signpost or refer. A referral carries a copy of
 * only the details the person agreed to share with that organisation. The receiving
 * organisation answers in its inbox, and is reminded once after 7 days.
 */

/** The connect page: services near the person for their needs. It shows their name and postcode, so it is a view of their record. */
export async function searchForCase(db: Database, actor: Actor, caseId: string, q: { need?: string; miles?: number; text?: string }, ip: string | null, options: { staleAfterMonths?: number } = {}) {
  const found = await caseForTeam(db, actor, caseId);
  const person = (await peopleRepo.findPerson(db, found.personId))!;
  await auditPerson(db, actor, 'viewed', person.id, ip, { part: 'connect', caseId, fields: ['name', 'postcode'] });
  const referral = found.referralId ? await referralsRepo.findReferral(db, found.referralId) : null;
  const personNeeds = referral?.reasons ?? [];
  const need = q.need ?? personNeeds[0];
  const query = SearchQuerySchema.parse({ need, postcode: person.postcode ?? undefined, miles: q.miles ? String(q.miles) : undefined, text: q.text });
  // A postcode the directory does not know should not stop the search: search without distance.
  let postcodeUnknown = false;
  let results;
  try {
    results = await searchDirectory(db, query, options);
  } catch (error) {
    if (!(error instanceof Refusal && error.kind === 'invalid' && query.postcode)) throw error;
    postcodeUnknown = true;
    results = await searchDirectory(db, { ...query, postcode: undefined, miles: undefined }, options);
  }
  return {
    case: found,
    person,
    need,
    personNeeds: needs.filter((n) => personNeeds.includes(n.id)),
    items: results.items,
    total: results.total,
    miles: results.miles,
    postcodeUnknown,
  };
}

/** The connect form: the case, and the service from the directory (404 when it is not there). */
export async function serviceForCase(db: Database, actor: Actor, caseId: string, serviceId: string) {
  const found = await caseForTeam(db, actor, caseId);
  const detail = await getServiceDetail(db, serviceId);
  if (!detail) throw refuse.notFound('Service');
  return { case: found, detail };
}

type SharedField = (typeof shareableFields)[number];

/** Only the consented fields, copied at the moment of referral. */
function sharedDetails(person: peopleRepo.Person, reasons: string[], fields: SharedField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f === 'name') out.name = `${person.givenName} ${person.familyName}`;
    if (f === 'date_of_birth') out.dateOfBirth = person.dateOfBirth;
    if (f === 'phone') out.phone = person.phone;
    if (f === 'email') out.email = person.email;
    if (f === 'address') out.address = [person.address, person.postcode].filter(Boolean).join(', ');
    if (f === 'communication_needs') out.communicationNeeds = person.communicationNeeds;
    if (f === 'reasons') out.reasons = needs.filter((n) => reasons.includes(n.id)).map((n) => n.name);
  }
  return out;
}

export type ConnectResult = { id: string; kind: 'signpost' | 'refer'; delivered: Delivered | null };

/**
 * Signposting records that the person was given the information; referring sends the referral
 * (referToOrganisation, the one place a referral is sent from).
 */
export async function connectToService(
  db: Database,
  send: SendVia,
  actor: Actor,
  caseId: string,
  input: { serviceId: string; kind: 'signpost' | 'refer'; sharedFields: SharedField[]; notes?: string; consentBasis?: 'yes' },
  ip: string | null,
  clock?: Clock,
): Promise<ConnectResult> {
  const found = await caseForTeam(db, actor, caseId);
  if (found.status === 'closed') throw refuse.conflict('kind', 'This case is closed. Reopen the case to connect the person to support.');
  const detail = await getServiceDetail(db, input.serviceId);
  if (!detail) throw refuse.invalid('serviceId', 'Choose a service from the directory');
  const person = (await peopleRepo.findPerson(db, found.personId))!;
  if (input.kind === 'refer') return referToOrganisation(db, send, actor, { found, person, detail, sharedFields: input.sharedFields, notes: input.notes, consentBasis: input.consentBasis }, ip, clock);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertOnwardReferral(tx, onwardRow(id, found, person, detail, 'signpost', {}, input.notes, today(clock), actor));
    await auditPerson(tx, actor, 'signposted', person.id, ip, { caseId, onwardReferralId: id, organisationId: detail.organisation.id, serviceId: detail.service.id, sharedFields: [] });
  });
  return { id, kind: 'signpost', delivered: null };
}

type ServiceDetail = NonNullable<Awaited<ReturnType<typeof getServiceDetail>>>;

function onwardRow(id: string, found: { id: string }, person: peopleRepo.Person, detail: ServiceDetail, kind: 'signpost' | 'refer', shared: Record<string, unknown>, notes: string | undefined, on: string, actor: Actor) {
  return {
    id,
    caseId: found.id,
    personId: person.id,
    kind,
    serviceId: detail.service.id,
    serviceName: detail.service.name,
    organisationId: detail.organisation.id,
    organisationName: detail.organisation.name,
    sharedDetails: shared,
    notes: notes ?? null,
    sentOn: on,
    status: kind === 'refer' ? 'sent' : 'given',
    createdBy: actor.userId,
  };
}

/**
 * Sending a referral to an organisation: the person's consent to share the chosen fields is
 * recorded, a copy of only those fields is kept with the referral, and it is delivered to the
 * organisation's listed email address as a secure link (deliverReferral). Every referral is sent
 * from here: a check that must come before sharing (an agreement between the organisations)
 * belongs at the top of this function.
 */
export async function referToOrganisation(
  db: Database,
  send: SendVia,
  actor: Actor,
  r: { found: { id: string; referralId: string | null; pcnId: string }; person: peopleRepo.Person; detail: ServiceDetail; sharedFields: SharedField[]; notes?: string; consentBasis?: 'yes' },
  ip: string | null,
  clock?: Clock,
): Promise<ConnectResult> {
  const referral = r.found.referralId ? await referralsRepo.findReferral(db, r.found.referralId) : null;
  const id = crypto.randomUUID();
  const on = today(clock);
  await db.transaction(async (tx) => {
    // Only while an active information sharing agreement covers the PCN, the organisation and these details (or on the person's explicit consent).
    await allowFlow(tx, actor, { flowType: 'sp_referral', fromOrganisationId: r.found.pcnId, toOrganisationId: r.detail.organisation.id, dataItems: r.sharedFields.map((f) => `sp.${f}`), consentBasis: r.consentBasis === 'yes', reference: id, field: 'sharedFields', person: { id: r.person.id, nhsNumber: r.person.nhsNumber } });
    const shared = sharedDetails(r.person, referral?.reasons ?? [], r.sharedFields);
    await addConsentTx(tx, actor, r.person.id, { kind: 'share_with_organisation', given: true, fields: r.sharedFields, organisationId: r.detail.organisation.id }, on);
    await repo.insertOnwardReferral(tx, onwardRow(id, r.found, r.person, r.detail, 'refer', shared, r.notes, on, actor));
    await auditPerson(tx, actor, 'referred_onward', r.person.id, ip, { caseId: r.found.id, onwardReferralId: id, organisationId: r.detail.organisation.id, serviceId: r.detail.service.id, sharedFields: r.sharedFields });
  });
  const onward = (await repo.findOnwardReferral(db, id))!;
  const delivered = await deliverReferral(db, send, actor, onward, referralAddress(r.detail), ip, clock);
  return { id, kind: 'refer', delivered };
}

type OnwardView = repo.Onward & { shownStatus: string; respondBy: string; reminderDue: string };

export function presentOnward(row: repo.Onward, on: string): OnwardView {
  const notSent = row.status === 'sent' && (row.delivery === 'no_email' || row.delivery === 'email_not_sent');
  const shownStatus = row.kind === 'signpost' ? 'given' : notSent ? 'not_sent' : onwardReferralStatus(row.status, row.sentOn, on);
  return { ...row, shownStatus, respondBy: respondByOn(row.sentOn), reminderDue: reminderDueOn(row.sentOn) };
}

// ---- the receiving organisation's inbox -------------------------------------------------------

/** What a receiving organisation may see: the service, dates, status and the shared copy. Never the case. */
type InboxItem = Pick<repo.Onward, 'id' | 'serviceName' | 'organisationId' | 'organisationName' | 'sharedDetails' | 'notes' | 'sentOn' | 'status' | 'responseReason' | 'respondedOn' | 'attendance' | 'attendanceOn'> & { shownStatus: string; respondBy: string; overdue: boolean };

function inboxItem(row: repo.Onward, on: string): InboxItem {
  return {
    id: row.id,
    serviceName: row.serviceName,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    sharedDetails: row.sharedDetails,
    notes: row.notes,
    sentOn: row.sentOn,
    status: row.status,
    responseReason: row.responseReason,
    respondedOn: row.respondedOn,
    attendance: row.attendance,
    attendanceOn: row.attendanceOn,
    shownStatus: onwardReferralStatus(row.status, row.sentOn, on),
    respondBy: respondByOn(row.sentOn),
    overdue: row.status === 'sent' && on > respondByOn(row.sentOn),
  };
}

const notAnInboxEditor = () => refuse.forbidden('The referral inbox is for editors of organisations that receive referrals.');

export async function referralInbox(db: Database, actor: Actor, ip: string | null, clock?: Clock): Promise<InboxItem[]> {
  if (!canUseInbox(actor)) throw notAnInboxEditor();
  const rows = await repo.listInbox(db, inboxOrganisations(actor));
  // Seeing the list shows each person's shared details, so each is a view of that person.
  await auditPeople(db, actor, 'viewed', rows.map((r) => ({ personId: r.personId, details: { part: 'onward_referral', onwardReferralId: r.id, via: 'inbox' } })), ip);
  const on = today(clock);
  return rows.map((r) => inboxItem(r, on));
}

async function onwardForOrganisation(db: Queryable, actor: Actor, id: string): Promise<repo.Onward> {
  if (!canUseInbox(actor)) throw notAnInboxEditor();
  const row = await repo.findOnwardReferral(db, id);
  if (!row || row.kind !== 'refer') throw refuse.notFound('Referral');
  if (!row.organisationId || !canAnswerForOrganisation(actor, row.organisationId)) throw refuse.forbidden('Only editors of the organisation this referral was sent to can see it.');
  return row;
}

/** One referral in the inbox, with who referred and how to reach them. */
export async function viewInboxItem(db: Database, actor: Actor, id: string, ip: string | null, clock?: Clock) {
  const row = await onwardForOrganisation(db, actor, id);
  await auditPerson(db, actor, 'viewed', row.personId, ip, { part: 'onward_referral', onwardReferralId: id, via: 'inbox' });
  return { ...inboxItem(row, today(clock)), referrer: await linksRepo.referrerOf(db, id) };
}

export async function answerReferral(db: Database, actor: Actor, id: string, a: { decision: 'accept' | 'decline'; reason?: string }, ip: string | null, clock?: Clock): Promise<void> {
  const row = await onwardForOrganisation(db, actor, id);
  await saveAnswer(db, row, a, actor, ip, { via: 'inbox' }, clock);
}

/** The organisation's answer, from its inbox or its secure link (actor null). */
export async function saveAnswer(db: Database, row: repo.Onward, a: { decision: 'accept' | 'decline'; reason?: string }, actor: Actor | null, ip: string | null, details: Record<string, unknown>, clock?: Clock, also?: (tx: Queryable) => Promise<void>): Promise<void> {
  if (row.status !== 'sent') throw refuse.conflict('decision', `This referral has already been answered. It was ${row.status} on ${formatDate(row.respondedOn)}.`);
  await db.transaction(async (tx) => {
    const ok = await repo.answerOnwardReferral(tx, row.id, { status: a.decision === 'accept' ? 'accepted' : 'declined', reason: a.reason ?? null, on: today(clock), by: actor?.userId ?? null });
    if (!ok) throw refuse.conflict('decision', 'This referral has already been answered');
    await also?.(tx);
    await auditPerson(tx, actor, a.decision === 'accept' ? 'onward_referral_accepted' : 'onward_referral_declined', row.personId, ip, { onwardReferralId: row.id, reason: a.reason ?? null, ...details });
  });
}

export async function recordAttendance(db: Database, actor: Actor, id: string, attendance: string, ip: string | null, clock?: Clock): Promise<void> {
  const row = await onwardForOrganisation(db, actor, id);
  await saveAttendance(db, row, attendance, today(clock), actor, ip, { via: 'inbox' });
}

/** How the person is getting on, from the inbox or the secure link (actor null), as of a day. */
export async function saveAttendance(db: Database, row: repo.Onward, attendance: string, on: string, actor: Actor | null, ip: string | null, details: Record<string, unknown>): Promise<void> {
  if (row.status !== 'accepted') throw refuse.conflict('attendance', 'Accept the referral before recording attendance');
  await db.transaction(async (tx) => {
    await repo.recordAttendance(tx, row.id, attendance, on);
    await auditPerson(tx, actor, 'attendance_recorded', row.personId, ip, { onwardReferralId: row.id, changes: { attendance: { from: row.attendance, to: attendance } }, on, ...details });
  });
}

// ---- the 7-day reminder --------------------------------------------------------------------

/**
 * Emails the receiving organisation's editors (or its own address) once about each referral
 * still unanswered 7 days after it was sent. Run hourly by the job runner (a sweep, one process
 * at a time), and safe to run from several processes at once: each referral's reminder is claimed
 * (marked, with its audit entry) before anything is sent, so it goes once. Mail that cannot be
 * sent waits in the Email outbox. Returns how many referrals were reminded.
 */
export async function sendReferralReminders(db: Database, mailer: Mailer, now: Date = new Date(), publicUrl = ''): Promise<number> {
  const on = ukToday(now);
  const due = await repo.listAwaitingReminder(db, reminderAfter(on), earliestForReminder(on));
  let reminded = 0;
  for (const row of due) {
    if (!row.organisationId) continue;
    const editors = await repo.organisationEditorEmails(db, row.organisationId);
    // Without editors, the reminder goes where the secure link went, and points to that email.
    const [link] = editors.length ? [] : await linksRepo.listLinks(db, row.id);
    const live = link && !link.revokedAt && link.expiresAt > now ? link : null;
    const to = editors.length ? editors : live ? [live.sentTo] : [];
    const claimed = await db.transaction(async (tx) => {
      if (!(await repo.claimReminder(tx, row.id, now))) return false;
      await auditPerson(tx, null, 'reminder_sent', row.personId, null, { onwardReferralId: row.id, to: to.length });
      return true;
    });
    if (!claimed) continue;
    for (const address of to) {
      await mailer.send({
        to: address,
        subject: `Reminder: a social prescribing referral to ${row.serviceName} is waiting for your answer`,
        text: [
          `A link worker referred someone to ${row.serviceName} on ${row.sentOn}.`,
          `Please accept or decline it by ${respondByOn(row.sentOn)}. After that the link worker will see "no response".`,
          '',
          live
            ? `Answer it with the secure link in our email of ${formatDate(live.createdAt)} (it works until ${formatDate(live.expiresAt)}). No account is needed.`
            : `Answer it here: ${publicUrl}/social-prescribing/referrals-received/${row.id}`,
        ].join('\n'),
        related: { type: 'sp_onward_referral', id: row.id },
      });
    }
    reminded++;
  }
  return reminded;
}

// Sent on or before today − 7 and not yet past the 14-day deadline.
const reminderAfter = (on: string) => addDays(on, -REMINDER_AFTER_DAYS);
const earliestForReminder = (on: string) => addDays(on, -RESPOND_WITHIN_DAYS);

/** The "Referrals received" link: editors of an organisation that can be sent referrals, or has been. */
export async function showsReferralsReceived(db: Queryable, actor: Actor | null): Promise<boolean> {
  const organisations = inboxOrganisations(actor);
  return organisations.length > 0 && (await repo.receivesReferrals(db, organisations));
}
