import { changedFields, recordAudit } from '../../../platform/audit.ts';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/actor.ts';
import { refuse } from '../../../platform/refusal.ts';
import { canChangeIdea, canSeeIdea, canTakePart, type ProgrammeAccess } from '../innovation.policy.ts';
import type { IdeaForm } from './ideas.schemas.ts';
import { penceToInput } from '../../../platform/money.ts';
import { getProgramme, type Programme } from '../programmes/programmes.repository.ts';
import { isOpen, stageNames } from '../stages.ts';
import { requireManager, requireStage, type ProgrammeContext } from '../programmes/programmes.service.ts';
import * as repo from './ideas.repository.ts';

function fields(f: IdeaForm): repo.IdeaFields {
  return { title: f.title, problem: f.problem, whoBenefits: f.whoBenefits, idea: f.idea, roughCostPence: f.roughCost ?? null, howWeKnow: f.howWeKnow };
}

/** The ideas the actor may see. */
export async function ideasFor(db: Database, access: ProgrammeAccess, actor: Actor, programmeId: string) {
  return (await repo.listIdeas(db, programmeId)).filter((i) => canSeeIdea(access, actor.userId, i));
}

/** One idea the actor may see; others are not found. */
async function loadIdea(db: Database, access: ProgrammeAccess, actor: Actor, programmeId: string, ideaId: string) {
  const idea = await repo.getIdea(db, programmeId, ideaId);
  if (!idea || !canSeeIdea(access, actor.userId, idea)) throw refuse.notFound('Idea');
  return idea;
}

/** An idea's page: the idea, its comments, whether the actor supports it, and whether they may change it now. */
export async function ideaPage(db: Database, ctx: ProgrammeContext, ideaId: string) {
  const idea = await loadIdea(db, ctx.access, ctx.actor, ctx.programme.id, ideaId);
  const [comments, supported] = await Promise.all([repo.listComments(db, ideaId), repo.hasSupported(db, ideaId, ctx.actor.userId)]);
  return { idea, comments, supported, canEdit: canChangeIdea(ctx.access, ctx.actor.userId, idea) && !whyIdeaCannotChange(ctx.programme, idea) };
}

/** The idea for its edit form: only its author and the managers may change it. */
export async function ideaToChange(db: Database, access: ProgrammeAccess, actor: Actor, programmeId: string, ideaId: string) {
  const idea = await loadIdea(db, access, actor, programmeId, ideaId);
  if (!canChangeIdea(access, actor.userId, idea)) throw refuse.forbidden('Only the person who suggested this idea and the programme’s managers can change it.');
  return idea;
}

export async function submitIdea(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, form: IdeaForm, ip?: string): Promise<string> {
  if (!canTakePart(access)) throw refuse.forbidden();
  requireStage(programme, 'submit_idea');
  return db.transaction(async (tx) => {
    const id = await repo.insertIdea(tx, programme.id, { ...fields(form), status: 'submitted', source: 'participant', submittedBy: actor.userId, submitterName: null, submitterEmail: null, organisationId: access.organisationId });
    await recordAudit(tx, { actor, action: 'created', recordType: 'idea', recordId: id, ip, details: { programme_id: programme.id, title: form.title } });
    return id;
  });
}

/** The idea's own words as the audit log names them, for its before and after. */
function stored(i: repo.IdeaFields) {
  return { title: i.title, problem: i.problem, who_benefits: i.whoBenefits, idea: i.idea, rough_cost_pence: i.roughCostPence, how_we_know: i.howWeKnow };
}

/** Why the idea cannot be changed now (by someone allowed to change it), or null when it can. */
export function whyIdeaCannotChange(programme: Programme, idea: repo.Idea): string | null {
  if (!isOpen(programme.stage, 'submit_idea')) return `Ideas can only be changed during the Ideas open stage. This programme is at the ${stageNames[programme.stage]} stage.`;
  if (idea.status === 'shortlisted' || idea.teamId) return 'This idea has been shortlisted, so it can no longer be changed.';
  return null;
}

/** The author or a manager changes an idea while ideas are open; the change is kept in the audit log. */
export async function editIdea(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, ideaId: string, form: IdeaForm, ip?: string): Promise<void> {
  await ideaToChange(db, access, actor, programme.id, ideaId);
  await db.transaction(async (tx) => {
    // Lock the programme and the idea, so a stage change or a shortlisting cannot slip past the checks.
    const current = (await getProgramme(tx, programme.id, { lock: true }))!;
    const before = await repo.getIdea(tx, programme.id, ideaId, { lock: true });
    if (!before) throw refuse.notFound('Idea');
    const why = whyIdeaCannotChange(current, before);
    if (why) throw refuse.conflict('form', why);
    const after = fields(form);
    await repo.updateIdea(tx, ideaId, after);
    const changes = changedFields(stored(before), stored(after));
    await recordAudit(tx, { actor, action: 'updated', recordType: 'idea', recordId: ideaId, ip, details: { programme_id: programme.id, ...changes } });
  });
}

