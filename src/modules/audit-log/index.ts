/** The append-only audit log's viewer, filters and export. */
export { auditLogModule } from './audit-log.module.ts';
export { viewAuditLog } from './audit-log.service.ts';
