/** The directory: organisations, services, places, times and needs; Open Referral UK 3.0. */
import { moduleViews, type AppModule, type NavItem, type NeedsMeItem } from '../../platform/http/app.ts';
import { canManageDirectory, canSeeAllListings, keepsListings } from './directory.policy.ts';
import { problemReportsFor } from './problems/problems.service.ts';
import { yourListings } from './listings/review.service.ts';
import { registerListingsRoutes } from './listings/listings.routes.ts';
import { registerOrukRoutes } from './oruk/oruk.routes.ts';
import { registerProblemsRoutes } from './problems/problems.routes.ts';
import { registerSearchRoutes } from './search/search.routes.ts';
import { registerTransferRoutes } from './transfer/transfer.routes.ts';

export { needs } from './needs-taxonomy.ts';
export { loadDemoDirectory, type DemoAnchors } from './demo/demo-directory.ts';
export { exportCommand, importCommand } from './transfer/transfer.commands.ts';
export { postcodesCommand } from './postcodes/postcodes.commands.ts';
export { areaDeprivation } from './postcodes/area-deprivation.repository.ts';
export { normalisePostcode } from './postcodes/postcode.ts';
export { SearchQuerySchema } from './search/search.schemas.ts';
export { getOrganisationDetail, getServiceDetail, searchDirectory } from './search/search.service.ts';

export const directoryModule: AppModule = {
  name: 'directory',
  // The module's views/ and each feature's (search/, listings/, problems/ …), found by moduleViews().
  viewsDirs: moduleViews(import.meta.dirname),
  navigation(actor) {
    const items: NavItem[] = [{ href: '/directory', text: 'Find services' }];
    if (keepsListings(actor)) {
      items.push({ href: '/directory/listings', text: 'Your listings' });
      items.push({ href: '/directory/problems', text: 'Problem reports' });
    }
    if (canManageDirectory(actor)) {
      items.push({ href: '/directory/duplicates', text: 'Duplicates' });
      items.push({ href: '/directory/import', text: 'Import and export' });
    }
    return items;
  },
  // The home page's "what needs me": an editor's listings due for review and open problem reports
  // (admins: every open report; the staleness dashboard stays on Your listings).
  async needsMe(actor, { db, config }) {
    if (!keepsListings(actor)) return [];
    const reports = await problemReportsFor(db, actor, { limit: 1, offset: 0 });
    const items: NeedsMeItem[] = [{ count: reports.open, title: reports.open === 1 ? 'Problem report to look at' : 'Problem reports to look at', href: '/directory/problems', description: 'Someone told us a listing is wrong.' }];
    if (!canSeeAllListings(actor)) {
      const { listings } = await yourListings(db, actor, config.staleAfterMonths, { page: 1 });
      const due = listings?.staleCount ?? 0;
      items.push({ count: due, title: due === 1 ? 'Listing due for review' : 'Listings due for review', href: '/directory/listings', description: `Not checked for ${config.staleAfterMonths} months: check it is still right.` });
    }
    return items;
  },
  register(app, context) {
    registerSearchRoutes(app, context);
    registerListingsRoutes(app, context);
    registerProblemsRoutes(app, context);
    registerOrukRoutes(app, context);
    registerTransferRoutes(app, context);
  },
};
