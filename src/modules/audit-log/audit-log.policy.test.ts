import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import { canViewAuditLog } from './audit-log.policy.ts';

const someone = (...held: Role[]): Actor => ({
  userId: 'u',
  name: 'Test Person',
  email: 'person@test.common-ground.invalid',
  via: 'session',
  memberships: held.map((role) => ({ organisationId: 'o', organisationName: 'Test Organisation', role })),
});

// Every role, alone: only those who review access read the log.
const readers: Role[] = ['partnership_admin', 'ig_lead'];

describe('who may read the audit log', () => {
  it.each(roles.map((role) => [role, readers.includes(role)] as const))('%s → %s', (role, expected) => {
    expect(canViewAuditLog(someone(role))).toBe(expected);
  });
  it.each([
    ['nobody signed in', null, false],
    ['a person with no role', someone(), false],
    ['a link worker who is also an IG lead', someone('link_worker', 'ig_lead'), true],
  ] as const)('%s → %s', (_who, actor, expected) => {
    expect(canViewAuditLog(actor)).toBe(expected);
  });
});
