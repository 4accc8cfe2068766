import crypto from 'node:crypto';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { ukToday } from '../../../platform/dates.ts';
import { refuse, staleVersion } from '../../../platform/refusal.ts';
import { canManageSharing, canReadAgreements, canSignFor } from '../information-sharing.policy.ts';
import { agreementGaps, isSpecialCategory, itemName, needsSchedule1 } from '../catalogue.ts';
import { setUpGaps } from '../assurance/assurance.service.ts';
import * as repo from './agreements.repository.ts';
import type { AgreementForm, FlowForm, PartyForm, PurposeForm, SignForm } from './agreements.schemas.ts';

/*
 * Agreements for a purpose, written from the policy end: purpose and uses first, then parties
 * and flows, then how the data is looked after. Each party's signatory signs the exact version
 * (its fingerprint); any change needs signing again. Active only when every party has signed
 * and the start date has come; not active from the end date.
 */

export type Clock = { now?: Date };
const today = (clock?: Clock) => ukToday(clock?.now ?? new Date());

/** SHA-256 of the agreement's canonical content: what each party signs. */
export function fingerprintOf(a: repo.AgreementDetails & { parties: { organisationId: string; role: string }[]; flows: repo.NewFlow[] }): string {
  const canonical = {
    title: a.title,
    purpose: a.purpose,
    benefits: a.benefits,
    uses: [...a.uses].sort(),
    retention: a.retention,
    security: a.security,
    rightsRequests: a.rightsRequests,
    rightsContact: a.rightsContact,
    breachProcedure: a.breachProcedure,
    startOn: a.startOn,
    reviewOn: a.reviewOn,
    endOn: a.endOn,
    parties: a.parties.map((p) => [p.organisationId, p.role]).sort((x, y) => x[0].localeCompare(y[0])),
    flows: a.flows
      .map((f) => ({
        id: f.id,
        flowType: f.flowType,
        from: f.fromOrganisationId,
        to: f.toOrganisationId,
        dataItems: [...f.dataItems].sort(),
        identifiability: f.identifiability,
        frequency: f.frequency,
        method: f.method,
        article6: f.article6,
        article9: f.article9,
        schedule1: f.schedule1,
        confidentialityBasis: f.confidentialityBasis,
        optOutApplies: f.optOutApplies,
        caldicott: Object.keys(f.caldicott).sort().map((k) => [k, f.caldicott[k]]),
      }))
      .sort((x, y) => x.id.localeCompare(y.id)),
  };
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export type AgreementState = 'draft' | 'awaiting_signatures' | 'signed_not_started' | 'active' | 'ended';
export const stateNames: Record<AgreementState, string> = { draft: 'Draft', awaiting_signatures: 'Waiting for signatures', signed_not_started: 'Signed, not started', active: 'Active', ended: 'Ended' };

/**
 * Where an agreement stands from its dates and how many parties have signed, for lists and reports
 * that do not check its completeness (agreementStatus does, for the agreement's own page).
 */
export function stateBySignatures(a: { endOn: string | null; startOn: string | null }, signed: number, parties: number, on: string): Exclude<AgreementState, 'draft'> {
  if (a.endOn && on >= a.endOn) return 'ended';
  if (parties === 0 || signed !== parties) return 'awaiting_signatures';
  return a.startOn && on < a.startOn ? 'signed_not_started' : 'active';
}

const flowLabel = (f: repo.Flow, i: number) => `${i + 1} (${f.fromName} to ${f.toName})`;

/** Where the agreement stands: what it still needs, who has signed this version, whether it is active. */
export function agreementStatus(a: repo.Agreement, on: string) {
  const gaps = agreementGaps({ ...a, flows: a.flows.map((f, i) => ({ ...f, label: flowLabel(f, i) })) });
  const current = new Map(a.signatures.filter((s) => s.fingerprint === a.fingerprint).map((s) => [s.organisationId, s]));
  const waitingFor = a.parties.filter((p) => !current.has(p.organisationId));
  const state: AgreementState =
    a.endOn && on >= a.endOn ? 'ended' : gaps.length ? 'draft' : waitingFor.length ? 'awaiting_signatures' : a.startOn && on < a.startOn ? 'signed_not_started' : 'active';
  return { state, stateName: stateNames[state], gaps, current, waitingFor };
}

/** The start of this quarter (UK calendar quarters: January, April, July, October). */
export function quarterStart(on: string): string {
  const [y, m] = on.split('-').map(Number);
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

async function refreshFingerprint(tx: Queryable, id: string): Promise<repo.Agreement> {
  const a = (await repo.findAgreement(tx, id))!;
  const fingerprint = fingerprintOf(a);
  await repo.setFingerprint(tx, id, fingerprint);
  return { ...a, fingerprint };
}

const onlyManagers = () => refuse.forbidden('Only information governance leads and partnership admins can write agreements.');

async function agreementFor(db: Queryable, id: string): Promise<repo.Agreement> {
  const a = await repo.findAgreement(db, id);
  if (!a) throw refuse.notFound('Agreement');
  return a;
}

export async function listAgreements(db: Database, actor: Actor, clock?: Clock) {
  if (!canReadAgreements(actor)) throw refuse.forbidden('Only people working for an organisation in the partnership can read its agreements.');
  const on = today(clock);
  return (await repo.listAgreements(db)).map((a) => ({
    ...a,
    stateName: ((state) => (state === 'awaiting_signatures' ? `${a.signed} of ${a.parties} signed` : stateNames[state]))(stateBySignatures(a, a.signed, a.parties, on)),
  }));
}

export async function createAgreement(db: Database, actor: Actor, form: PurposeForm, ip: string | null): Promise<string> {
  if (!canManageSharing(actor)) throw onlyManagers();
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertAgreement(tx, { id, title: form.title, purpose: form.purpose, benefits: form.benefits ?? null, uses: form.uses, createdBy: actor.userId, fingerprint: 'new' });
    await refreshFingerprint(tx, id);
    await recordAudit(tx, { actor, action: 'created', recordType: 'sharing_agreement', recordId: id, ip });
  });
  return id;
}

