/** The directory: organisations, services, places, times and needs; Open Referral UK 3.0. */
import { moduleViews, type AppModule, type NavItem } from '../../platform/http/app.ts';
import { canManageDirectory, keepsListings } from './directory.policy.ts';
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
  register(app, context) {
    registerSearchRoutes(app, context);
    registerListingsRoutes(app, context);
    registerProblemsRoutes(app, context);
    registerOrukRoutes(app, context);
    registerTransferRoutes(app, context);
  },
};
