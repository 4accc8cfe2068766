import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { canViewAuditLog } from './audit-log.policy.ts';
import { registerAuditLogRoutes } from './audit-log.routes.ts';

/** The append-only record of who did what, for partnership admins and information governance leads. */
export const auditLogModule: AppModule = {
  name: 'audit-log',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canViewAuditLog(actor) ? [{ href: '/admin/audit', text: 'Audit log' }] : []),
  register(app, context) {
    registerAuditLogRoutes(app, context);
  },
};
