import path from 'node:path';
import type { AppModule } from '../../platform/http/app.ts';
import { registerSignInRoutes } from './identity.routes.ts';

export const identityModule: AppModule = {
  name: 'identity',
  viewsDir: path.join(import.meta.dirname, 'views'),
  navigation: () => [],
  register(app, context) {
    registerSignInRoutes(app, context);
  },
};
