import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canManageProgramme, canRunProgrammes, canViewProgramme, programmeAccessOf, programmeAnswers, type ProgrammeAccess, type ProgrammeAnswers } from '../innovation.policy.ts';
import { formatPence } from '../../../platform/money.ts';
import type { ProgrammeForm } from './programmes.schemas.ts';
import { isOpen, stageNames, whenOpen, type Activity, type Stage } from '../stages.ts';
import * as repo from './programmes.repository.ts';
import { refreshProgrammeModeration } from '../scoring/moderation-summary.ts';
import type { Programme } from './programmes.repository.ts';

/** A programme opened by someone taking part in it (or a manager), with what they may do in it. */
export type ProgrammeContext = { programme: Programme; access: ProgrammeAccess; actor: Actor; may: ProgrammeAnswers };

export const DEFAULT_CRITERIA = [
  { name: 'Difference it makes to people', description: 'How much the idea could improve people’s lives, and for whom.', weight: 3 },
  { name: 'Can be done', description: 'Whether the team can deliver it with the money and time asked for.', weight: 2 },
  { name: 'Value for money', description: 'What the money buys compared with other ways of doing the same.', weight: 2 },
  { name: 'Learning', description: 'Whether the test of change will show clearly if it works.', weight: 1 },
];

/** Who the actor is in this programme. */
export async function programmeAccess(db: Queryable, actor: Actor, programme: Programme): Promise<ProgrammeAccess> {
  return programmeAccessOf(actor, await repo.memberRole(db, programme.id, actor.userId), await repo.teamIdsOf(db, programme.id, actor.userId));
}

/** A real programme the actor takes part in (or runs); else 404 or 403. */
export async function openProgramme(db: Queryable, actor: Actor, programmeId: string): Promise<ProgrammeContext> {
  const programme = await repo.getProgramme(db, programmeId);
  if (!programme) throw refuse.notFound('Programme');
  const access = await programmeAccess(db, actor, programme);
  if (!canViewProgramme(access)) throw refuse.forbidden('You are not taking part in this programme. Ask its programme manager to invite you.');
  return { programme, access, actor, may: programmeAnswers(access) };
}

/** Refuses an activity the programme's stage does not allow, saying when it is open. */
export function requireStage(programme: Programme, activity: Activity, field = 'form'): void {
  if (!isOpen(programme.stage, activity)) {
    throw refuse.conflict(field, `This programme is at the ${stageNames[programme.stage]} stage. This can only be done during ${whenOpen(activity)}.`);
  }
}

export function requireManager(access: ProgrammeAccess): void {
  if (!canManageProgramme(access)) throw refuse.forbidden('Only the programme’s managers can do that.');
}

/** A programme's details as the audit log names them. */
function audited(p: Programme) {
  return { name: p.name, purpose: p.purpose, starts_on: p.startsOn, ends_on: p.endsOn, fund_pence: p.fundPence, case_deadline: p.caseDeadline, public_ideas: p.publicIdeas };
}

function fields(f: ProgrammeForm): repo.ProgrammeFields {
  return {
    name: f.name,
    purpose: f.purpose,
    startsOn: f.startsOn ?? null,
    endsOn: f.endsOn ?? null,
    fundPence: f.fund,
    caseDeadline: f.caseDeadlineDate ? `${f.caseDeadlineDate} ${f.caseDeadlineTime ?? '17:00'}` : null,
    publicIdeas: f.publicIdeas,
  };
}

export async function createProgramme(db: Database, actor: Actor, form: ProgrammeForm, ip?: string): Promise<string> {
  if (!canRunProgrammes(actor)) throw refuse.forbidden('Only programme managers can create programmes.');
  return db.transaction(async (tx) => {
    const id = await repo.insertProgramme(tx, { ...fields(form), organisationId: actor.memberships.find((m) => m.role === 'programme_manager')?.organisationId ?? actor.memberships[0]?.organisationId ?? null, createdBy: actor.userId });
    for (const c of DEFAULT_CRITERIA) await repo.insertCriterion(tx, id, c);
    await recordAudit(tx, { actor, action: 'created', recordType: 'programme', recordId: id, ip, details: { name: form.name, fund_pence: form.fund } });
    return id;
  });
}

export async function editProgramme(db: Database, actor: Actor, access: ProgrammeAccess, programmeId: string, form: ProgrammeForm, ip?: string): Promise<void> {
  requireManager(access);
  await db.transaction(async (tx) => {
    const before = (await repo.getProgramme(tx, programmeId, { lock: true }))!;
    const position = await repo.fundPosition(tx, before);
    if (form.fund < position.awardedPence + before.votePotPence) {
      throw refuse.invalid('fund', `The fund cannot be less than the ${formatPence(position.awardedPence + before.votePotPence)} already awarded or put to the vote`);
    }
    await repo.updateProgramme(tx, programmeId, fields(form));
    const after = (await repo.getProgramme(tx, programmeId))!;
    await recordAudit(tx, { actor, action: 'updated', recordType: 'programme', recordId: programmeId, ip, details: changedFields(audited(before), audited(after)) });
  });
}

