import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import { canBeSignatory, canEditAssurance, canManageSharing, canReadAgreements, canSignFor } from './information-sharing.policy.ts';

const someone = (held: Role[], organisationId = 'own', userId = 'u'): Actor => ({
  userId,
  name: 'Test Person',
  email: 'person@test.common-ground.invalid',
  via: 'session',
  memberships: held.map((role) => ({ organisationId, organisationName: 'Test Organisation', role })),
});

const managers: Role[] = ['partnership_admin', 'ig_lead'];
const ownAssurance: Role[] = ['partnership_admin', 'ig_lead', 'organisation_editor'];

describe('who may manage information sharing', () => {
  it.each(roles.map((role) => [role, managers.includes(role)] as const))('%s manages agreements → %s', (role, expected) => {
    expect(canManageSharing(someone([role]))).toBe(expected);
  });
  it.each(roles.map((role) => [role, true] as const))('%s reads agreements → %s', (role, expected) => {
    expect(canReadAgreements(someone([role]))).toBe(expected);
  });
  it.each(roles.map((role) => [role, ownAssurance.includes(role)] as const))('%s edits its own organisation’s assurance → %s', (role, expected) => {
    expect(canEditAssurance(someone([role]), 'own')).toBe(expected);
  });
  it.each(roles.map((role) => [role, managers.includes(role)] as const))('%s edits another organisation’s assurance → %s', (role, expected) => {
    expect(canEditAssurance(someone([role]), 'other')).toBe(expected);
  });
  it.each([
    ['nobody signed in', null, false, false],
    ['a person with no role', someone([]), false, false],
  ] as const)('%s → manage %s, read %s', (_who, actor, manage, read) => {
    expect(canManageSharing(actor)).toBe(manage);
    expect(canReadAgreements(actor)).toBe(read);
  });
  it.each([
    ['the named signatory', someone(['organisation_editor'], 'own', 'sig'), 'sig', true],
    ['an admin who is not the signatory', someone(['partnership_admin'], 'own', 'admin'), 'sig', false],
    ['an IG lead who is not the signatory', someone(['ig_lead'], 'own', 'ig'), 'sig', false],
    ['anyone, when no signatory is named', someone(['partnership_admin'], 'own', 'sig'), null, false],
    ['nobody signed in', null, 'sig', false],
  ] as const)('signing: %s → %s', (_who, actor, signatory, expected) => {
    expect(canSignFor(actor, signatory)).toBe(expected);
  });
  it.each([
    ['a member of the organisation', [{ organisationId: 'own' }], true],
    ['someone from another organisation', [{ organisationId: 'other' }], false],
    ['someone with no organisation', [], false],
  ] as const)('may be named signatory: %s → %s', (_who, memberships, expected) => {
    expect(canBeSignatory({ memberships: [...memberships] }, 'own')).toBe(expected);
  });
});
