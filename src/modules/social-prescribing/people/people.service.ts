import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { changedFields, recordAudit } from '../../../platform/audit.ts';
import { ukToday } from '../../../platform/dates.ts';
import { isUuid } from '../../../platform/ids.ts';
import { Refusal, refuse, staleVersion } from '../../../platform/refusal.ts';
import * as repo from './people.repository.ts';
import * as referralsRepo from '../referrals/referrals.repository.ts';
import * as casesRepo from '../cases/cases.repository.ts';
import { canSeePcn, canUseCaseload, caseloadScope } from '../social-prescribing.policy.ts';
import type { PersonInput } from '../social-prescribing.schemas.ts';
import { recordPersonChoice } from '../../information-sharing/index.ts';

/*
 * People and their consent. Every read of a person's record and every change is written to the
 * audit log (record type 'sp_person', the person's id), changes in the same transaction, so the
 * information governance lead can list who looked.
 */

export type Clock = { now?: Date };
export const today = (clock?: Clock) => ukToday(clock?.now ?? new Date());

/** The person may already have a record the actor can see: the existing records are offered instead. */
export class PossibleDuplicates extends Refusal {
  constructor(readonly duplicates: repo.Person[]) {
    super('conflict', 'This person may already have a record. Use the existing record, or tick “This is a different person” and send the form again.', 'createAnyway', 'This person may already have a record');
  }
}

/** A person's own details as the person and their link worker know them (edit form, subject access export). */
export function personDetails(person: repo.Person) {
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    dateOfBirth: person.dateOfBirth,
    nhsNumber: person.nhsNumber,
    address: person.address,
    postcode: person.postcode,
    phone: person.phone,
    email: person.email,
    preferredContact: person.preferredContact,
    communicationNeeds: person.communicationNeeds,
  };
}

export async function auditPerson(db: Queryable, actor: Actor | null, action: string, personId: string, ip: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await recordAudit(db, { actor, action, recordType: 'sp_person', recordId: personId, ip, details });
}

/**
 * The entries auditPerson writes one at a time, for every person shown on a list (the caseload,
 * the anonymise list, possible duplicates), written in one statement however long the list.
 */
export async function auditPeople(db: Queryable, actor: Actor | null, action: string, entries: { personId: string; details: Record<string, unknown> }[], ip: string | null): Promise<void> {
  await repo.insertPersonAudits(db, { actorUserId: actor?.userId ?? null, actorName: actor?.name ?? null, action, ip, personIds: entries.map((e) => e.personId), details: entries.map((e) => e.details) });
}

/** The person, if the actor is in their PCN's link worker team (or an admin). */
export async function personForTeam(db: Queryable, actor: Actor, personId: string): Promise<repo.Person> {
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can see people’s records.');
  if (!isUuid(personId)) throw refuse.notFound('Person');
  const person = await repo.findPerson(db, personId);
  if (!person) throw refuse.notFound('Person');
  if (!canSeePcn(actor, person.pcnId)) throw refuse.forbidden('Only the link worker team of this person’s PCN can see their record.');
  return person;
}

/** The PCN a GP practice belongs to: where its patients' referrals go. */
export async function pcnForPractice(db: Queryable, gpPracticeId: string): Promise<string> {
  const practice = await repo.findOrganisation(db, gpPracticeId);
  if (!practice || practice.kind !== 'gp_practice') throw refuse.invalid('gpPracticeId', 'Select their GP practice');
  if (!practice.parentOrganisationId) throw refuse.invalid('gpPracticeId', 'This practice is not part of a PCN yet. Ask a partnership admin to set the practice’s PCN.');
  return practice.parentOrganisationId;
}

export function newPerson(id: string, pcnId: string, input: PersonInput): repo.NewPerson {
  return {
    id,
    pcnId,
    gpPracticeId: input.gpPracticeId,
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    nhsNumber: input.nhsNumber ?? null,
    address: input.address ?? null,
    postcode: input.postcode,
    phone: input.phone ?? null,
    email: input.email ?? null,
    preferredContact: input.preferredContact,
    communicationNeeds: input.communicationNeeds ?? null,
  };
}

/**
 * Offering possible duplicates shows each one's name, date of birth and postcode: a view of each
 * of their records ('possible_duplicate', with the page or answer that showed it).
 */
export async function auditDuplicatesShown(db: Queryable, actor: Actor, duplicates: repo.Person[], ip: string | null, details: { via: string; shownWith?: string }): Promise<void> {
  await auditPeople(db, actor, 'viewed', duplicates.map((d) => ({ personId: d.id, details: { part: 'possible_duplicate', ...details } })), ip);
}

export const duplicateCheck = (input: PersonInput): repo.DuplicateCheck => ({ nhsNumber: input.nhsNumber ?? null, familyName: input.familyName, dateOfBirth: input.dateOfBirth, postcode: input.postcode });

/**
 * Creates a person unless they may already have a record the actor can see (same NHS number,
 * or same last name, date of birth and postcode): then PossibleDuplicates offers those instead.
 */
