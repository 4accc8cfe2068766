/**
 * Information sharing: organisations' assurance, the overarching protocol (tier 1), agreements for
 * a purpose (tier 2) signed by every party, the public register and data-flow map, and the check
 * Common Ground's own flows of personal data make before they happen.
 */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { canManageSharing } from './information-sharing.policy.ts';
import { registerAgreementRoutes } from './agreements/agreements.routes.ts';
import { registerAssuranceRoutes } from './assurance/assurance.routes.ts';
import { registerDpiaRoutes } from './dpia/dpia.routes.ts';
import { registerRegisterRoutes } from './register/register.routes.ts';
import { registerOptOutRoutes } from './opt-out/opt-out.routes.ts';
import { registerEvidenceRoutes } from './evidence/evidence.routes.ts';
import { sendReviewReminders } from './reviews/reviews.service.ts';

export { allowFlow, recordPersonChoice } from './enforcement/enforcement.service.ts';
export { loadDemoSharing } from './demo/demo-sharing.ts';
export { optOutList } from './opt-out/opt-out.service.ts';

export const informationSharingModule: AppModule = {
  name: 'information-sharing',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canManageSharing(actor) ? [{ href: '/sharing', text: 'Information sharing' }] : []),
  sweeps: {
    // Review reminders 90, 30 and 0 days before each agreement's review date; each goes once.
    'information-sharing.review-reminders': {
      everySeconds: 3600,
      run: async ({ db, mailer, config, now }) => void (await sendReviewReminders(db, mailer, now, config.publicUrl)),
    },
  },
  register(app, context) {
    registerAgreementRoutes(app, context);
    registerAssuranceRoutes(app, context);
    registerRegisterRoutes(app, context);
    registerDpiaRoutes(app, context);
    registerOptOutRoutes(app, context);
    registerEvidenceRoutes(app, context);
  },
};
