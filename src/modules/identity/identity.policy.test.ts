import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import { canDeactivate, canManageOwnAccount, canManageUsers } from './identity.policy.ts';

const ME = '00000000-0000-4000-8000-000000000001';
const SOMEONE_ELSE = '00000000-0000-4000-8000-000000000002';

function actor(role: Role | null, via: Actor['via'] = 'session'): Actor {
  return {
    userId: ME,
    name: 'Test Person',
    email: 'test@example.org',
    memberships: role ? [{ organisationId: '00000000-0000-4000-8000-0000000000aa', organisationName: 'Org', role }] : [],
    via,
  };
}

const adminOnly = (role: Role) => role === 'partnership_admin';

describe('identity policy', () => {
  describe('canManageUsers: partnership admins only', () => {
    it.each([
      ...roles.map((role) => [role, adminOnly(role)] as const),
      ['no role', false],
    ] as const)('%s → %s', (role, expected) => {
      expect(canManageUsers(actor(role === 'no role' ? null : role))).toBe(expected);
    });
    it('anonymous → false', () => expect(canManageUsers(null)).toBe(false));
  });

  describe('canDeactivate: admins, someone other than themselves', () => {
    it.each([
      ...roles.flatMap((role) => [
        [role, 'someone else', adminOnly(role)] as const,
        [role, 'themselves', false] as const,
      ]),
    ])('%s deactivating %s → %s', (role, whom, expected) => {
      expect(canDeactivate(actor(role), whom === 'themselves' ? ME : SOMEONE_ELSE)).toBe(expected);
    });
    it('anonymous → false', () => expect(canDeactivate(null, SOMEONE_ELSE)).toBe(false));
  });

  describe('canManageOwnAccount: anyone signed in through a browser session, never with an API token', () => {
    it.each([
      ...roles.flatMap((role) => [
        [role, 'session', true] as const,
        [role, 'api_token', false] as const,
      ]),
      ['no role', 'session', true] as const,
      ['no role', 'api_token', false] as const,
    ])('%s via %s → %s', (role, via, expected) => {
      expect(canManageOwnAccount(actor(role === 'no role' ? null : role, via))).toBe(expected);
    });
    it('anonymous → false', () => expect(canManageOwnAccount(null)).toBe(false));
  });
});