export async function createPerson(db: Database, actor: Actor, input: PersonInput, options: { allowDuplicate: boolean; ip: string | null; consentToContact?: boolean }): Promise<repo.Person> {
  const { ip } = options;
  if (!canUseCaseload(actor)) throw refuse.forbidden('Only link workers and partnership admins can add people.');
  const pcnId = await pcnForPractice(db, input.gpPracticeId);
  if (!canSeePcn(actor, pcnId)) throw refuse.forbidden('You can add people only to your own PCN’s caseload. To refer someone, use the referral form.');
  if (!options.allowDuplicate) {
    const duplicates = await repo.findPossibleDuplicates(db, caseloadScope(actor), duplicateCheck(input));
    if (duplicates.length) {
      await auditDuplicatesShown(db, actor, duplicates, ip, { via: 'api' });
      throw new PossibleDuplicates(duplicates);
    }
  }
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertPerson(tx, newPerson(id, pcnId, input));
    if (options.consentToContact) await addConsentTx(tx, actor, id, { kind: 'contact', given: true, fields: [], organisationId: null });
    await auditPerson(tx, actor, 'created', id, options.ip);
  });
  return (await repo.findPerson(db, id))!;
}

/** Records a consent inside the caller's transaction (the self-referral's is recorded with no actor). */
export async function addConsentTx(tx: Queryable, actor: Actor | null, personId: string, c: { kind: string; given: boolean; fields: string[]; organisationId: string | null }, on?: string): Promise<void> {
  await repo.insertConsent(tx, {
    id: crypto.randomUUID(),
    personId,
    kind: c.kind,
    organisationId: c.organisationId,
    fields: c.fields,
    given: c.given,
    recordedOn: on ?? ukToday(),
    recordedBy: actor?.userId ?? null,
    recordedByName: actor?.name ?? 'The person (self-referral)',
  });
}

export async function recordConsent(db: Database, actor: Actor, personId: string, c: { kind: 'contact' | 'share_with_organisation' | 'share_outcomes_with_gp'; given: boolean }, ip: string | null): Promise<void> {
  await personForTeam(db, actor, personId);
  await db.transaction(async (tx) => {
    await addConsentTx(tx, actor, personId, { kind: c.kind, given: c.given, fields: [], organisationId: null });
    // A withdrawal or objection stops the information sharing flows this consent covers, at once (and consent given again lets them go).
    await recordPersonChoice(tx, { personId, consentKind: c.kind, given: c.given, recordedOn: ukToday(), recordedByName: actor.name });
    await auditPerson(tx, actor, 'consent_recorded', personId, ip, { kind: c.kind, given: c.given });
  });
}

type PersonView = { person: repo.Person; practiceName: string | null; consents: repo.Consent[]; referrals: referralsRepo.Referral[]; cases: casesRepo.Case[]; possibleDuplicates: repo.Person[] };

/** The person's page (with any possible duplicates, each a view of that record too), or the API's person (without). */
export async function viewPerson(db: Database, actor: Actor, personId: string, ip: string | null, via: 'page' | 'api' = 'page'): Promise<PersonView> {
  const person = await personForTeam(db, actor, personId);
  const [practice, consents, referrals, cases, matches] = await Promise.all([
    person.gpPracticeId ? repo.findOrganisation(db, person.gpPracticeId) : null,
    repo.listConsents(db, personId),
    referralsRepo.listReferralsForPerson(db, personId),
    casesRepo.listCasesForPerson(db, personId),
    person.anonymisedAt || via === 'api' ? [] : repo.findPossibleDuplicates(db, [person.pcnId], person),
  ]);
  const possibleDuplicates = matches.filter((m) => m.id !== personId);
  await auditPerson(db, actor, 'viewed', personId, ip, { part: 'person' });
  await auditDuplicatesShown(db, actor, possibleDuplicates, ip, { via: 'person_page', shownWith: personId });
  return { person, practiceName: practice?.name ?? null, consents, referrals, cases, possibleDuplicates };
}

/** The edit form's person: reading it is a view of their record. */
export async function personToEdit(db: Database, actor: Actor, personId: string, ip: string | null): Promise<repo.Person> {
  const person = await personForTeam(db, actor, personId);
  await auditPerson(db, actor, 'viewed', personId, ip, { part: 'edit_form' });
  return person;
}

export async function updatePerson(db: Database, actor: Actor, personId: string, version: number, input: PersonInput, ip: string | null): Promise<void> {
  const before = await personForTeam(db, actor, personId);
  const pcnId = await pcnForPractice(db, input.gpPracticeId);
  if (!canSeePcn(actor, pcnId)) throw refuse.forbidden('You can move a person only to a practice in a PCN you work in.');
  const { id: _id, ...fields } = newPerson(personId, pcnId, input);
  await db.transaction(async (tx) => {
    if (!(await repo.updatePerson(tx, personId, version, fields))) throw staleVersion('person’s details');
    await auditPerson(tx, actor, 'updated', personId, ip, { part: 'person', changes: snakeChanges(changedFields(before as unknown as Record<string, unknown>, fields)) });
  });
}

/** The audit log has always named changed fields by their column names: keep its history readable as one. */
export function snakeChanges(changes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

export const listGpPractices = (db: Queryable) => repo.listGpPractices(db);
