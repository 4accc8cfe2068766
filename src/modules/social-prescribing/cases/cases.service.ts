import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { changedFields } from '../../../platform/audit.ts';
import { addDays } from '../../../platform/dates.ts';
import { refuse, staleVersion } from '../../../platform/refusal.ts';
import * as repo from './cases.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import * as referralsRepo from '../referrals/referrals.repository.ts';
import * as linksRepo from '../referral-links/referral-links.repository.ts';
import * as connectRepo from '../connect/connect.repository.ts';
import { normaliseNhsNumber } from '../nhs-number.ts';
import { canSeePcn, canUseCaseload, caseloadScope } from '../social-prescribing.policy.ts';
import { auditPeople, auditPerson, snakeChanges, today, type Clock } from '../people/people.service.ts';

/** The link worker's caseload and cases: status, who holds it, contacts and follow-ups. */

const notInCaseload = () => refuse.forbidden('Only link workers and partnership admins can use the caseload.');

/** The case, if the actor is in its PCN's link worker team (or an admin). */
export async function caseForTeam(db: Queryable, actor: Actor, caseId: string): Promise<repo.Case> {
  if (!canUseCaseload(actor)) throw notInCaseload();
  const found = await repo.findCase(db, caseId);
  if (!found) throw refuse.notFound('Case');
  if (!canSeePcn(actor, found.pcnId)) throw refuse.forbidden('Only the link worker team of this person’s PCN can see their case.');
  return found;
}

export type Caseload = {
  today: string;
  newReferrals: referralsRepo.Referral[];
  dueToday: repo.CaseListItem[];
  overdue: repo.CaseListItem[];
  openCases: repo.CaseListItem[];
  /** Open cases not due today or overdue, so each case shows once on the page. */
  laterCases: repo.CaseListItem[];
  /** Referrals this link worker made that have not reached the organisation yet. */
  unsent: repo.UnsentReferral[];
};

/**
 * A link worker's home: the team's new referrals, their own cases due today or overdue, and
 * their open cases. Admins see every PCN's new referrals and open cases. Every person listed is
 * a view of their record ('caseload', by the page or view it was seen through), written in one
 * statement for the whole list so the page stays fast.
 */
export async function caseload(db: Database, actor: Actor, ip: string | null, options: { everyone?: boolean; via: 'page' | 'team_page' | 'api' } & Clock): Promise<Caseload> {
  if (!canUseCaseload(actor)) throw notInCaseload();
  const scope = caseloadScope(actor);
  const on = today(options);
  const [newReferrals, mine, unsent] = await Promise.all([
    referralsRepo.listNewReferrals(db, scope),
    repo.listOpenCases(db, options.everyone ? { pcnIds: scope } : { linkWorkerId: actor.userId, pcnIds: scope }),
    repo.listUnsentReferrals(db, actor.userId),
  ]);
  // One entry per person shown, however many of their referrals and cases the page lists.
  const shown = new Set([...newReferrals, ...mine, ...unsent].map((row) => row.personId));
  await auditPeople(db, actor, 'viewed', [...shown].map((personId) => ({ personId, details: { part: 'caseload', via: options.via } })), ip);
  return {
    today: on,
    newReferrals,
    dueToday: mine.filter((c) => c.nextDueOn === on),
    overdue: mine.filter((c) => c.nextDueOn !== null && c.nextDueOn < on),
    openCases: mine,
    unsent,
    laterCases: mine.filter((c) => c.nextDueOn === null || c.nextDueOn > on),
  };
}

/**
 * Finding someone on the team's records by name or NHS number (ten digits, spaces allowed). Every
 * person shown is a view of their record.
 */
