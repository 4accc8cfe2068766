import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import { hasRole, type Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { addDays, isCalendarDate } from '../../../platform/dates.ts';
import { Refusal, refuse, staleVersion } from '../../../platform/refusal.ts';
import { normalisePostcode } from '../../directory/index.ts';
import * as repo from './cohorts.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import * as casesRepo from '../cases/cases.repository.ts';
import { canSeePcn, canUseCaseload, caseloadScope } from '../social-prescribing.policy.ts';
import { addConsentTx, auditPerson, today, type Clock } from '../people/people.service.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../nhs-number.ts';
import { directoryNeedOf } from './call-needs.ts';
import type { CohortListPlace } from './cohorts.schemas.ts';
import { nationVocabulary } from '../../../platform/nation.ts';

/*
 * Outreach cohorts: a list of people (a CSV, such as everyone on a shielding list) that a PCN's
 * team works through by phone, shared out between its link workers. Every call is kept with its
 * outcome and the needs found; "needs support" opens a case in one step, from which each need is
 * one step from the nearest services that meet it. The isolated get a weekly wellbeing call.
 */

const HEADERS: Record<string, string[]> = {
  given_name: ['given name', 'given_name', 'first name', 'first_name', 'forename', 'firstname'],
  family_name: ['family name', 'family_name', 'last name', 'last_name', 'surname', 'lastname'],
  date_of_birth: ['date of birth', 'date_of_birth', 'dob', 'birth date'],
  nhs_number: ['nhs number', 'nhs_number', 'nhs no', 'nhs'],
  phone: ['phone', 'telephone', 'phone number', 'phone_number', 'tel'],
  postcode: ['postcode', 'post code', 'postal code'],
};

/** 27/03/1950 or 1950-03-27 → '1950-03-27'; null when not a real date. */
function readDate(value: string): string | null {
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = uk ? `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}` : value;
  return isCalendarDate(iso) ? iso : null;
}

/** A cohort file with problems: nothing is loaded, and the rows to fix are listed under the form. */
export class CohortFileProblems extends Refusal {
  constructor(readonly rows: string[]) {
    super('invalid', 'The file has problems: nothing was loaded. Fix the rows listed below and load it again', 'file');
  }
}

/**
 * A NUL character (bytes the form's own fields never carry, but a damaged or badly converted
 * file can) cannot be stored: the row is named so it can be fixed.
 */
const hasNul = (row: string[]) => row.some((cell) => cell.includes('\u0000'));
const nulProblem = (line: number) => `Row ${line}: the row has a NUL character (an invisible control character, often from a damaged or converted file). Remove it and load the file again`;

/** All or nothing: a file with any bad row is refused with the rows to fix, so nothing is half-loaded. */
function parseCohortCsv(content: string): repo.NewCohortMember[] {
  let records: string[][];
  try {
    records = parse(content.replace(/^\uFEFF/, ''), { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new CohortFileProblems([`The file is not valid CSV: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (records.length < 2) throw new CohortFileProblems(['The file has no rows of people under its header row']);
  if (hasNul(records[0])) throw new CohortFileProblems([nulProblem(1)]);
  const header = records[0].map((h) => h.toLowerCase().trim());
  const index: Record<string, number> = {};
  for (const [key, names] of Object.entries(HEADERS)) index[key] = header.findIndex((h) => names.includes(h));
  const missing = ['given_name', 'family_name'].filter((k) => index[k] < 0);
  if (missing.length) throw new CohortFileProblems(['The header row must name the columns: it needs “first name” and “last name” (and may have date of birth, NHS number, phone and postcode)']);
  if (records.length - 1 > 50_000) throw new CohortFileProblems(['A cohort can have up to 50,000 people: split the file']);
  const errors: string[] = [];
  const members: repo.NewCohortMember[] = [];
  const cell = (row: string[], key: string) => (index[key] >= 0 ? (row[index[key]] ?? '').trim() : '');
  for (let i = 1; i < records.length; i++) {
    const row = records[i];
    const line = i + 1;
    if (hasNul(row)) {
      errors.push(nulProblem(line));
      if (errors.length >= 20) break;
      continue;
    }
    const given = cell(row, 'given_name');
    const family = cell(row, 'family_name');
    if (!given || !family) errors.push(`Row ${line}: enter a first name and a last name`);
    const dobText = cell(row, 'date_of_birth');
    const dob = dobText ? readDate(dobText) : null;
    if (dobText && !dob) errors.push(`Row ${line}: date of birth “${dobText}” is not a real date (use 27/03/1950 or 1950-03-27)`);
    const nhsText = cell(row, 'nhs_number');
    const nhs = nhsText ? normaliseNhsNumber(nhsText) : null;
    if (nhs && !isValidNhsNumber(nhs)) errors.push(`Row ${line}: ${nationVocabulary().personId.name} “${nhsText}” is not valid`);
    const postcodeText = cell(row, 'postcode');
    const postcode = postcodeText ? normalisePostcode(postcodeText) : null;
    if (postcodeText && !postcode) errors.push(`Row ${line}: postcode “${postcodeText}” is not a real postcode`);
    if (given.length > 100 || family.length > 100) errors.push(`Row ${line}: names must be 100 characters or fewer`);
    if (errors.length >= 20) break;
    members.push({ id: crypto.randomUUID(), rowNumber: line, givenName: given, familyName: family, dateOfBirth: dob, nhsNumber: nhs, phone: cell(row, 'phone').slice(0, 40) || null, postcode });
  }
  if (errors.length) throw new CohortFileProblems(errors);
  return members;
}

export async function createCohort(db: Database, actor: Actor, input: { pcnId: string; name: string; description?: string; csv: string }, ip: string | null): Promise<{ cohortId: string; count: number }> {
  if (!canSeePcn(actor, input.pcnId)) throw refuse.forbidden('You can load cohorts only for a PCN you work in.');
  const members = parseCohortCsv(input.csv);
  const cohortId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertCohort(tx, { id: cohortId, pcnId: input.pcnId, name: input.name, description: input.description ?? null, createdBy: actor.userId });
    await repo.insertCohortMembers(tx, cohortId, members);
    await recordAudit(tx, { actor, action: 'created', recordType: 'sp_cohort', recordId: cohortId, ip, details: { name: input.name, people: members.length } });
  });
  return { cohortId, count: members.length };
}

export async function listCohorts(db: Database, actor: Actor) {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can use outreach cohorts.');
  return repo.listCohorts(db, caseloadScope(actor));
}

async function cohortForTeam(db: Queryable, actor: Actor, cohortId: string): Promise<repo.Cohort> {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can use outreach cohorts.');
  const cohort = await repo.findCohort(db, cohortId);
  if (!cohort) throw refuse.notFound('Cohort');
  if (!canSeePcn(actor, cohort.pcnId)) throw refuse.forbidden('Only the link worker team of this PCN can see this cohort.');
  return cohort;
}

export const COHORT_PAGE_SIZE = 50;

export async function viewCohort(db: Database, actor: Actor, cohortId: string, place: CohortListPlace, ip: string | null, clock?: Clock) {
  const cohort = await cohortForTeam(db, actor, cohortId);
  const listing = { filter: place.show, worker: place.worker, today: today(clock) };
  const members = await repo.listCohortMembers(db, cohortId, listing, COHORT_PAGE_SIZE, (place.page - 1) * COHORT_PAGE_SIZE);
  const matching = await repo.countCohortMembers(db, cohortId, listing);
  const team = await peopleRepo.listLinkWorkers(db, cohort.pcnId);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sp_cohort', recordId: cohortId, ip, details: { filter: place.show, worker: place.worker ?? null, page: place.page, people: members.map((m) => m.id) } });
  return { cohort, members, matching, team, today: listing.today };
}

/** The needs found on the person's latest call that found any, each with the directory's need it maps to. */
function needsFound(calls: repo.CohortCall[]) {
  const latest = calls.find((c) => c.needs.length > 0);
  return (latest?.needs ?? []).map((code) => directoryNeedOf(code)).filter((n) => n !== null);
}

export async function viewCohortMember(db: Database, actor: Actor, memberId: string, ip: string | null) {
  const member = await repo.findCohortMember(db, memberId);
  if (!member) throw refuse.notFound('Person in the cohort');
  const cohort = await cohortForTeam(db, actor, member.cohortId);
  const calls = await repo.listCalls(db, memberId);
  const team = await peopleRepo.listLinkWorkers(db, cohort.pcnId);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sp_cohort', recordId: cohort.id, ip, details: { memberId, calls: calls.length } });
  return { cohort, member, calls, team, needsFound: needsFound(calls) };
}

export type CallInput = { outcome: 'no_answer' | 'no_needs' | 'needs_support' | 'declined'; needs: string[]; notes?: string; weekly?: 'yes'; version: number };

/**
 * Records the call, with the needs found, as a call of the cohort and a contact. "Needs support"
 * makes (or finds, by NHS number) the person in the PCN and opens a case assigned to the caller,
 * once, in the same transaction. "Weekly" keeps a wellbeing call due every seven days. The form
 * carries the version it was drawn from: a colleague's call saved in between is not overwritten.
 */
export async function recordCohortCall(db: Database, actor: Actor, memberId: string, input: CallInput, ip: string | null, clock?: Clock): Promise<{ cohortId: string; caseId: string | null; openedCase: boolean; name: string; nextCallOn: string | null }> {
  const member = await repo.findCohortMember(db, memberId);
  if (!member) throw refuse.notFound('Person in the cohort');
  const cohort = await cohortForTeam(db, actor, member.cohortId);
  if (member.version !== input.version) throw staleVersion('person’s call record');
  const on = today(clock);
  const weeklyCall = input.weekly === 'yes';
  const nextCallOn = weeklyCall ? addDays(on, 7) : null;
  return db.transaction(async (tx) => {
    const saved = await repo.recordCohortOutcome(tx, memberId, input.version, { outcome: input.outcome, on, by: actor.userId, weeklyCall, nextCallOn });
    if (!saved) throw staleVersion('person’s call record');
    let personId = member.personId;
    let caseId = member.caseId;
    let openedCase = false;
    if (input.outcome === 'needs_support' && !caseId) {
      const [existing] = member.nhsNumber ? await peopleRepo.findPossibleDuplicates(tx, [cohort.pcnId], member) : [];
      personId = existing?.id ?? crypto.randomUUID();
      if (!existing) {
        await peopleRepo.insertPerson(tx, { id: personId, pcnId: cohort.pcnId, gpPracticeId: member.gpPracticeId, givenName: member.givenName, familyName: member.familyName, dateOfBirth: member.dateOfBirth, nhsNumber: member.nhsNumber, address: null, postcode: member.postcode, phone: member.phone, email: null, preferredContact: 'phone', communicationNeeds: null });
        await auditPerson(tx, actor, 'created', personId, ip, { part: 'person', via: 'cohort', cohortId: cohort.id });
      }
      await addConsentTx(tx, actor, personId, { kind: 'contact', given: true, fields: [], organisationId: null }, on);
      const team = await peopleRepo.listLinkWorkers(tx, cohort.pcnId);
      caseId = crypto.randomUUID();
      openedCase = true;
      await casesRepo.insertCase(tx, { id: caseId, personId, referralId: null, pcnId: cohort.pcnId, linkWorkerId: team.some((t) => t.id === actor.userId) ? actor.userId : null, openedOn: on, status: 'active' });
      await auditPerson(tx, actor, 'case_opened', personId, ip, { caseId, via: 'cohort', cohortId: cohort.id });
      await repo.recordCaseOf(tx, memberId, personId, caseId);
    }
    const neededWords = input.needs.map((code) => directoryNeedOf(code)?.callNeed.name).filter(Boolean);
    const contactNotes = [neededWords.length ? `Needs: ${neededWords.join(', ')}.` : '', input.notes ?? ''].filter(Boolean).join(' ') || null;
    await casesRepo.insertContact(tx, { id: crypto.randomUUID(), caseId, personId, cohortMemberId: memberId, method: 'phone', outcome: input.outcome === 'no_answer' ? 'attempted' : 'made', contactedOn: on, durationMinutes: null, notes: contactNotes, recordedBy: actor.userId, recordedByName: actor.name });
    if (caseId) await casesRepo.refreshCaseSummary(tx, caseId);
    await repo.insertCall(tx, { id: crypto.randomUUID(), cohortId: cohort.id, memberId, calledOn: on, outcome: input.outcome, needs: input.needs, notes: input.notes ?? null, weeklyCall, calledBy: actor.userId, calledByName: actor.name });
    await recordAudit(tx, { actor, action: 'call_recorded', recordType: 'sp_cohort', recordId: cohort.id, ip, details: { memberId, outcome: input.outcome, needs: input.needs, weeklyCall, caseId } });
    return { cohortId: cohort.id, caseId, openedCase, name: `${member.givenName} ${member.familyName}`, nextCallOn };
  });
}

/** The link worker must be in the PCN's team; 'none' gives the people back to nobody. */
async function assigneeIn(db: Queryable, cohort: repo.Cohort, assignee: string) {
  if (assignee === 'none') return null;
  const team = await peopleRepo.listLinkWorkers(db, cohort.pcnId);
  const found = team.find((t) => t.id === assignee);
  if (!found) throw refuse.invalid('assignee', `Choose a link worker in ${cohort.pcnName}’s team: the person chosen is not one`);
  return found;
}

/** Gives the ticked people to a link worker (or to nobody). All of them must be in this cohort. */
export async function assignCohortMembers(db: Database, actor: Actor, cohortId: string, input: { members: string[]; assignee: string }, ip: string | null): Promise<{ changed: number; to: string }> {
  const cohort = await cohortForTeam(db, actor, cohortId);
  const worker = await assigneeIn(db, cohort, input.assignee);
  const ids = [...new Set(input.members)];
  return db.transaction(async (tx) => {
    if ((await repo.countInCohort(tx, cohortId, ids)) !== ids.length) throw refuse.invalid('members', 'Some of the people chosen are not in this cohort: nobody was reassigned. Choose people from this list');
    const changed = await repo.assignMembers(tx, cohortId, ids, worker?.id ?? null);
    await recordAudit(tx, { actor, action: 'assigned', recordType: 'sp_cohort', recordId: cohortId, ip, details: { members: ids, assignee: worker?.id ?? null } });
    return { changed, to: worker?.name ?? 'nobody' };
  });
}

/** Shares the people nobody is calling yet between the chosen link workers, in even runs of the list. */
export async function shareOutCohort(db: Database, actor: Actor, cohortId: string, input: { workers: string[] }, ip: string | null): Promise<{ shares: { name: string; people: number }[] }> {
  const cohort = await cohortForTeam(db, actor, cohortId);
  const team = await peopleRepo.listLinkWorkers(db, cohort.pcnId);
  const workers = [...new Set(input.workers)].map((id) => team.find((t) => t.id === id));
  if (workers.some((w) => !w)) throw refuse.invalid('workers', `Choose link workers in ${cohort.pcnName}’s team: someone chosen is not one`);
  return db.transaction(async (tx) => {
    const unassigned = await repo.unassignedMemberIds(tx, cohortId);
    if (!unassigned.length) throw refuse.conflict('workers', 'Everyone in this cohort already has a link worker calling them. To change who calls whom, tick people on the list and assign them');
    const size = Math.ceil(unassigned.length / workers.length);
    const shares: { name: string; people: number }[] = [];
    for (const [i, w] of workers.entries()) {
      const run = unassigned.slice(i * size, (i + 1) * size);
      if (run.length) await repo.assignMembers(tx, cohortId, run, w!.id);
      shares.push({ name: w!.name, people: run.length });
    }
    await recordAudit(tx, { actor, action: 'shared_out', recordType: 'sp_cohort', recordId: cohortId, ip, details: { shares: workers.map((w, i) => ({ assignee: w!.id, people: shares[i].people })) } });
    return { shares };
  });
}

/** One person to another link worker, from their page; the form's version guards a colleague's change. */
export async function reassignCohortMember(db: Database, actor: Actor, memberId: string, input: { assignee: string; version: number }, ip: string | null): Promise<{ cohortId: string; to: string }> {
  const member = await repo.findCohortMember(db, memberId);
  if (!member) throw refuse.notFound('Person in the cohort');
  const cohort = await cohortForTeam(db, actor, member.cohortId);
  const worker = await assigneeIn(db, cohort, input.assignee);
  return db.transaction(async (tx) => {
    if (!(await repo.assignMember(tx, memberId, input.version, worker?.id ?? null))) throw staleVersion('person’s call record');
    await recordAudit(tx, { actor, action: 'assigned', recordType: 'sp_cohort', recordId: cohort.id, ip, details: { members: [memberId], assignee: worker?.id ?? null } });
    return { cohortId: cohort.id, to: worker?.name ?? 'nobody' };
  });
}

export const progressStatuses = ['not_called', 'no_answer', 'no_needs', 'needs_support', 'declined'] as const;
type ProgressStatus = (typeof progressStatuses)[number];
export type WorkerProgress = { workerId: string | null; name: string; counts: Record<ProgressStatus, number>; total: number; called: number };

/** Each link worker's share of the cohort (and the people nobody is calling yet) by where they are. */
export async function cohortProgress(db: Database, actor: Actor, cohortId: string, ip: string | null) {
  const cohort = await cohortForTeam(db, actor, cohortId);
  const rows = await repo.progressByWorker(db, cohortId);
  const byWorker = new Map<string | null, WorkerProgress>();
  const empty = () => Object.fromEntries(progressStatuses.map((s) => [s, 0])) as Record<ProgressStatus, number>;
  for (const row of rows) {
    const entry = byWorker.get(row.workerId) ?? { workerId: row.workerId, name: row.workerName ?? 'Not assigned', counts: empty(), total: 0, called: 0 };
    entry.counts[row.status as ProgressStatus] += row.people;
    entry.total += row.people;
    if (row.status !== 'not_called') entry.called += row.people;
    byWorker.set(row.workerId, entry);
  }
  const workers = [...byWorker.values()];
  const totals: WorkerProgress = { workerId: null, name: 'Everyone', counts: empty(), total: 0, called: 0 };
  for (const w of workers) {
    for (const s of progressStatuses) totals.counts[s] += w.counts[s];
    totals.total += w.total;
    totals.called += w.called;
  }
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sp_cohort', recordId: cohortId, ip, details: { part: 'progress' } });
  return { cohort, workers, totals };
}

/** The calls a link worker has due (first calls not yet answered, weekly calls due): for their home page. */
export async function callsDueFor(db: Queryable, actor: Actor, clock?: Clock): Promise<{ count: number; href: string }> {
  const count = hasRole(actor, 'link_worker') ? await repo.countCallsDue(db, actor.userId, today(clock)) : 0;
  return { count, href: '/social-prescribing/calls-due' };
}

/** The list of the actor's own calls due, across the cohorts of their PCNs. */
export async function myCallsDue(db: Database, actor: Actor, ip: string | null, clock?: Clock) {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can use outreach cohorts.');
  const on = today(clock);
  const calls = await repo.listCallsDue(db, actor.userId, on, 200);
  const count = await repo.countCallsDue(db, actor.userId, on);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sp_cohort_calls_due', recordId: actor.userId, ip, details: { people: calls.map((c) => c.memberId) } });
  return { calls, count, today: on };
}

/** The PCNs the actor may load a cohort for. */
export async function cohortPcns(db: Database, actor: Actor) {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can use outreach cohorts.');
  const scope = caseloadScope(actor);
  return peopleRepo.listPcns(db, scope === 'all' ? undefined : scope);
}

