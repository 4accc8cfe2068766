import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { forbidden, notFound } from '../../../platform/http/errors.ts';
import { refuse } from '../innovation.errors.ts';
import { canManageProgramme, canRunProgrammes, type ProgrammeAccess } from '../innovation.policy.ts';
import { formatPence } from '../../../platform/money.ts';
import type { ProgrammeForm } from '../innovation.schemas.ts';
import { isOpen, stageNames, whenOpen, type Activity, type Stage } from '../stages.ts';
import * as repo from './programmes.repository.ts';
import { refreshProgrammeModeration } from '../scoring/moderation-summary.ts';
import type { ProgrammeRow } from './programmes.repository.ts';

export const DEFAULT_CRITERIA = [
  { name: 'Difference it makes to people', description: 'How much the idea could improve people’s lives, and for whom.', weight: 3 },
  { name: 'Can be done', description: 'Whether the team can deliver it with the money and time asked for.', weight: 2 },
  { name: 'Value for money', description: 'What the money buys compared with other ways of doing the same.', weight: 2 },
  { name: 'Learning', description: 'Whether the test of change will show clearly if it works.', weight: 1 },
];

/** Who the actor is in this programme. */
export async function programmeAccess(db: Queryable, actor: Actor, programme: ProgrammeRow): Promise<ProgrammeAccess> {
  const membership = await repo.memberRole(db, programme.id, actor.userId);
  return {
    manager: canRunProgrammes(actor),
    memberRole: membership?.role ?? null,
    organisationId: membership?.organisation_id ?? actor.memberships[0]?.organisationId ?? null,
    teamIds: await repo.teamIdsOf(db, programme.id, actor.userId),
  };
}

/** Refuses an activity the programme's stage does not allow, saying when it is open. */
export function requireStage(programme: ProgrammeRow, activity: Activity, field = 'form'): void {
  if (!isOpen(programme.stage, activity)) {
    throw refuse(field, `This programme is at the ${stageNames[programme.stage]} stage. This can only be done during ${whenOpen(activity)}.`, 409);
  }
}

export function requireManager(access: ProgrammeAccess): void {
  if (!canManageProgramme(access)) throw forbidden('Only the programme’s managers can do that.');
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
  if (!canRunProgrammes(actor)) throw forbidden('Only programme managers can create programmes.');
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
    if (form.fund < position.awardedPence + before.vote_pot_pence) {
      throw refuse('fund', `The fund cannot be less than the ${formatPence(position.awardedPence + before.vote_pot_pence)} already awarded or put to the vote`);
    }
    await repo.updateProgramme(tx, programmeId, fields(form));
    const after = (await repo.getProgramme(tx, programmeId))!;
    await recordAudit(tx, { actor, action: 'updated', recordType: 'programme', recordId: programmeId, ip, details: changedFields(before, after) });
  });
}

export async function moveStage(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, stage: Stage, ip?: string): Promise<void> {
  requireManager(access);
  if (stage === programme.stage) return;
  await db.transaction(async (tx) => {
    await repo.setStage(tx, programme.id, stage);
    await recordAudit(tx, { actor, action: 'stage_changed', recordType: 'programme', recordId: programme.id, ip, details: { stage: { from: programme.stage, to: stage } } });
  });
}

export async function addMember(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, input: { email: string; organisationId: string; role: 'participant' | 'panel' }, ip?: string): Promise<string> {
  requireManager(access);
  const user = await repo.findUserByEmail(db, input.email);
  if (!user) throw refuse('email', 'There is no account with that email address. Ask a partnership admin to invite them to Common Ground first.');
  if (!(await repo.organisationExists(db, input.organisationId))) throw refuse('organisationId', 'Choose the organisation they take part for');
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

export async function removeMember(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, userId: string, ip?: string): Promise<void> {
  requireManager(access);
  await db.transaction(async (tx) => {
    const member = await repo.getMember(tx, programme.id, userId);
    if (!member) return;
    await repo.deleteMember(tx, programme.id, userId);
    await recordAudit(tx, { actor, action: 'deleted', recordType: 'programme_member', recordId: member.id, ip, details: { programme_id: programme.id, user_id: userId, role: member.role } });
  });
}

export async function addCriterion(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, c: { name: string; description: string; weight: number }, ip?: string): Promise<void> {
  requireManager(access);
  if (['delivery', 'evaluation', 'closed'].includes(programme.stage)) throw refuse('name', 'Scoring criteria cannot change after Investment Day', 409);
  await db.transaction(async (tx) => {
    const id = await repo.insertCriterion(tx, programme.id, c);
    await refreshProgrammeModeration(tx, programme.id);
    await recordAudit(tx, { actor, action: 'created', recordType: 'programme_criterion', recordId: id, ip, details: { programme_id: programme.id, ...c } });
  });
}

export async function changeCriterion(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, criterionId: string, c: { name: string; description: string; weight: number }, ip?: string): Promise<void> {
  requireManager(access);
  if (['delivery', 'evaluation', 'closed'].includes(programme.stage)) throw refuse('weight', 'Scoring criteria cannot change after Investment Day', 409);
  await db.transaction(async (tx) => {
    const before = (await repo.listCriteria(tx, programme.id)).find((x) => x.id === criterionId);
    if (!before) throw notFound('Criterion');
    await repo.updateCriterion(tx, criterionId, c);
    await refreshProgrammeModeration(tx, programme.id);
    await recordAudit(tx, { actor, action: 'updated', recordType: 'programme_criterion', recordId: criterionId, ip, details: changedFields(before, { ...before, ...c }) });
  });
}

export async function removeCriterion(db: Database, actor: Actor, access: ProgrammeAccess, programme: ProgrammeRow, criterionId: string, ip?: string): Promise<void> {
  requireManager(access);
  await db.transaction(async (tx) => {
    const before = (await repo.listCriteria(tx, programme.id)).find((x) => x.id === criterionId);
    if (!before) return;
    if (await repo.criterionHasScores(tx, criterionId)) throw refuse('form', `“${before.name}” has scores already, so it cannot be removed. Change its weight instead.`, 409);
    await repo.deleteCriterion(tx, criterionId);
    await refreshProgrammeModeration(tx, programme.id);
    await recordAudit(tx, { actor, action: 'deleted', recordType: 'programme_criterion', recordId: criterionId, ip, details: { programme_id: programme.id, name: before.name } });
  });
}

export async function programmesFor(db: Queryable, actor: Actor) {
  return canRunProgrammes(actor) ? repo.listAllProgrammes(db) : repo.listProgrammesForUser(db, actor.userId);
}
