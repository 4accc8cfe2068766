/** Whole-system insight: pseudonymised NHS and social care activity and cost, linked by person, in an embedded analytical store. */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { registerAnalysisRoutes } from './analysis/analysis.routes.ts';
import { registerChangeRoutes } from './changes/changes.routes.ts';
import { insightContext } from './insight.context.ts';
import { canUseInsight } from './insight.policy.ts';
import { registerLoadRoutes } from './loads/loads.routes.ts';
import { loadDemoOnFirstStart } from './demo/insight-demo.service.ts';

export { insightCommands } from './insight.commands.ts';

export const insightModule: AppModule = {
  name: 'insight',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canUseInsight(actor) ? [{ href: '/insight', text: 'Insight' }] : []),
  register(app, context) {
    const insight = insightContext(context.config, context.db);
    let demo: Promise<unknown> = Promise.resolve();
    let stopping = false;
    // The demo partnership's first start: a small synthetic population, loaded after the server is up.
    if (context.config.loadDemoData) {
      app.addHook('onReady', async () => {
        demo = loadDemoOnFirstStart(insight, context.db, () => stopping).catch((error: unknown) => app.log.error({ err: error }, 'the whole-system insight demo could not be loaded'));
      });
    }
    app.addHook('onClose', async () => {
      // Stop the demo between files; the file being loaded finishes (or not at all: it is one transaction).
      stopping = true;
      await demo;
      await insight.close();
    });
    registerAnalysisRoutes(app, context, insight);
    registerLoadRoutes(app, context, insight);
    registerChangeRoutes(app, context, insight);
  },
};
