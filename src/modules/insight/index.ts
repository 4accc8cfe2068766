/** Whole-system insight: pseudonymised NHS and social care activity and cost, linked by person, in an embedded analytical store. */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { registerAnalysisRoutes } from './analysis/analysis.routes.ts';
import { insightContext } from './insight.context.ts';
import { canUseInsight } from './insight.policy.ts';
import { registerLoadRoutes } from './loads/loads.routes.ts';

export { insightCommands } from './insight.commands.ts';

export const insightModule: AppModule = {
  name: 'insight',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canUseInsight(actor) ? [{ href: '/insight', text: 'Insight' }] : []),
  register(app, context) {
    const insight = insightContext(context.config, context.db);
    app.addHook('onClose', () => insight.close());
    registerAnalysisRoutes(app, context, insight);
    registerLoadRoutes(app, context, insight);
  },
};
