import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import {
  canCreateOrganisation,
  canEditOrganisation,
  canManageDirectory,
  canResolveProblems,
  canSeeAllListings,
  canSeeProblemReports,
  canViewListingHistory,
  editableOrganisations,
  keepsListings,
} from './directory.policy.ts';

const THIS_ORGANISATION = 'a0000000-0000-4000-8000-000000000001';
const ANOTHER_ORGANISATION = 'a0000000-0000-4000-8000-000000000002';

/** Someone with one role, held in this organisation (the listing's) or another. */
function actorWith(role: Role, organisationId: string): Actor {
  return { userId: 'u1', name: 'Test Person', email: 'test@example.org', via: 'session', memberships: [{ organisationId, organisationName: 'An organisation', role }] };
}

type Relation = 'in this organisation' | 'in another organisation';
const relations: Record<Relation, string> = { 'in this organisation': THIS_ORGANISATION, 'in another organisation': ANOTHER_ORGANISATION };

describe('who may keep a listing (about this organisation’s listing)', () => {
  // role, relation, edit it / resolve its problem reports / see its history
  const rows: [Role, Relation, boolean][] = [
    ['partnership_admin', 'in this organisation', true],
    ['partnership_admin', 'in another organisation', true],
    ['organisation_editor', 'in this organisation', true],
    ['organisation_editor', 'in another organisation', false],
    ['link_worker', 'in this organisation', false],
    ['link_worker', 'in another organisation', false],
    ['programme_manager', 'in this organisation', false],
    ['programme_manager', 'in another organisation', false],
    ['panel_member', 'in this organisation', false],
    ['panel_member', 'in another organisation', false],
    ['analyst', 'in this organisation', false],
    ['analyst', 'in another organisation', false],
    ['ig_lead', 'in this organisation', false],
    ['ig_lead', 'in another organisation', false],
    ['grants_manager', 'in this organisation', false],
    ['grants_manager', 'in another organisation', false],
  ];

  it('has a row for every role and relation', () => {
    expect(rows.map(([role, relation]) => `${role} ${relation}`).sort()).toEqual(roles.flatMap((r) => Object.keys(relations).map((rel) => `${r} ${rel}`)).sort());
  });

  it.each(rows)('%s %s → %s', (role, relation, expected) => {
    const actor = actorWith(role, relations[relation]);
    expect(canEditOrganisation(actor, THIS_ORGANISATION)).toBe(expected);
    expect(canResolveProblems(actor, THIS_ORGANISATION)).toBe(expected);
    expect(canViewListingHistory(actor, THIS_ORGANISATION)).toBe(expected);
  });

  it('refuses anonymous people', () => {
    expect(canEditOrganisation(null, THIS_ORGANISATION)).toBe(false);
    expect(canResolveProblems(undefined, THIS_ORGANISATION)).toBe(false);
    expect(canViewListingHistory(null, THIS_ORGANISATION)).toBe(false);
  });
});

describe('who may use the directory’s pages for people who keep it', () => {
  // role → keeps listings (Your listings, Problem reports) / manages the directory (dashboard, add organisations, duplicates, import)
  const rows: [Role | 'anonymous', boolean, boolean][] = [
    ['partnership_admin', true, true],
    ['organisation_editor', true, false],
    ['link_worker', false, false],
    ['programme_manager', false, false],
    ['panel_member', false, false],
    ['analyst', false, false],
    ['ig_lead', false, false],
    ['grants_manager', false, false],
    ['anonymous', false, false],
  ];

  it('has a row for every role, and for anonymous people', () => {
    expect(rows.map(([role]) => role).sort()).toEqual([...roles, 'anonymous'].sort());
  });

  it.each(rows)('%s → keeps listings %s, manages the directory %s', (role, keeps, manages) => {
    const actor = role === 'anonymous' ? null : actorWith(role, THIS_ORGANISATION);
    expect(keepsListings(actor)).toBe(keeps);
    expect(canSeeProblemReports(actor)).toBe(keeps);
    expect(canManageDirectory(actor)).toBe(manages);
    expect(canCreateOrganisation(actor)).toBe(manages);
    expect(canSeeAllListings(actor)).toBe(manages);
  });
});

describe('whose listings an actor keeps', () => {
  it.each([
    ['a partnership admin: every organisation', actorWith('partnership_admin', THIS_ORGANISATION), 'all'],
    ['an editor: the organisations they edit', actorWith('organisation_editor', THIS_ORGANISATION), [THIS_ORGANISATION]],
    ['a link worker: none', actorWith('link_worker', THIS_ORGANISATION), []],
    ['anonymous: none', null, []],
  ] as const)('%s', (_, actor, expected) => {
    expect(editableOrganisations(actor)).toEqual(expected);
  });
});