export async function viewAgreement(db: Database, actor: Actor, id: string, clock?: Clock) {
  if (!canReadAgreements(actor)) throw refuse.forbidden('Only people working for an organisation in the partnership can read its agreements.');
  const agreement = await agreementFor(db, id);
  const on = today(clock);
  const status = agreementStatus(agreement, on);
  const since = quarterStart(on);
  const used = await repo.flowsAllowedSince(db, id, since);
  const canManage = canManageSharing(actor);
  return {
    agreement,
    status,
    usage: { count: used, since, auditHref: `/admin/audit?recordType=sharing_agreement&recordId=${id}&action=flow_allowed&from=${since}` },
    canManage,
    signFor: agreement.parties.filter((p) => canSignFor(actor, p.signatoryUserId) && !status.current.has(p.organisationId)),
  };
}

/** The add-a-party form: the agreement and the organisations not yet party to it. */
/** The agreement a party is being added to, for the form (the organisation is chosen with the picker). */
export async function agreementForNewParty(db: Database, actor: Actor, id: string) {
  if (!canManageSharing(actor)) throw onlyManagers();
  return agreementFor(db, id);
}

export async function updateAgreement(db: Database, actor: Actor, id: string, form: AgreementForm, ip: string | null): Promise<void> {
  if (!canManageSharing(actor)) throw onlyManagers();
  await agreementFor(db, id);
  const { version, ...d } = form;
  await db.transaction(async (tx) => {
    const details: repo.AgreementDetails = {
      title: d.title,
      purpose: d.purpose,
      benefits: d.benefits ?? null,
      uses: d.uses,
      retention: d.retention ?? null,
      security: d.security ?? null,
      rightsRequests: d.rightsRequests ?? null,
      rightsContact: d.rightsContact ?? null,
      breachProcedure: d.breachProcedure ?? null,
      startOn: d.startOn ?? null,
      reviewOn: d.reviewOn ?? null,
      endOn: d.endOn ?? null,
    };
    if (!(await repo.updateAgreement(tx, id, version, details))) throw staleVersion('agreement');
    const after = await refreshFingerprint(tx, id);
    await recordAudit(tx, { actor, action: 'updated', recordType: 'sharing_agreement', recordId: id, ip, details: { fingerprint: after.fingerprint } });
  });
}

