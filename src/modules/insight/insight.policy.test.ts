import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import { canLoadExtracts, canUseInsight } from './insight.policy.ts';

const actorWith = (role: Role): Actor => ({ userId: 'u', name: 'N', email: 'n@example.org', via: 'session', memberships: [{ organisationId: 'o', organisationName: 'O', role }] });

const allowed: Record<Role, boolean> = {
  partnership_admin: true,
  analyst: true,
  organisation_editor: false,
  link_worker: false,
  programme_manager: false,
  panel_member: false,
  ig_lead: false,
  grants_manager: false,
};

describe('who may use whole-system insight', () => {
  it.each(roles.map((role) => [role, allowed[role]] as const))('%s: %s', (role, expected) => {
    expect(canUseInsight(actorWith(role))).toBe(expected);
    expect(canLoadExtracts(actorWith(role))).toBe(expected);
  });
  it('nobody signed out', () => {
    expect(canUseInsight(null)).toBe(false);
    expect(canLoadExtracts(undefined)).toBe(false);
  });
});
