/** Grants from award to signed closure: funds, grants, tranches, reports, late changes, closure letters; 360Giving out and in. */
import { moduleViews, type AppModule, type NavItem } from '../../platform/http/app.ts';
import { canImportOpenData } from './grants.policy.ts';
import { showsGrants } from './awards/awards.service.ts';
import { registerFundsRoutes } from './funds/funds.routes.ts';
import { registerAwardsRoutes } from './awards/awards.routes.ts';
import { registerGrantPageRoutes } from './grant-page/grant-page.routes.ts';
import { registerPaymentsRoutes } from './payments/payments.routes.ts';
import { registerReportsRoutes } from './reports/reports.routes.ts';
import { registerChangesRoutes } from './changes/changes.routes.ts';
import { registerClosureRoutes } from './closure/closure.routes.ts';
import { registerOpenDataRoutes } from './open-data/open-data.routes.ts';
import { sendReportReminders } from './reports/reports.service.ts';
import { grantsReceivedPanels } from './open-data/open-data.service.ts';

export { loadDemoGrants } from './demo/demo-grants.ts';

export const grantsModule: AppModule = {
  name: 'grants',
  viewsDirs: moduleViews(import.meta.dirname),
  async navigation(actor, { db }) {
    const items: NavItem[] = [];
    if (await showsGrants(db, actor)) items.push({ href: '/grants', text: 'Grants' });
    if (canImportOpenData(actor)) items.push({ href: '/grants/open-data', text: 'Funding routes' });
    return items;
  },
  // Other funders' published grants matched to a directory organisation, on its public page.
  organisationPanels: (organisationId, _actor, { db }) => grantsReceivedPanels(db, organisationId),
  sweeps: {
    // Report reminders: a week before the due date, and once when overdue; each goes once.
    'grants.report-reminders': {
      everySeconds: 3600,
      run: async ({ db, mailer, config, now }) => void (await sendReportReminders(db, mailer, now, config.publicUrl)),
    },
  },
  register(app, context) {
    registerFundsRoutes(app, context);
    registerAwardsRoutes(app, context);
    registerGrantPageRoutes(app, context);
    registerPaymentsRoutes(app, context);
    registerReportsRoutes(app, context);
    registerChangesRoutes(app, context);
    registerClosureRoutes(app, context);
    registerOpenDataRoutes(app, context);
  },
};
