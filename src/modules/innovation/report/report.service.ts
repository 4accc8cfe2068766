import type { Database } from '../../../platform/db/database.ts';
import { fundPosition, listMembers, type Programme } from '../programmes/programmes.repository.ts';
import { listIdeas } from '../ideas/ideas.repository.ts';
import { teamsWithMembers } from '../teams/teams.service.ts';
import { listSessions } from '../sessions/sessions.repository.ts';
import { listHelp, listNeeds } from '../needs-offers/needs-offers.repository.ts';
import { listCases } from '../cases/cases.repository.ts';
import { listDecisions } from '../decisions/decisions.repository.ts';
import { listProjects } from '../projects/projects.repository.ts';

/** Everything the programme report shows, gathered once. */
export async function programmeReport(db: Database, programme: Programme) {
  const [position, members, ideas, teams, sessions, needs, help, cases, decisions, projects] = await Promise.all([
    fundPosition(db, programme),
    listMembers(db, programme.id),
    listIdeas(db, programme.id),
    teamsWithMembers(db, programme.id),
    listSessions(db, programme.id),
    listNeeds(db, programme.id),
    listHelp(db, programme.id),
    listCases(db, programme.id),
    listDecisions(db, programme.id),
    listProjects(db, programme.id),
  ]);
  const accepted = ideas.filter((i) => i.status !== 'awaiting_moderation');
  const organisations = new Set([...members.map((m) => m.organisationName), ...teams.flatMap((t) => t.organisations)].filter(Boolean));
  return {
    position,
    counts: {
      participants: members.length,
      organisations: organisations.size,
      ideas: accepted.length,
      publicIdeas: accepted.filter((i) => i.source === 'public').length,
      shortlisted: accepted.filter((i) => i.status === 'shortlisted').length,
      teams: teams.length,
      sessionsHeld: sessions.filter((s) => s.held).length,
      sessionsPlanned: sessions.filter((s) => !s.held).length,
      attendances: sessions.filter((s) => s.held).reduce((sum, s) => sum + s.attendees, 0),
      needs: needs.length,
      needsMet: needs.filter((n) => n.status === 'met').length,
      cases: cases.length,
      funded: decisions.filter((d) => d.awardedPence > 0).length,
    },
    ideas: accepted,
    teams,
    sessions,
    help,
    cases,
    decisions,
    projects,
  };
}
