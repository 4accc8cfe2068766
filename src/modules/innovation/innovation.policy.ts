import { hasRole, type Actor } from '../../platform/actor.ts';
import type { Stage } from './stages.ts';

/** What one person may do in one programme: worked out once per request by programmeAccess(). */
export type ProgrammeAccess = {
  /** Programme managers and partnership admins run every programme. */
  manager: boolean;
  /** Taking part: as a participant or on the investment team (panel). */
  memberRole: 'participant' | 'panel' | null;
  organisationId: string | null;
  /** Teams the person is a member of. */
  teamIds: string[];
};

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
export const canTakePart = (a: ProgrammeAccess) => a.manager || a.memberRole !== null;
export const isTeamMember = (a: ProgrammeAccess, teamId: string) => a.teamIds.includes(teamId);
/** A team's own members and the managers keep its needs, case and project. */
export const canActForTeam = (a: ProgrammeAccess, teamId: string) => a.manager || isTeamMember(a, teamId);
/** Scoring is for the investment team only; managers run the day but do not score. */
export const canScore = (a: ProgrammeAccess) => isPanel(a);
/** The panel decides, with the programme manager recording decisions for it. */
export const canDecide = (a: ProgrammeAccess) => a.manager || isPanel(a);
/** Moderation (everyone's scores) is for the panel and managers. */
export const canModerate = (a: ProgrammeAccess) => a.manager || isPanel(a);
/** Closed programmes are read-only for everyone. */
export const isReadOnly = (stage: Stage) => stage === 'closed';
