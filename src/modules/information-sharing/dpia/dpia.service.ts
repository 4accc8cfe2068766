import crypto from 'node:crypto';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { refuse, staleVersion } from '../../../platform/refusal.ts';
import { canManageSharing, canReadAgreements } from '../information-sharing.policy.ts';
import * as agreementsRepo from '../agreements/agreements.repository.ts';
import * as repo from './dpia.repository.ts';
import type { DecisionForm, DpiaForm, RiskForm } from './dpia.schemas.ts';

/*
 * The agreement's DPIA. Screening against the ICO's list says whether one is needed; the DPIA
 * records each risk (likelihood × severity), its mitigation and residual risk, and the DPO's
 * advice. Sending it for approval locks it until an approver (an IG lead or partnership admin)
 * approves it or returns it.
 */

const locked = (d: repo.Dpia) => refuse.conflict('form', d.status === 'approved' ? 'This DPIA is approved and locked.' : 'This DPIA is waiting for approval and locked: an approver must approve or return it before it changes.');

async function dpiaFor(db: Database, agreementId: string): Promise<{ title: string; dpia: repo.Dpia }> {
  const agreement = await agreementsRepo.findAgreement(db, agreementId);
  if (!agreement) throw refuse.notFound('Agreement');
  await repo.createDpia(db, agreementId);
  return { title: agreement.title, dpia: (await repo.findDpia(db, agreementId))! };
}

export async function viewDpia(db: Database, actor: Actor, agreementId: string) {
  if (!canReadAgreements(actor)) throw refuse.forbidden('Only people working for an organisation in the partnership can read its DPIAs.');
  const { title, dpia } = await dpiaFor(db, agreementId);
  return { title, dpia, needed: dpia.screening.length > 0, canEdit: canManageSharing(actor) && dpia.status === 'draft', canDecide: canManageSharing(actor) && dpia.status === 'awaiting_approval', canSend: canManageSharing(actor) && dpia.status === 'draft' };
}

export async function saveScreening(db: Database, actor: Actor, agreementId: string, form: DpiaForm, ip: string | null): Promise<void> {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can write DPIAs.');
  const { dpia } = await dpiaFor(db, agreementId);
  if (dpia.status !== 'draft') throw locked(dpia);
  await db.transaction(async (tx) => {
    if (!(await repo.saveDpia(tx, agreementId, form.version, { screening: form.screening, risks: dpia.risks, dpoAdvice: form.dpoAdvice ?? null }))) throw staleVersion('DPIA');
    await recordAudit(tx, { actor, action: 'dpia_updated', recordType: 'sharing_agreement', recordId: agreementId, ip, details: { screening: form.screening } });
  });
}

export async function addRisk(db: Database, actor: Actor, agreementId: string, form: RiskForm, ip: string | null): Promise<void> {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can write DPIAs.');
  const { dpia } = await dpiaFor(db, agreementId);
  if (dpia.status !== 'draft') throw locked(dpia);
  const risk: repo.Risk = { id: crypto.randomUUID(), description: form.description, likelihood: form.likelihood, severity: form.severity, mitigation: form.mitigation, residual: form.residual };
  await db.transaction(async (tx) => {
    if (!(await repo.saveDpia(tx, agreementId, form.version, { screening: dpia.screening, risks: [...dpia.risks, risk], dpoAdvice: dpia.dpoAdvice }))) throw staleVersion('DPIA');
    await recordAudit(tx, { actor, action: 'dpia_risk_added', recordType: 'sharing_agreement', recordId: agreementId, ip, details: { riskId: risk.id } });
  });
}

/** Send for approval (locks it), approve, or return for changes (unlocks it). */
export async function decideDpia(db: Database, actor: Actor, agreementId: string, form: DecisionForm, ip: string | null): Promise<repo.Dpia['status']> {
  if (!canManageSharing(actor)) throw refuse.forbidden('Only information governance leads and partnership admins can send or approve DPIAs.');
  const { dpia } = await dpiaFor(db, agreementId);
  const [from, to] = form.decision === 'send' ? (['draft', 'awaiting_approval'] as const) : (['awaiting_approval', form.decision === 'approve' ? 'approved' : 'draft'] as const);
  if (dpia.status !== from) throw refuse.conflict('form', form.decision === 'send' ? 'Only a draft DPIA can be sent for approval.' : 'Only a DPIA waiting for approval can be approved or returned.');
  if (form.decision === 'send') {
    const gaps = [...(dpia.screening.length && !dpia.risks.length ? ['at least one risk'] : []), ...(!dpia.dpoAdvice ? ['the DPO’s advice'] : [])];
    if (gaps.length) throw refuse.conflict('form', `The DPIA cannot be sent for approval yet. Still needed: ${gaps.join('; ')}.`);
  }
  await db.transaction(async (tx) => {
    if (!(await repo.setStatus(tx, agreementId, form.version, from, to, actor.userId))) throw staleVersion('DPIA');
    await recordAudit(tx, { actor, action: `dpia_${form.decision === 'send' ? 'sent' : form.decision === 'approve' ? 'approved' : 'returned'}`, recordType: 'sharing_agreement', recordId: agreementId, ip });
  });
  return to;
}