/** What the edit form starts with. */
export function ideaFormValues(idea: repo.Idea): Record<string, string> {
  return { title: idea.title, problem: idea.problem, whoBenefits: idea.whoBenefits, idea: idea.idea, roughCost: penceToInput(idea.roughCostPence), howWeKnow: idea.howWeKnow };
}

/** The programme behind a public idea form (anyone may open it; whether it is taking ideas is shown on it). */
export async function publicProgramme(db: Database, programmeId: string): Promise<Programme> {
  const programme = await getProgramme(db, programmeId);
  if (!programme) throw refuse.notFound('Programme');
  return programme;
}

/** A community member's suggestion through the public form: held for a manager to check before others see it. */
export async function suggestIdea(db: Database, programme: Programme, form: IdeaForm & { submitterName: string; submitterEmail?: string }, ip?: string): Promise<string> {
  if (!programme.publicIdeas) throw refuse.conflict('form', 'This programme is not taking suggestions from the public.');
  if (!isOpen(programme.stage, 'submit_idea')) throw refuse.conflict('form', 'This programme is not taking suggestions at the moment.');
  return db.transaction(async (tx) => {
    const id = await repo.insertIdea(tx, programme.id, {
      ...fields(form),
      status: 'awaiting_moderation',
      source: 'public',
      submittedBy: null,
      submitterName: form.submitterName,
      submitterEmail: form.submitterEmail ?? null,
      organisationId: null,
    });
    await recordAudit(tx, { actor: null, action: 'created', recordType: 'idea', recordId: id, ip, details: { programme_id: programme.id, title: form.title, source: 'public' } });
    return id;
  });
}

export async function commentOnIdea(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, ideaId: string, text: string, ip?: string): Promise<void> {
  if (!canTakePart(access)) throw refuse.forbidden();
  const idea = await loadIdea(db, access, actor, programme.id, ideaId);
  requireStage(programme, 'discuss_idea', 'body');
  if (idea.status === 'awaiting_moderation' || idea.status === 'declined') throw refuse.conflict('body', 'Comments are open on ideas that have been accepted into the programme');
  await db.transaction(async (tx) => {
    const id = await repo.insertComment(tx, ideaId, actor.userId, text);
    await recordAudit(tx, { actor, action: 'created', recordType: 'idea_comment', recordId: id, ip, details: { idea_id: ideaId } });
  });
}

/** Support is one per person: supporting again takes it back. */
export async function toggleSupport(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, ideaId: string, ip?: string): Promise<boolean> {
  if (!canTakePart(access)) throw refuse.forbidden();
  const idea = await loadIdea(db, access, actor, programme.id, ideaId);
  requireStage(programme, 'discuss_idea');
  if (idea.status === 'awaiting_moderation' || idea.status === 'declined') throw refuse.conflict('form', 'Only ideas accepted into the programme can be supported');
  return db.transaction(async (tx) => {
    const had = await repo.hasSupported(tx, ideaId, actor.userId);
    if (had) await repo.removeSupport(tx, ideaId, actor.userId);
    else await repo.addSupport(tx, ideaId, actor.userId);
    await recordAudit(tx, { actor, action: had ? 'support_withdrawn' : 'supported', recordType: 'idea', recordId: ideaId, ip });
    return !had;
  });
}

const transitions: Record<string, { from: repo.IdeaStatus[]; to: repo.IdeaStatus; action: string }> = {
  approve: { from: ['awaiting_moderation'], to: 'submitted', action: 'approved' },
  decline: { from: ['awaiting_moderation', 'submitted', 'shortlisted'], to: 'declined', action: 'declined' },
  shortlist: { from: ['submitted'], to: 'shortlisted', action: 'shortlisted' },
  unshortlist: { from: ['shortlisted'], to: 'submitted', action: 'removed_from_shortlist' },
  reconsider: { from: ['declined'], to: 'submitted', action: 'reconsidered' },
};

/** The manager moderates public suggestions and keeps the shortlist. */
export async function moveIdea(db: Database, actor: Actor, access: ProgrammeAccess, programme: Programme, ideaId: string, move: string, ip?: string): Promise<void> {
  requireManager(access);
  const t = transitions[move];
  if (!t) throw refuse.invalid('form', 'Choose what to do with the idea');
  if (move === 'shortlist' || move === 'unshortlist') requireStage(programme, 'shortlist');
  await db.transaction(async (tx) => {
    const idea = await repo.getIdea(tx, programme.id, ideaId, { lock: true });
    if (!idea) throw refuse.notFound('Idea');
    if (!t.from.includes(idea.status)) throw refuse.conflict('form', `This idea is ${idea.status.replace('_', ' ')}, so it cannot be ${t.action.replace(/_/g, ' ')}`);
    if (idea.teamId && t.to !== 'shortlisted') throw refuse.conflict('form', 'This idea already has a team, so it stays on the shortlist');
    await repo.setIdeaStatus(tx, ideaId, t.to);
    await recordAudit(tx, { actor, action: t.action, recordType: 'idea', recordId: ideaId, ip, details: { status: { from: idea.status, to: t.to } } });
  });
}
