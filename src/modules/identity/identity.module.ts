import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { registerAccountRoutes } from './account.routes.ts';
import { registerAdminUserRoutes } from './admin-users.routes.ts';
import { registerIdentityApi } from './identity.api.ts';
import { canManageUsers } from './identity.policy.ts';
import { registerSignInRoutes } from './identity.routes.ts';
import { registerOneTimeLinkRoutes } from './one-time-links.routes.ts';

export const identityModule: AppModule = {
  name: 'identity',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canManageUsers(actor) ? [{ href: '/admin/users', text: 'Users and roles' }] : []),
  register(app, context) {
    registerSignInRoutes(app, context);
    registerOneTimeLinkRoutes(app, context);
    registerAccountRoutes(app, context);
    registerAdminUserRoutes(app, context);
    registerIdentityApi(app);
  },
};
