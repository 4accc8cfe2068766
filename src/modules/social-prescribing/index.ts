/**
 * Social prescribing: people, referrals, caseloads, connecting to community services, outcomes.
 * Case management with a closed loop to the community organisations that receive referrals.
 */
import { moduleViews, type AppModule, type NavItem } from '../../platform/http/app.ts';
import { canManageMeasures, canReviewAccess, canSeeReports, canUseCaseload } from './social-prescribing.policy.ts';
import { registerPeopleRoutes } from './people/people.routes.ts';
import { registerReferralsRoutes } from './referrals/referrals.routes.ts';
import { registerCasesRoutes } from './cases/cases.routes.ts';
import { registerPlansRoutes } from './plans/plans.routes.ts';
import { registerConnectRoutes } from './connect/connect.routes.ts';
import { registerMeasuresRoutes } from './measures/measures.routes.ts';
import { registerCohortsRoutes } from './cohorts/cohorts.routes.ts';
import { registerGpSummaryRoutes } from './gp-summary/gp-summary.routes.ts';
import { registerReportsRoutes } from './reports/reports.routes.ts';
import { registerPrivacyRoutes } from './privacy/privacy.routes.ts';
import { registerReferralLinksRoutes } from './referral-links/referral-links.routes.ts';
import { socialPrescribingNeedsMe } from './needs-me/needs-me.service.ts';
import { sendReferralReminders, showsReferralsReceived } from './connect/connect.service.ts';

export { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.ts';
export { organisationsReferredTo, peopleForInsightDemo, peopleReferredTo, summariseReferralsTo } from './insight-cohorts/insight-cohorts.service.ts';
export { loadDemoSocialPrescribing } from './demo/demo-social-prescribing.ts';
/** A link worker's outreach calls due (count, and the page listing them), for the home page. */
export { callsDueFor } from './cohorts/cohorts.service.ts';

export const socialPrescribingModule: AppModule = {
  name: 'social-prescribing',
  viewsDirs: moduleViews(import.meta.dirname),
  async navigation(actor, { db }) {
    const items: NavItem[] = [];
    if (canUseCaseload(actor)) items.push({ href: '/social-prescribing', text: 'Caseload' });
    // The inbox link: editors of organisations that list a service people can be referred to, or that have been sent referrals.
    if (await showsReferralsReceived(db, actor)) items.push({ href: '/social-prescribing/referrals-received', text: 'Referrals received' });
    if (canSeeReports(actor) && !canUseCaseload(actor)) items.push({ href: '/social-prescribing/reports', text: 'Social prescribing reports' });
    if (canReviewAccess(actor) && !canManageMeasures(actor)) items.push({ href: '/social-prescribing/access-review', text: 'Access review' });
    return items;
  },
  // The home page's "what needs me": referrals, calls and contacts due, answers waiting.
  needsMe: (actor, { db }) => socialPrescribingNeedsMe(db, actor),
  sweeps: {
    // Reminders about unanswered referrals, hourly; each referral is reminded once.
    'social-prescribing.referral-reminders': {
      everySeconds: 3600,
      run: async ({ db, mailer, config, now }) => void (await sendReferralReminders(db, mailer, now, config.publicUrl)),
    },
  },
  register(app, context) {
    registerCasesRoutes(app, context);
    registerReferralsRoutes(app, context);
    registerPeopleRoutes(app, context);
    registerPlansRoutes(app, context);
    registerConnectRoutes(app, context);
    registerGpSummaryRoutes(app, context);
    registerMeasuresRoutes(app, context);
    registerCohortsRoutes(app, context);
    registerReportsRoutes(app, context);
    registerPrivacyRoutes(app, context);
    registerReferralLinksRoutes(app, context);
  },
};