export async function addParty(db: Database, actor: Actor, id: string, form: PartyForm, ip: string | null): Promise<string> {
  if (!canManageSharing(actor)) throw onlyManagers();
  const a = await agreementFor(db, id);
  const setUp = await setUpGaps(db, form.organisationId);
  if (setUp.missing.length) throw refuse.conflict('organisationId', `${setUp.name} cannot join an agreement until it has completed set-up. Still needed: ${setUp.missing.join('; ')}.`);
  if (a.parties.some((p) => p.organisationId === form.organisationId)) throw refuse.conflict('organisationId', `${setUp.name} is already a party to this agreement.`);
  await db.transaction(async (tx) => {
    await repo.insertParty(tx, id, form.organisationId, form.role);
    await refreshFingerprint(tx, id);
    await recordAudit(tx, { actor, action: 'party_added', recordType: 'sharing_agreement', recordId: id, ip, details: { organisationId: form.organisationId, role: form.role } });
  });
  return setUp.name;
}

export async function removeParty(db: Database, actor: Actor, id: string, organisationId: string, ip: string | null): Promise<void> {
  if (!canManageSharing(actor)) throw onlyManagers();
  const a = await agreementFor(db, id);
  const party = a.parties.find((p) => p.organisationId === organisationId);
  if (!party) throw refuse.notFound('Party');
  if (a.flows.some((f) => f.fromOrganisationId === organisationId || f.toOrganisationId === organisationId)) throw refuse.conflict('form', `Remove the flows to and from ${party.name} first.`);
  await db.transaction(async (tx) => {
    await repo.deleteParty(tx, id, organisationId);
    await refreshFingerprint(tx, id);
    await recordAudit(tx, { actor, action: 'party_removed', recordType: 'sharing_agreement', recordId: id, ip, details: { organisationId } });
  });
}

/** A flow's own rules, beyond the form's shape: between parties, and an Article 9 condition for special category data. */
export function flowProblems(a: repo.Agreement, f: FlowForm): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const isParty = (id: string) => a.parties.some((p) => p.organisationId === id);
  if (!isParty(f.fromOrganisationId)) problems.push({ field: 'fromOrganisationId', message: 'Choose the organisation sharing the data from the agreement’s parties' });
  if (!isParty(f.toOrganisationId)) problems.push({ field: 'toOrganisationId', message: 'Choose the organisation receiving the data from the agreement’s parties' });
  if (f.fromOrganisationId === f.toOrganisationId) problems.push({ field: 'toOrganisationId', message: 'A flow goes from one organisation to another: choose a different receiving organisation' });
  if (isSpecialCategory(f.dataItems) && !f.article9) {
    const special = f.dataItems.filter((d) => isSpecialCategory([d])).map(itemName);
    problems.push({ field: 'article9', message: `Choose an Article 9 condition: ${special.join(', ')} ${special.length === 1 ? 'is' : 'are'} special category (health) data` });
  }
  if (f.article9 && needsSchedule1.includes(f.article9) && !f.schedule1) problems.push({ field: 'schedule1', message: `Choose a Data Protection Act 2018 Schedule 1 condition: Article ${f.article9} needs one` });
  return problems;
}

