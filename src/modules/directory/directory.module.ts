import { moduleViews, type AppModule, type NavItem } from '../../platform/http/app.ts';
import { canManageDirectory, editableOrganisations } from './directory.policy.ts';
import { registerSearchRoutes } from './search/search.routes.ts';
import { registerListingsRoutes } from './listings/listings.routes.ts';
import { registerProblemsRoutes } from './problems/problems.routes.ts';
import { registerOrukRoutes } from './oruk/oruk.routes.ts';
import { registerTransferRoutes } from './transfer/transfer.routes.ts';

export const directoryModule: AppModule = {
  name: 'directory',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation(actor) {
    const items: NavItem[] = [{ href: '/directory', text: 'Find services' }];
    const editable = editableOrganisations(actor);
    if (editable === 'all' || editable.length) {
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
