import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database, Queryable } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canManageProgramme, canRunProgrammes, canViewProgramme, programmeAccessOf, programmeAnswers, type ProgrammeAccess, type ProgrammeAnswers } from '../innovation.policy.ts';
import { formatPence } from '../../../platform/money.ts';
import type { Config } from '../../../platform/config.ts';
import type { Mailer } from '../../../platform/mailer.ts';
import { issueAccountInvitation } from '../../identity/index.ts';
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

export type InviteDeps = { db: Database; mailer: Mailer; config: Pick<Config, 'publicUrl'> };
export type MemberInput = { name: string; email: string; organisationId: string; role: 'participant' | 'panel' | 'chair' };
/** What inviting someone did, and whether the email went (never "emailed" unless the mail server took it). */
export type Invited = {
  kind: 'invited' | 'added';
  name: string;
  email: string;
  organisationName: string;
  /** The one-time link, shown once to the manager when the email was not sent. */
  url?: string;
  days?: number;
  emailed: boolean;
  notSentBecause?: 'not_configured' | 'failed';
};

const roleWords = { participant: 'a participant', panel: 'a member of the investment team (panel)', chair: 'the chair of the investment team (panel)' };

/**
 * A programme manager invites someone by email straight into the programme. Someone with an account
 * joins at once; anyone else gets a one-time link to set a password, and joins on accepting it.
 * Only one person chairs the panel: naming a new chair stands the previous one down.
 */
export async function inviteMember({ db, mailer, config }: InviteDeps, actor: Actor, access: ProgrammeAccess, programme: Programme, input: MemberInput, ip?: string): Promise<Invited> {
  requireManager(access);
  const organisation = await repo.getOrganisation(db, input.organisationId);
  if (!organisation) throw refuse.invalid('organisationId', 'Choose the organisation they take part for');
  const role = input.role === 'participant' ? 'participant' : 'panel';
  const chair = input.role === 'chair';
  const user = await repo.findUserByEmail(db, input.email);
  const base = { email: input.email, organisationName: organisation.name };
  if (user) {
    await addMember(db, actor, access, programme, { email: input.email, organisationId: organisation.id, role: input.role }, ip);
    const sent = await mailer.send({
      to: input.email,
      subject: `You are taking part in ${programme.name}`,
      text: `Hello ${user.name},\n\n${actor.name} has added you to ${programme.name} on Common Ground as ${roleWords[input.role]}, for ${organisation.name}.\n\nSign in with your existing account to see it: ${config.publicUrl}/programmes/${programme.id}\n`,
      related: { type: 'programme', id: programme.id },
    });
    return { kind: 'added', name: user.name, ...base, emailed: sent.status === 'sent', notSentBecause: sent.status === 'sent' ? undefined : sent.reason };
  }
  const link = await db.transaction(async (tx) => {
    const id = await repo.upsertInvitation(tx, { programmeId: programme.id, email: input.email, name: input.name, organisationId: organisation.id, role, chair, invitedBy: actor.userId });
    await recordAudit(tx, { actor, action: 'invited', recordType: 'programme_invitation', recordId: id, ip, details: { programme_id: programme.id, email: input.email, role, chair, organisation_id: organisation.id } });
    return issueAccountInvitation(tx, actor, { email: input.email, name: input.name, organisationId: organisation.id, returnTo: `/programmes/${programme.id}/join`, publicUrl: config.publicUrl }, ip);
  });
  const sent = await mailer.send({
    to: input.email,
    subject: `You are invited to take part in ${programme.name}`,
    text:
      `Hello ${input.name},\n\n${actor.name} has invited you to take part in ${programme.name} on Common Ground as ${roleWords[input.role]}, for ${organisation.name}.\n\n` +
      `To join, open this link and choose a password. The link works once and expires in ${link.days} days:\n${link.url}\n\n` +
      `If you were not expecting this, you can ignore this email.\n`,
    related: { type: 'programme', id: programme.id },
  });
  return { kind: 'invited', name: input.name, ...base, url: link.url, days: link.days, emailed: sent.status === 'sent', notSentBecause: sent.status === 'sent' ? undefined : sent.reason };
}

/** Someone with an account joins the programme at once (or changes how they take part). */
export async function addMember(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, input: { email: string; organisationId: string; role: 'participant' | 'panel' | 'chair' }, ip?: string): Promise<string> {
  requireManager(access);
  const user = await repo.findUserByEmail(db, input.email);
  if (!user) throw refuse.invalid('email', 'There is no account with that email address');
  if (!(await repo.organisationExists(db, input.organisationId))) throw refuse.invalid('organisationId', 'Choose the organisation they take part for');
  const role = input.role === 'participant' ? 'participant' : 'panel';
  const chair = input.role === 'chair';
  return db.transaction(async (tx) => {
    const before = await repo.memberRole(tx, programme.id, user.id);
    if (chair) await repo.clearChair(tx, programme.id);
    const id = await repo.upsertMember(tx, programme.id, user.id, input.organisationId, role, chair);
    await recordAudit(tx, {
      actor,
      action: before ? 'updated' : 'created',
      recordType: 'programme_member',
      recordId: id,
      ip,
      details: { programme_id: programme.id, user_id: user.id, role, chair, organisation_id: input.organisationId, ...(before ? { before } : {}) },
    });
    return user.name;
  });
}

/**
 * Someone who accepted an invitation (or signed in with the invited email address) joins the
 * programmes they were invited to: each pending invitation becomes their membership, once.
 */
export async function joinInvitedProgrammes(db: Database, actor: Actor, programmeId?: string, ip?: string): Promise<string[]> {
  const pending = await repo.pendingInvitationsFor(db, actor.email, programmeId);
  const joined: string[] = [];
  for (const invitation of pending) {
    await db.transaction(async (tx) => {
      if (!(await repo.markInvitationAccepted(tx, invitation.id, actor.userId))) return;
      if (invitation.chair) await repo.clearChair(tx, invitation.programmeId);
      const id = await repo.upsertMember(tx, invitation.programmeId, actor.userId, invitation.organisationId, invitation.role, invitation.chair);
      await recordAudit(tx, { actor, action: 'joined', recordType: 'programme_member', recordId: id, ip, details: { programme_id: invitation.programmeId, invitation_id: invitation.id, role: invitation.role, chair: invitation.chair } });
      joined.push(invitation.programmeId);
    });
  }
  return joined;
}

/** Invitations sent but not yet accepted, for the participants page. */
export async function pendingInvitations(db: Database, access: ProgrammeAccess, programme: Programme) {
  return canManageProgramme(access) ? repo.pendingInvitations(db, programme.id) : [];
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