export async function moveStage(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, stage: Stage, ip?: string): Promise<void> {
  requireManager(access);
  if (stage === programme.stage) return;
  await db.transaction(async (tx) => {
    await repo.setStage(tx, programme.id, stage);
    await recordAudit(tx, { actor, action: 'stage_changed', recordType: 'programme', recordId: programme.id, ip, details: { stage: { from: programme.stage, to: stage } } });
  });
}

export async function addMember(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, input: { email: string; organisationId: string; role: 'participant' | 'panel' }, ip?: string): Promise<string> {
  requireManager(access);
  const user = await repo.findUserByEmail(db, input.email);
  if (!user) throw refuse.invalid('email', 'There is no account with that email address. Ask a partnership admin to invite them to Common Ground first.');
  if (!(await repo.organisationExists(db, input.organisationId))) throw refuse.invalid('organisationId', 'Choose the organisation they take part for');
  return db.transaction(async (tx) => {
    const before = await repo.memberRole(tx, programme.id, user.id);
    const id = await repo.upsertMember(tx, programme.id, user.id, input.organisationId, input.role);
    await recordAudit(tx, {
      actor,
      action: before ? 'updated' : 'created',
      recordType: 'programme_member',
      recordId: id,
      ip,
      details: { programme_id: programme.id, user_id: user.id, role: input.role, organisation_id: input.organisationId, ...(before ? { before } : {}) },
    });
    return user.name;
  });
}

export async function removeMember(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, userId: string, ip?: string): Promise<void> {
  requireManager(access);
  await db.transaction(async (tx) => {
    const member = await repo.getMember(tx, programme.id, userId);
    if (!member) return;
    await repo.deleteMember(tx, programme.id, userId);
    await recordAudit(tx, { actor, action: 'deleted', recordType: 'programme_member', recordId: member.id, ip, details: { programme_id: programme.id, user_id: userId, role: member.role } });
  });
}

export async function addCriterion(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, c: { name: string; description: string; weight: number }, ip?: string): Promise<void> {
  requireManager(access);
  if (['delivery', 'evaluation', 'closed'].includes(programme.stage)) throw refuse.conflict('name', 'Scoring criteria cannot change after Investment Day');
  await db.transaction(async (tx) => {
    const id = await repo.insertCriterion(tx, programme.id, c);
    await refreshProgrammeModeration(tx, programme.id);
    await recordAudit(tx, { actor, action: 'created', recordType: 'programme_criterion', recordId: id, ip, details: { programme_id: programme.id, ...c } });
  });
}

export async function changeCriterion(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, criterionId: string, c: { name: string; description: string; weight: number }, ip?: string): Promise<void> {
  requireManager(access);
  if (['delivery', 'evaluation', 'closed'].includes(programme.stage)) throw refuse.conflict('weight', 'Scoring criteria cannot change after Investment Day');
  await db.transaction(async (tx) => {
    const before = (await repo.listCriteria(tx, programme.id)).find((x) => x.id === criterionId);
    if (!before) throw refuse.notFound('Criterion');
    await repo.updateCriterion(tx, criterionId, c);
    await refreshProgrammeModeration(tx, programme.id);
    await recordAudit(tx, { actor, action: 'updated', recordType: 'programme_criterion', recordId: criterionId, ip, details: changedFields({ name: before.name, description: before.description, weight: before.weight }, c) });
  });
}

export async function removeCriterion(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, criterionId: string, ip?: string): Promise<void> {
  requireManager(access);
  await db.transaction(async (tx) => {
    const before = (await repo.listCriteria(tx, programme.id)).find((x) => x.id === criterionId);
    if (!before) return;
    if (await repo.criterionHasScores(tx, criterionId)) throw refuse.conflict('form', `“${before.name}” has scores already, so it cannot be removed. Change its weight instead.`);
    await repo.deleteCriterion(tx, criterionId);
    await refreshProgrammeModeration(tx, programme.id);
    await recordAudit(tx, { actor, action: 'deleted', recordType: 'programme_criterion', recordId: criterionId, ip, details: { programme_id: programme.id, name: before.name } });
  });
}

/** Every programme for those who run them; otherwise those the actor takes part in. */
export async function programmesFor(db: Queryable, actor: Actor) {
  return canRunProgrammes(actor) ? repo.listAllProgrammes(db) : repo.listProgrammesForUser(db, actor.userId);
}

/** The programmes page: the programmes, and whether the actor may create one. */
export async function programmesPage(db: Queryable, actor: Actor) {
  return { programmes: await programmesFor(db, actor), canCreate: canRunProgrammes(actor) };
}
