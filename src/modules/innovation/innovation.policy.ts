import { hasRole, type Actor } from '../../platform/actor.ts';

/**
 * Who may do what in the innovation programmes. The programme-wide answers come from the
 * person's ProgrammeAccess (worked out once per request by openProgramme in the programmes
 * service); rules about one record (an idea, a case the person has declared a conflict on) take
 * that record too.
 */

/** What one person is in one programme. */
export type ProgrammeAccess = {
  /** Programme managers and partnership admins run every programme. */
  manager: boolean;
  /** Taking part: as a participant or on the investment team (panel). */
  memberRole: 'participant' | 'panel' | null;
  /** The investment team's chair, who records the panel's decisions. */
  chair: boolean;
  organisationId: string | null;
  /** Organisations the person may act for: their own (roles held in them) and the one they take part for. */
  ownOrganisationIds: string[];
  /** Teams the person is a member of. */
  teamIds: string[];
};

/** Who the actor is in one programme: from their roles, their membership of it (if any) and their teams in it. */
export function programmeAccessOf(actor: Actor, membership: { role: 'participant' | 'panel'; chair?: boolean; organisationId: string | null } | undefined, teamIds: string[]): ProgrammeAccess {
  const organisationId = membership?.organisationId ?? actor.memberships[0]?.organisationId ?? null;
  const own = new Set(actor.memberships.map((m) => m.organisationId));
  if (membership?.organisationId) own.add(membership.organisationId);
  return {
    manager: canRunProgrammes(actor),
    memberRole: membership?.role ?? null,
    chair: membership?.role === 'panel' && !!membership.chair,
    organisationId,
    ownOrganisationIds: [...own],
    teamIds,
  };
}

/** Creating programmes, and running every one. */
export function canRunProgrammes(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'programme_manager', 'partnership_admin');
}

/** The "Programmes" navigation item: managers, panel members, admins, and anyone taking part. */
export function canSeeProgrammes(actor: Actor | null | undefined, takesPart: boolean): boolean {
  return hasRole(actor, 'programme_manager', 'panel_member', 'partnership_admin') || (!!actor && takesPart);
}

export const canViewProgramme = (a: ProgrammeAccess) => a.manager || a.memberRole !== null;
export const canManageProgramme = (a: ProgrammeAccess) => a.manager;
export const isPanel = (a: ProgrammeAccess) => a.memberRole === 'panel';
/** Suggesting ideas, commenting, supporting, offering help. */
export const canTakePart = (a: ProgrammeAccess) => a.manager || a.memberRole !== null;
/** Joining sessions and voting are for the people taking part (managers run them). */
export const isMember = (a: ProgrammeAccess) => a.memberRole !== null;
const isTeamMember = (a: ProgrammeAccess, teamId: string) => a.teamIds.includes(teamId);
/** A team's own members and the managers keep its needs, case and project. */
export const canActForTeam = (a: ProgrammeAccess, teamId: string) => a.manager || isTeamMember(a, teamId);
/** Scoring is for the investment team only; managers run the day but do not score. */
export const canScore = (a: ProgrammeAccess) => isPanel(a);
/** The panel decides; its chair records the decisions. */
export const canDecide = (a: ProgrammeAccess) => isPanel(a) && a.chair;
/** Pledging help on behalf of an organisation: only one of the person's own. */
export const canPledgeFor = (a: ProgrammeAccess, organisationId: string) => canTakePart(a) && a.ownOrganisationIds.includes(organisationId);
/** Moderation (everyone's scores) is for the panel and managers. */
export const canModerate = (a: ProgrammeAccess) => a.manager || isPanel(a);

/**
 * A conflict of interest on one case: declared by the member, or found automatically (the member
 * takes part for the same organisation as one of the case's team).
 */
type OnCase = { conflicted: boolean } | undefined | null;
/** A conflicted member neither scores the case, nor sees the others' scores on it, nor takes part in its decision. */
export const canScoreCase = (a: ProgrammeAccess, declaration: OnCase) => canScore(a) && !declaration?.conflicted;
export const canSeeCaseScores = (a: ProgrammeAccess, declaration: OnCase) => canModerate(a) && !declaration?.conflicted;
export const canDecideCase = (a: ProgrammeAccess, declaration: OnCase) => canDecide(a) && !declaration?.conflicted;

type IdeaFacts = { submittedBy: string | null; status: string };
/** The managers see every idea; others see ideas past moderation, and their own. */
export const canSeeIdea = (a: ProgrammeAccess, userId: string, idea: IdeaFacts) =>
  a.manager || idea.submittedBy === userId || idea.status === 'submitted' || idea.status === 'shortlisted';
/** An idea's author and the programme's managers can change it (while the stage allows). */
export const canChangeIdea = (a: ProgrammeAccess, userId: string, idea: IdeaFacts) => a.manager || idea.submittedBy === userId;

/** The programme-wide answers its pages show (sections, buttons), worked out once when the programme is opened. */
export function programmeAnswers(a: ProgrammeAccess) {
  return { manage: canManageProgramme(a), panel: isPanel(a), chair: canDecide(a), member: isMember(a), moderate: canModerate(a), decide: canDecide(a) };
}
export type ProgrammeAnswers = ReturnType<typeof programmeAnswers>;