export async function addFlow(db: Database, actor: Actor, id: string, form: FlowForm, ip: string | null): Promise<void> {
  if (!canManageSharing(actor)) throw onlyManagers();
  const a = await agreementFor(db, id);
  const problems = flowProblems(a, form);
  if (problems.length) throw refuse.invalidFields(problems);
  const { caldicott1, caldicott2, caldicott3, caldicott4, caldicott5, caldicott6, caldicott7, caldicott8, ...f } = form;
  const caldicott = Object.fromEntries([caldicott1, caldicott2, caldicott3, caldicott4, caldicott5, caldicott6, caldicott7, caldicott8].map((v, i) => [String(i + 1), v ?? ''] as const).filter(([, v]) => v));
  const flowId = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await repo.insertFlow(tx, id, {
      id: flowId,
      flowType: f.flowType ?? null,
      fromOrganisationId: f.fromOrganisationId,
      toOrganisationId: f.toOrganisationId,
      dataItems: f.dataItems,
      identifiability: f.identifiability,
      frequency: f.frequency,
      method: f.method,
      article6: f.article6,
      article9: f.article9 ?? null,
      schedule1: f.schedule1 ?? null,
      confidentialityBasis: f.confidentialityBasis ?? null,
      optOutApplies: f.optOutApplies === 'yes',
      caldicott,
    });
    await refreshFingerprint(tx, id);
    await recordAudit(tx, { actor, action: 'flow_added', recordType: 'sharing_agreement', recordId: id, ip, details: { flowId } });
  });
}

export async function removeFlow(db: Database, actor: Actor, id: string, flowId: string, ip: string | null): Promise<void> {
  if (!canManageSharing(actor)) throw onlyManagers();
  await agreementFor(db, id);
  await db.transaction(async (tx) => {
    if (!(await repo.deleteFlow(tx, id, flowId))) throw refuse.notFound('Flow');
    await refreshFingerprint(tx, id);
    await recordAudit(tx, { actor, action: 'flow_removed', recordType: 'sharing_agreement', recordId: id, ip, details: { flowId } });
  });
}

/**
 * A party's signatory approves the exact version shown (its fingerprint). Refused, naming what is
 * missing, for someone who is not that party's signatory, an older version, or an agreement the
 * ICO checklist says is incomplete.
 */
export async function signAgreement(db: Database, actor: Actor, id: string, form: SignForm, ip: string | null, clock?: Clock): Promise<{ state: AgreementState }> {
  const a = await agreementFor(db, id);
  const party = a.parties.find((p) => p.organisationId === form.organisationId);
  if (!party) throw refuse.invalid('organisationId', 'That organisation is not a party to this agreement');
  if (!canSignFor(actor, party.signatoryUserId)) {
    throw refuse.forbidden(party.signatoryName ? `Only ${party.name}’s senior signatory, ${party.signatoryName}, can sign for it.` : `${party.name} has no senior signatory named, so no one can sign for it yet.`);
  }
  if (form.fingerprint !== a.fingerprint) {
    throw refuse.conflict('form', `You were signing an older version (fingerprint ${form.fingerprint.slice(0, 12)}); the agreement has changed since (now ${a.fingerprint.slice(0, 12)}). Read the current version and sign that.`);
  }
  const before = agreementStatus(a, today(clock));
  if (before.gaps.length) throw refuse.conflict('form', `This agreement cannot be signed or become active yet: it is incomplete. Still needed: ${before.gaps.join('; ')}.`);
  if (before.current.has(party.organisationId)) throw refuse.conflict('form', `${party.name} has already signed this version.`);
  await db.transaction(async (tx) => {
    await repo.insertSignature(tx, { agreementId: id, organisationId: party.organisationId, fingerprint: a.fingerprint, userId: actor.userId, name: actor.name });
    await recordAudit(tx, { actor, action: 'signed', recordType: 'sharing_agreement', recordId: id, ip, details: { organisationId: party.organisationId, fingerprint: a.fingerprint } });
  });
  return { state: agreementStatus((await repo.findAgreement(db, id))!, today(clock)).state };
}