export async function searchCaseload(db: Database, actor: Actor, query: string, ip: string | null): Promise<repo.PersonFound[]> {
  if (!canUseCaseload(actor)) throw notInCaseload();
  const q = query.trim();
  if (!q) return [];
  const digits = normaliseNhsNumber(q);
  const nhsNumber = /^\d{10}$/.test(digits) ? digits : null;
  const words = q.split(/\s+/).filter((w) => w.length > 0).slice(0, 5);
  const found = await repo.searchPeople(db, caseloadScope(actor), { words, nhsNumber });
  await auditPeople(db, actor, 'viewed', found.map((f) => ({ personId: f.personId, details: { part: 'search_result', via: nhsNumber ? 'nhs_number' : 'name' } })), ip);
  return found;
}

/** The team's closed cases, most recently closed first; each person listed is a view of their record. */
export async function closedCases(db: Database, actor: Actor, ip: string | null): Promise<repo.ClosedCase[]> {
  if (!canUseCaseload(actor)) throw notInCaseload();
  const rows = await repo.listClosedCases(db, caseloadScope(actor));
  const shown = new Set(rows.map((r) => r.personId));
  await auditPeople(db, actor, 'viewed', [...shown].map((personId) => ({ personId, details: { part: 'closed_cases' } })), ip);
  return rows;
}

export type CaseView = {
  case: repo.Case;
  person: peopleRepo.Person;
  referral: referralsRepo.Referral | null;
  contacts: repo.Contact[];
  followUps: repo.FollowUp[];
  onward: connectRepo.Onward[];
  /** The newest secure link of each referral, by referral: when it was opened and answered. */
  links: Record<string, linksRepo.ReferralLink>;
  team: { id: string; name: string }[];
  consents: peopleRepo.Consent[];
};

export async function viewCase(db: Database, actor: Actor, caseId: string, ip: string | null, part = 'case'): Promise<CaseView> {
  const found = await caseForTeam(db, actor, caseId);
  const [person, referral, contacts, followUps, onward, team, consents] = await Promise.all([
    peopleRepo.findPerson(db, found.personId),
    found.referralId ? referralsRepo.findReferral(db, found.referralId) : null,
    repo.listContacts(db, caseId),
    repo.listFollowUps(db, caseId),
    connectRepo.listOnwardForCase(db, caseId),
    peopleRepo.listLinkWorkers(db, found.pcnId),
    peopleRepo.listConsents(db, found.personId),
  ]);
  const links = Object.fromEntries((await linksRepo.latestLinks(db, onward.filter((o) => o.kind === 'refer').map((o) => o.id))).map((l) => [l.onwardReferralId, l]));
  await auditPerson(db, actor, 'viewed', found.personId, ip, { part, caseId });
  return { case: found, person: person!, referral, contacts, followUps, onward, links, team, consents };
}

export async function changeCaseStatus(db: Database, actor: Actor, caseId: string, input: { version: number; status: repo.Case['status']; closedReason?: string }, ip: string | null, clock?: Clock): Promise<void> {
  const before = await caseForTeam(db, actor, caseId);
  const closing = input.status === 'closed';
  const after = { status: input.status, closedReason: closing ? (input.closedReason ?? null) : null, closedOn: closing ? (before.closedOn ?? today(clock)) : null };
  await db.transaction(async (tx) => {
    if (!(await repo.updateCaseStatus(tx, caseId, input.version, after))) throw staleVersion('case');
    const followUpsStopped = closing ? await repo.stopOpenFollowUps(tx, caseId) : 0;
    if (followUpsStopped) await repo.refreshCaseSummary(tx, caseId);
    await auditPerson(tx, actor, 'updated', before.personId, ip, { part: 'case', caseId, changes: snakeChanges(changedFields(before as unknown as Record<string, unknown>, after)), followUpsStopped });
  });
}

