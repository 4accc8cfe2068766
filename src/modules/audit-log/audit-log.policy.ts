import { hasRole, type Actor } from '../../platform/actor.ts';

/** The audit log is read by partnership admins and information governance leads, who review access. */
export function canViewAuditLog(actor: Actor | null | undefined): boolean {
  return hasRole(actor, 'partnership_admin', 'ig_lead');
}
