import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse, staleVersion } from '../../../platform/refusal.ts';
import { canEditAssurance, canManageSharing, canSignFor } from '../information-sharing.policy.ts';
import * as repo from './assurance.repository.ts';
import type { AssuranceForm } from './assurance.schemas.ts';

/*
 * Organisation assurance and the overarching protocol (tier 1). An organisation joins agreements
 * only once its set-up checklist is complete: a senior signatory named, its assurance submitted,
 * the current protocol signed by that signatory.
 */

export type ChecklistStep = { step: string; done: boolean; detail: string };

const assuranceComplete = (a: repo.Assurance) =>
  !!(a.icoRegistration && a.dsptStatus && a.dsptYear && a.dpoName && a.caldicottGuardianName && a.siroName && a.igLeadName);

/** The three set-up steps, in order, each done or not with what is missing. */
export function checklist(a: repo.Assurance, protocol: repo.Protocol | undefined): ChecklistStep[] {
  return [
    { step: 'Senior signatory named', done: !!a.seniorSignatoryUserId, detail: a.seniorSignatoryName ?? 'No senior signatory is named' },
    { step: 'Assurance submitted', done: !!a.submittedAt && assuranceComplete(a), detail: a.submittedAt ? 'Submitted' : 'ICO registration, DSPT status and year, DPO, Caldicott Guardian, SIRO and IG lead are not all recorded' },
    {
      step: 'Protocol signed',
      done: !!protocol && a.protocolVersionSigned === protocol.version,
      detail: !protocol ? 'The partnership has not published its protocol yet' : a.protocolVersionSigned === protocol.version ? `Version ${protocol.version} signed` : a.protocolVersionSigned ? `Signed version ${a.protocolVersionSigned}, not the current version ${protocol.version}` : `Version ${protocol.version} not signed yet`,
    },
  ];
}

/** A sentence's first word, lower-cased to stand inside another sentence; an acronym (ICO) stays as it is. */
const midSentence = (detail: string) => (/^[A-Z][a-z]/.test(detail) ? detail.charAt(0).toLowerCase() + detail.slice(1) : detail);

/** What an organisation still has to do before it can join an agreement (empty when set up). */
export async function setUpGaps(db: Queryable, organisationId: string): Promise<{ name: string; missing: string[] }> {
  const a = await repo.findAssurance(db, organisationId);
  if (!a) throw refuse.invalid('organisationId', 'Choose an organisation from the list');
  const steps = checklist(a, await repo.currentProtocol(db));
  return { name: a.organisationName, missing: steps.filter((s) => !s.done).map((s) => `${s.step.toLowerCase()} (${midSentence(s.detail)})`) };
}

export async function viewOrganisation(db: Database, actor: Actor, organisationId: string) {
  const a = await repo.findAssurance(db, organisationId);
  if (!a) throw refuse.notFound('Organisation');
  const protocol = await repo.currentProtocol(db);
  return { assurance: a, protocol, steps: checklist(a, protocol), members: await repo.membersOf(db, organisationId), canEdit: canEditAssurance(actor, organisationId), canSign: canSignFor(actor, a.seniorSignatoryUserId) };
}

/** Every partner's assurance and checklist at a glance, for IG leads and admins. */
export async function assuranceAtAGlance(db: Database, actor: Actor) {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can see every partner’s assurance.');
  const protocol = await repo.currentProtocol(db);
  const rows = await repo.listAssurances(db);
  return { protocol, rows: rows.map((a) => ({ ...a, steps: checklist(a, protocol) })), organisations: await repo.listOrganisations(db) };
}

export async function saveAssurance(db: Database, actor: Actor, organisationId: string, form: AssuranceForm, ip: string | null): Promise<{ submitted: boolean }> {
  if (!canEditAssurance(actor, organisationId)) throw refuse.forbidden('Only the organisation’s own editors and information governance leads, or the partnership’s, can change its assurance.');
  const before = await repo.findAssurance(db, organisationId);
  if (!before) throw refuse.notFound('Organisation');
  if (form.seniorSignatoryUserId && !(await repo.membersOf(db, organisationId)).some((m) => m.id === form.seniorSignatoryUserId)) {
    throw refuse.invalid('seniorSignatoryUserId', `The senior signatory must be someone who works for ${before.organisationName}`);
  }
  const { version, ...fields } = form;
  const submitted = assuranceComplete({ ...before, ...fields } as repo.Assurance);
  await db.transaction(async (tx) => {
    if (!(await repo.saveAssurance(tx, organisationId, version, fields, submitted))) throw staleVersion('assurance record');
    await recordAudit(tx, { actor, action: 'updated', recordType: 'sharing_assurance', recordId: organisationId, ip, details: { submitted } });
  });
  return { submitted };
}

export async function publishProtocol(db: Database, actor: Actor, p: { title: string; body: string }, ip: string | null): Promise<number> {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can publish the protocol.');
  const id = crypto.randomUUID();
  return db.transaction(async (tx) => {
    const version = await repo.insertProtocol(tx, { id, title: p.title, body: p.body, publishedBy: actor.userId });
    await recordAudit(tx, { actor, action: 'published', recordType: 'sharing_protocol', recordId: id, ip, details: { version } });
    return version;
  });
}

export async function viewProtocol(db: Database, actor: Actor) {
  const mine = [];
  for (const m of actor.memberships) {
    const a = await repo.findAssurance(db, m.organisationId);
    if (a && canSignFor(actor, a.seniorSignatoryUserId)) mine.push(a);
  }
  return { protocol: await repo.currentProtocol(db), versions: await repo.listProtocols(db), canPublish: canManageSharing(actor), signFor: mine };
}

/** The organisation's senior signatory signs the current protocol, once per version. */
export async function signProtocol(db: Database, actor: Actor, organisationId: string, protocolVersion: number, ip: string | null): Promise<void> {
  const a = await repo.findAssurance(db, organisationId);
  if (!a) throw refuse.notFound('Organisation');
  if (!a.seniorSignatoryUserId) throw refuse.conflict('form', `${a.organisationName} has not named a senior signatory yet: name one before signing the protocol.`);
  if (!canSignFor(actor, a.seniorSignatoryUserId)) throw refuse.forbidden(`Only ${a.organisationName}’s senior signatory, ${a.seniorSignatoryName}, can sign the protocol for it.`);
  const protocol = await repo.currentProtocol(db);
  if (!protocol) throw refuse.conflict('form', 'The partnership has not published its protocol yet.');
  if (protocol.version !== protocolVersion) throw refuse.conflict('form', `You were reading version ${protocolVersion} of the protocol; version ${protocol.version} has been published since. Read it and sign again.`);
  await db.transaction(async (tx) => {
    if (!(await repo.signProtocol(tx, { organisationId, protocolId: protocol.id, userId: actor.userId, name: actor.name }))) throw refuse.conflict('form', `${a.organisationName} has already signed version ${protocol.version}.`);
    await recordAudit(tx, { actor, action: 'signed', recordType: 'sharing_protocol', recordId: protocol.id, ip, details: { organisationId, version: protocol.version } });
  });
}