export async function reassignCase(db: Database, actor: Actor, caseId: string, input: { version: number; linkWorkerId: string }, ip: string | null): Promise<void> {
  const before = await caseForTeam(db, actor, caseId);
  const team = await peopleRepo.listLinkWorkers(db, before.pcnId);
  if (!team.some((t) => t.id === input.linkWorkerId)) throw refuse.invalid('linkWorkerId', 'Select a link worker in this PCN’s team');
  await db.transaction(async (tx) => {
    if (!(await repo.reassignCase(tx, caseId, input.version, input.linkWorkerId))) throw staleVersion('case');
    await auditPerson(tx, actor, 'reassigned', before.personId, ip, { caseId, changes: changedFields({ link_worker_id: before.linkWorkerId }, { link_worker_id: input.linkWorkerId }) });
  });
}

export type ContactInput = { method: string; outcome: string; contactedOn: string; durationMinutes?: number; notes?: string };

export async function recordContact(db: Database, actor: Actor, caseId: string, c: ContactInput, ip: string | null, clock?: Clock): Promise<string> {
  const found = await caseForTeam(db, actor, caseId);
  if (c.contactedOn > today(clock)) throw refuse.invalid('contactedOn', 'The date of the contact must be today or in the past');
  if (found.status === 'closed') throw refuse.conflict('form', 'This case is closed. Reopen the case to record a contact.');
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertContact(tx, { id, caseId, personId: found.personId, cohortMemberId: null, method: c.method, outcome: c.outcome, contactedOn: c.contactedOn, durationMinutes: c.durationMinutes ?? null, notes: c.notes ?? null, recordedBy: actor.userId, recordedByName: actor.name });
    await repo.markContacting(tx, caseId);
    await repo.refreshCaseSummary(tx, caseId);
    await auditPerson(tx, actor, 'contact_recorded', found.personId, ip, { caseId, contactId: id, method: c.method, outcome: c.outcome });
  });
  return id;
}

export async function addFollowUp(db: Database, actor: Actor, caseId: string, f: { description: string; dueOn: string; repeatsWeekly: boolean }, ip: string | null): Promise<string> {
  const found = await caseForTeam(db, actor, caseId);
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertFollowUp(tx, { id, caseId, description: f.description, dueOn: f.dueOn, repeatsWeekly: f.repeatsWeekly, createdBy: actor.userId });
    await repo.refreshCaseSummary(tx, caseId);
    await auditPerson(tx, actor, 'follow_up_added', found.personId, ip, { caseId, followUpId: id, dueOn: f.dueOn, repeatsWeekly: f.repeatsWeekly });
  });
  return id;
}

/**
 * Done: a one-off follow-up is finished; a weekly one moves to the same weekday of the next week
 * after today (so a late call does not leave a trail of overdue weeks). Stop ends either.
 */
/** The follow-up, if the actor is in its case's team. */
export async function followUpForTeam(db: Queryable, actor: Actor, followUpId: string) {
  if (!canUseCaseload(actor)) throw notInCaseload();
  const followUp = await repo.findFollowUp(db, followUpId);
  if (!followUp) throw refuse.notFound('Follow-up');
  return { followUp, case: await caseForTeam(db, actor, followUp.caseId) };
}

export async function completeFollowUp(db: Database, actor: Actor, followUpId: string, action: 'done' | 'stop', ip: string | null, clock?: Clock): Promise<string> {
  const { followUp: f, case: found } = await followUpForTeam(db, actor, followUpId);
  if (f.status !== 'open') throw refuse.conflict('form', 'This follow-up is already finished');
  let next = { status: action === 'stop' ? 'stopped' : 'done', dueOn: f.dueOn };
  if (action === 'done' && f.repeatsWeekly) {
    let due = addDays(f.dueOn, 7);
    while (due <= today(clock)) due = addDays(due, 7);
    next = { status: 'open', dueOn: due };
  }
  await db.transaction(async (tx) => {
    await repo.updateFollowUp(tx, followUpId, next);
    await repo.refreshCaseSummary(tx, f.caseId);
    await auditPerson(tx, actor, action === 'stop' ? 'follow_up_stopped' : 'follow_up_done', found.personId, ip, { caseId: f.caseId, followUpId, nextDueOn: next.status === 'open' ? next.dueOn : null });
  });
  return f.caseId;
}
