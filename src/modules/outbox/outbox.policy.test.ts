import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import { canMarkSentAnotherWay, canReadOutbox } from './outbox.policy.ts';

const actorWith = (...held: Role[]): Actor => ({
  userId: '00000000-0000-4000-8000-000000000001',
  name: 'Someone',
  email: 'someone@example.org',
  via: 'session',
  memberships: held.map((role) => ({ organisationId: '00000000-0000-4000-8000-000000000002', organisationName: 'An organisation', role })),
});

// Every role the platform knows, and no one signed in: a changed rule shows as a changed row.
const table: { who: string; actor: Actor | null; read: boolean; mark: boolean }[] = [
  { who: 'no one signed in', actor: null, read: false, mark: false },
  { who: 'a signed-in person with no role', actor: actorWith(), read: false, mark: false },
  { who: 'partnership_admin', actor: actorWith('partnership_admin'), read: true, mark: true },
  { who: 'organisation_editor', actor: actorWith('organisation_editor'), read: false, mark: false },
  { who: 'link_worker', actor: actorWith('link_worker'), read: false, mark: false },
  { who: 'programme_manager', actor: actorWith('programme_manager'), read: false, mark: false },
  { who: 'panel_member', actor: actorWith('panel_member'), read: false, mark: false },
  { who: 'analyst', actor: actorWith('analyst'), read: false, mark: false },
  { who: 'ig_lead', actor: actorWith('ig_lead'), read: false, mark: false },
  { who: 'grants_manager', actor: actorWith('grants_manager'), read: false, mark: false },
  { who: 'ig_lead who is also a partnership_admin', actor: actorWith('ig_lead', 'partnership_admin'), read: true, mark: true },
];

describe('who may use the outbox', () => {
  it('has a row for every role', () => {
    for (const role of roles) expect(table.some((row) => row.who === role), role).toBe(true);
  });

  it.each(table)('$who: read $read, mark as sent another way $mark', ({ actor, read, mark }) => {
    expect(canReadOutbox(actor)).toBe(read);
    expect(canMarkSentAnotherWay(actor)).toBe(mark);
  });
});
