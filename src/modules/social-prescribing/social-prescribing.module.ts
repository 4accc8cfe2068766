import { moduleViews, type AppModule, type NavItem } from '../../platform/http/app.ts';
import { receivesReferrals } from './social-prescribing.repository.ts';
import { canManageMeasures, canReviewAccess, canSeeReports, canUseCaseload, inboxOrganisations } from './social-prescribing.policy.ts';
import { registerCaseworkRoutes } from './casework.routes.ts';
import { registerConnectRoutes } from './connect.routes.ts';
import { registerOutcomesRoutes } from './outcomes.routes.ts';
import { registerGovernanceRoutes } from './governance.routes.ts';
import { registerSocialPrescribingApi } from './social-prescribing.api.ts';
import { sendReferralReminders } from './connect.service.ts';

const HOUR = 3_600_000;

/**
 * Social prescribing case management, with a closed loop to the community organisations that
 * receive referrals. The inbox link shows to editors of organisations that list a service people
 * can be referred to, or that have been sent referrals.
 */
export const socialPrescribingModule: AppModule = {
  name: 'social-prescribing',
  viewsDirs: moduleViews(import.meta.dirname),
  async navigation(actor, { db }) {
    const items: NavItem[] = [];
    if (canUseCaseload(actor)) items.push({ href: '/social-prescribing', text: 'Caseload' });
    const organisations = inboxOrganisations(actor);
    if (organisations.length && (await receivesReferrals(db, organisations))) items.push({ href: '/social-prescribing/referrals-received', text: 'Referrals received' });
    if (canSeeReports(actor) && !canUseCaseload(actor)) items.push({ href: '/social-prescribing/reports', text: 'Social prescribing reports' });
    if (canReviewAccess(actor) && !canManageMeasures(actor)) items.push({ href: '/social-prescribing/access-review', text: 'Access review' });
    return items;
  },
  register(app, context) {
    const years = context.config.socialPrescribingRetentionYears;
    registerCaseworkRoutes(app, context);
    registerConnectRoutes(app, context);
    registerOutcomesRoutes(app, context);
    registerGovernanceRoutes(app, context, years);
    registerSocialPrescribingApi(app, context);
    // Reminders about unanswered referrals go out hourly; each referral is reminded once.
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        sendReferralReminders(context.db, context.mailer, new Date(), context.config.publicUrl).catch((error) => app.log.error({ err: error }, 'referral reminders failed'));
      }, HOUR);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
};
