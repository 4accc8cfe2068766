/** Innovation programmes: ideas, teams, investment cases, scoring, decisions, projects. */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { hasRole } from '../../platform/actor.ts';
import { canSeeProgrammes } from './innovation.policy.ts';
import { registerInnovationAssets } from './innovation.http.ts';
import { takesPartAnywhere } from './programmes/programmes.repository.ts';
import { registerProgrammesRoutes } from './programmes/programmes.routes.ts';
import { registerProgrammesApi } from './programmes/programmes.api.ts';
import { registerIdeasRoutes } from './ideas/ideas.routes.ts';
import { registerIdeasApi } from './ideas/ideas.api.ts';
import { registerTeamsRoutes } from './teams/teams.routes.ts';
import { registerSessionsRoutes } from './sessions/sessions.routes.ts';
import { registerNeedsOffersRoutes } from './needs-offers/needs-offers.routes.ts';
import { registerCasesRoutes } from './cases/cases.routes.ts';
import { registerCasesApi } from './cases/cases.api.ts';
import { registerScoringRoutes } from './scoring/scoring.routes.ts';
import { registerDecisionsRoutes } from './decisions/decisions.routes.ts';
import { registerDecisionsApi } from './decisions/decisions.api.ts';
import { registerVotingRoutes } from './voting/voting.routes.ts';
import { registerProjectsRoutes } from './projects/projects.routes.ts';
import { registerReportRoutes } from './report/report.routes.ts';

export { loadDemoProgrammes } from './demo/demo-programme.ts';

/** Innovation programmes and investment funds: ideas, teams, development, Investment Day, tests of change. */
export const innovationModule: AppModule = {
  name: 'innovation',
  viewsDirs: moduleViews(import.meta.dirname),
  async navigation(actor, { db }) {
    // People without a programme role see the link when they take part in a programme somewhere.
    const takesPart = !!actor && !hasRole(actor, 'programme_manager', 'panel_member', 'partnership_admin') && (await takesPartAnywhere(db, actor.userId));
    return canSeeProgrammes(actor, takesPart) ? [{ href: '/programmes', text: 'Programmes' }] : [];
  },
  register(app, context) {
    registerInnovationAssets(app);
    registerProgrammesRoutes(app, context);
    registerIdeasRoutes(app, context);
    registerTeamsRoutes(app, context);
    registerSessionsRoutes(app, context);
    registerNeedsOffersRoutes(app, context);
    registerCasesRoutes(app, context);
    registerScoringRoutes(app, context);
    registerDecisionsRoutes(app, context);
    registerVotingRoutes(app, context);
    registerProjectsRoutes(app, context);
    registerReportRoutes(app, context);
    registerProgrammesApi(app, context);
    registerIdeasApi(app, context);
    registerCasesApi(app, context);
    registerDecisionsApi(app, context);
  },
};
