import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { isCalendarDate } from '../../../platform/dates.ts';
import { Refusal, refuse } from '../../../platform/refusal.ts';
import { normalisePostcode } from '../../directory/index.ts';
import * as repo from './cohorts.repository.ts';
import * as peopleRepo from '../people/people.repository.ts';
import * as casesRepo from '../cases/cases.repository.ts';
import { canSeePcn, canUseCaseload, caseloadScope } from '../social-prescribing.policy.ts';
import { addConsentTx, auditPerson, today, type Clock } from '../people/people.service.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../nhs-number.ts';
import { nationVocabulary } from '../../../platform/nation.ts';

/*
 * Outreach cohorts: a list of people (a CSV, such as everyone on a shielding list) that a PCN's
 * team works through by phone. Calls are contacts, not social prescribing referrals; "needs
 * support" opens a case in one step.
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

async function cohortForTeam(db: Database, actor: Actor, cohortId: string): Promise<repo.Cohort> {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can use outreach cohorts.');
  const cohort = await repo.findCohort(db, cohortId);
  if (!cohort) throw refuse.notFound('Cohort');
  if (!canSeePcn(actor, cohort.pcnId)) throw refuse.forbidden('Only the link worker team of this PCN can see this cohort.');
  return cohort;
}

export const COHORT_PAGE_SIZE = 50;

export async function viewCohort(db: Database, actor: Actor, cohortId: string, filter: 'to_call' | 'all', page: number, ip: string | null) {
  const cohort = await cohortForTeam(db, actor, cohortId);
  const members = await repo.listCohortMembers(db, cohortId, filter, COHORT_PAGE_SIZE, (page - 1) * COHORT_PAGE_SIZE);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sp_cohort', recordId: cohortId, ip, details: { filter, page } });
  return { cohort, members };
}

export async function viewCohortMember(db: Database, actor: Actor, memberId: string, ip: string | null) {
  const member = await repo.findCohortMember(db, memberId);
  if (!member) throw refuse.notFound('Person in the cohort');
  const cohort = await cohortForTeam(db, actor, member.cohortId);
  await recordAudit(db, { actor, action: 'viewed', recordType: 'sp_cohort', recordId: cohort.id, ip, details: { memberId } });
  return { cohort, member };
}

/**
 * Records the call as a contact. "Needs support" makes (or finds, by NHS number) the person in
 * the PCN and opens a case assigned to the caller, in the same transaction.
 */
export async function recordCohortCall(db: Database, actor: Actor, memberId: string, input: { outcome: 'no_answer' | 'no_needs' | 'needs_support' | 'declined'; notes?: string }, ip: string | null, clock?: Clock): Promise<{ cohortId: string; caseId: string | null }> {
  const { cohort, member } = await viewCohortMember(db, actor, memberId, ip);
  if (member.outcome && member.outcome !== 'no_answer') throw refuse.conflict('outcome', `This person’s call is already recorded. The outcome was “${member.outcome.replace(/_/g, ' ')}”.`);
  const on = today(clock);
  return db.transaction(async (tx) => {
    let personId: string | null = null;
    let caseId: string | null = null;
    if (input.outcome === 'needs_support') {
      const [existing] = member.nhsNumber ? await peopleRepo.findPossibleDuplicates(tx, [cohort.pcnId], member) : [];
      personId = existing?.id ?? crypto.randomUUID();
      if (!existing) {
        await peopleRepo.insertPerson(tx, { id: personId, pcnId: cohort.pcnId, gpPracticeId: member.gpPracticeId, givenName: member.givenName, familyName: member.familyName, dateOfBirth: member.dateOfBirth, nhsNumber: member.nhsNumber, address: null, postcode: member.postcode, phone: member.phone, email: null, preferredContact: 'phone', communicationNeeds: null });
        await auditPerson(tx, actor, 'created', personId, ip, { part: 'person', via: 'cohort', cohortId: cohort.id });
      }
      await addConsentTx(tx, actor, personId, { kind: 'contact', given: true, fields: [], organisationId: null }, on);
      const team = await peopleRepo.listLinkWorkers(tx, cohort.pcnId);
      caseId = crypto.randomUUID();
      await casesRepo.insertCase(tx, { id: caseId, personId, referralId: null, pcnId: cohort.pcnId, linkWorkerId: team.some((t) => t.id === actor.userId) ? actor.userId : null, openedOn: on, status: 'active' });
      await auditPerson(tx, actor, 'case_opened', personId, ip, { caseId, via: 'cohort', cohortId: cohort.id });
    }
    await casesRepo.insertContact(tx, { id: crypto.randomUUID(), caseId, personId, cohortMemberId: memberId, method: 'phone', outcome: input.outcome === 'no_answer' ? 'attempted' : 'made', contactedOn: on, durationMinutes: null, notes: input.notes ?? null, recordedBy: actor.userId, recordedByName: actor.name });
    if (caseId) await casesRepo.refreshCaseSummary(tx, caseId);
    await repo.recordCohortOutcome(tx, memberId, { outcome: input.outcome, on, by: actor.userId, personId, caseId });
    await recordAudit(tx, { actor, action: 'call_recorded', recordType: 'sp_cohort', recordId: cohort.id, ip, details: { memberId, outcome: input.outcome, caseId } });
    return { cohortId: cohort.id, caseId };
  });
}

/** The PCNs the actor may load a cohort for. */
export async function cohortPcns(db: Database, actor: Actor) {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can use outreach cohorts.');
  const scope = caseloadScope(actor);
  return peopleRepo.listPcns(db, scope === 'all' ? undefined : scope);
}
