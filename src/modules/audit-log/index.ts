/** The append-only audit log's viewer, filters and export, for partnership admins and information governance leads. */
import { moduleViews, type AppModule } from '../../platform/http/app.ts';
import { canViewAuditLog } from './audit-log.policy.ts';
import { registerAuditLogRoutes } from './log/log.routes.ts';

export { viewAuditLog } from './log/log.service.ts';

export const auditLogModule: AppModule = {
  name: 'audit-log',
  viewsDirs: moduleViews(import.meta.dirname),
  navigation: (actor) => (canViewAuditLog(actor) ? [{ href: '/admin/audit', text: 'Audit log' }] : []),
  register(app, context) {
    registerAuditLogRoutes(app, context);
  },
};
