import { describe, expect, it } from 'vitest';
import { roles, type Actor, type Role } from '../../platform/actor.ts';
import {
  canActForTeam,
  canChangeIdea,
  canDecide,
  canDecideCase,
  canManageProgramme,
  canModerate,
  canPledgeFor,
  canRunProgrammes,
  canScore,
  canScoreCase,
  canSeeCaseScores,
  canSeeIdea,
  canSeeProgrammes,
  canTakePart,
  canViewProgramme,
  isMember,
  isPanel,
  programmeAccessOf,
  type ProgrammeAccess,
} from './innovation.policy.ts';

const actorWith = (role: Role): Actor => ({ userId: 'me', name: 'Test Person', email: 'me@example.invalid', via: 'session', memberships: [{ organisationId: 'org', organisationName: 'Org', role }] });

describe('who may run programmes and see the Programmes link, by role', () => {
  // role → [canRunProgrammes, canSeeProgrammes (taking part nowhere), canSeeProgrammes (taking part somewhere)]
  const table: [Role | 'anonymous', boolean, boolean, boolean][] = [
    ['partnership_admin', true, true, true],
    ['programme_manager', true, true, true],
    ['panel_member', false, true, true],
    ['organisation_editor', false, false, true],
    ['link_worker', false, false, true],
    ['analyst', false, false, true],
    ['ig_lead', false, false, true],
    ['grants_manager', false, false, true],
    ['anonymous', false, false, false],
  ];

  it('covers every role', () => expect(table.map((r) => r[0]).sort()).toEqual([...roles, 'anonymous'].sort()));

  it.each(table)('%s: runs programmes %s, sees the link %s, or %s when taking part', (role, run, see, seeTakingPart) => {
    const actor = role === 'anonymous' ? null : actorWith(role);
    expect(canRunProgrammes(actor)).toBe(run);
    expect(canSeeProgrammes(actor, false)).toBe(see);
    expect(canSeeProgrammes(actor, true)).toBe(seeTakingPart);
  });
});

describe('what each relation to a programme may do in it', () => {
  const TEAM = 'team-1';
  const conflicted = { conflicted: true };
  const clear = { conflicted: false };
  const panel = { role: 'panel', organisationId: 'org' } as const;
  const chair = { role: 'panel', chair: true, organisationId: 'org' } as const;
  const participant = { role: 'participant', organisationId: 'org' } as const;
  /** Invited by email: no role anywhere on Common Ground, taking part for the programme's organisation 'their-org'. */
  const invitedParticipant = { role: 'participant', organisationId: 'their-org' } as const;
  const noRoles: Actor = { userId: 'me', name: 'Test Person', email: 'me@example.invalid', via: 'session', memberships: [] };

  /** The relations the module knows: a role, the membership and teams (as programmeAccess() reads them), and any declaration on the case. */
  const relations: Record<string, { access: ProgrammeAccess; declaration?: { conflicted: boolean } }> = {
    'programme manager': { access: programmeAccessOf(actorWith('programme_manager'), undefined, []) },
    'partnership admin': { access: programmeAccessOf(actorWith('partnership_admin'), undefined, []) },
    'panel member, no conflict declared': { access: programmeAccessOf(actorWith('panel_member'), panel, []), declaration: clear },
    'panel member, before declaring': { access: programmeAccessOf(actorWith('panel_member'), panel, []) },
    'conflicted panel member': { access: programmeAccessOf(actorWith('panel_member'), panel, []), declaration: conflicted },
    'panel chair, no conflict': { access: programmeAccessOf(actorWith('panel_member'), chair, []), declaration: clear },
    'panel chair, conflicted (declared or same organisation as the team)': { access: programmeAccessOf(actorWith('panel_member'), chair, []), declaration: conflicted },
    'participant invited by email (no other role)': { access: programmeAccessOf(noRoles, invitedParticipant, []) },
    participant: { access: programmeAccessOf(actorWith('link_worker'), participant, []) },
    'team member': { access: programmeAccessOf(actorWith('organisation_editor'), participant, [TEAM]) },
    'panel member on the team': { access: programmeAccessOf(actorWith('panel_member'), panel, [TEAM]), declaration: clear },
    'non-member (a panel member role, not invited)': { access: programmeAccessOf(actorWith('panel_member'), undefined, []) },
    'non-member': { access: programmeAccessOf(actorWith('analyst'), undefined, []) },
  };

  const others = { submittedBy: 'someone-else' };
  const rules = {
    view: (a: ProgrammeAccess) => canViewProgramme(a),
    manage: (a: ProgrammeAccess) => canManageProgramme(a),
    takePart: (a: ProgrammeAccess) => canTakePart(a),
    member: (a: ProgrammeAccess) => isMember(a),
    panel: (a: ProgrammeAccess) => isPanel(a),
    actForTeam: (a: ProgrammeAccess) => canActForTeam(a, TEAM),
    score: (a: ProgrammeAccess) => canScore(a),
    scoreCase: (a: ProgrammeAccess, d?: { conflicted: boolean }) => canScoreCase(a, d),
    seeCaseScores: (a: ProgrammeAccess, d?: { conflicted: boolean }) => canSeeCaseScores(a, d),
    decide: (a: ProgrammeAccess) => canDecide(a),
    decideCase: (a: ProgrammeAccess, d?: { conflicted: boolean }) => canDecideCase(a, d),
    moderate: (a: ProgrammeAccess) => canModerate(a),
    seeAcceptedIdea: (a: ProgrammeAccess) => canSeeIdea(a, 'me', { ...others, status: 'submitted' }),
    seeOthersUnmoderatedIdea: (a: ProgrammeAccess) => canSeeIdea(a, 'me', { ...others, status: 'awaiting_moderation' }),
    seeOthersDeclinedIdea: (a: ProgrammeAccess) => canSeeIdea(a, 'me', { ...others, status: 'declined' }),
    seeOwnDeclinedIdea: (a: ProgrammeAccess) => canSeeIdea(a, 'me', { submittedBy: 'me', status: 'declined' }),
    changeOwnIdea: (a: ProgrammeAccess) => canChangeIdea(a, 'me', { submittedBy: 'me', status: 'submitted' }),
    changeOthersIdea: (a: ProgrammeAccess) => canChangeIdea(a, 'me', { ...others, status: 'submitted' }),
    pledgeForOwnOrganisation: (a: ProgrammeAccess) => canPledgeFor(a, 'org'),
    pledgeForProgrammeOrganisation: (a: ProgrammeAccess) => canPledgeFor(a, 'their-org'),
    pledgeForAnotherOrganisation: (a: ProgrammeAccess) => canPledgeFor(a, 'someone-elses-org'),
  };
  type Rule = keyof typeof rules;
  const Y = true;
  const N = false;

  // Each row: the relation, then the answer to every rule in the order of `rules` above.
  const table: [string, ...boolean[]][] = [
    //                                          view manage takePart member panel actForTeam score scoreCase seeCaseScores decide decideCase moderate seeAccepted seeOthersUnmod seeOthersDeclined seeOwnDeclined changeOwn changeOthers pledgeOwn pledgeProgrammeOrg pledgeOther
    ['programme manager',                             Y, Y, Y, N, N, Y, N, N, Y, N, N, Y, Y, Y, Y, Y, Y, Y, Y, N, N],
    ['partnership admin',                             Y, Y, Y, N, N, Y, N, N, Y, N, N, Y, Y, Y, Y, Y, Y, Y, Y, N, N],
    ['panel member, no conflict declared',            Y, N, Y, Y, Y, N, Y, Y, Y, N, N, Y, Y, N, N, Y, Y, N, Y, N, N],
    ['panel member, before declaring',                Y, N, Y, Y, Y, N, Y, Y, Y, N, N, Y, Y, N, N, Y, Y, N, Y, N, N],
    ['conflicted panel member',                       Y, N, Y, Y, Y, N, Y, N, N, N, N, Y, Y, N, N, Y, Y, N, Y, N, N],
    ['participant',                                   Y, N, Y, Y, N, N, N, N, N, N, N, N, Y, N, N, Y, Y, N, Y, N, N],
    ['team member',                                   Y, N, Y, Y, N, Y, N, N, N, N, N, N, Y, N, N, Y, Y, N, Y, N, N],
    ['panel member on the team',                      Y, N, Y, Y, Y, Y, Y, Y, Y, N, N, Y, Y, N, N, Y, Y, N, Y, N, N],
    ['non-member (a panel member role, not invited)', N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, Y, Y, N, N, N, N],
    ['panel chair, no conflict',                       Y, N, Y, Y, Y, N, Y, Y, Y, Y, Y, Y, Y, N, N, Y, Y, N, Y, N, N],
    ['panel chair, conflicted (declared or same organisation as the team)', Y, N, Y, Y, Y, N, Y, N, N, Y, N, Y, Y, N, N, Y, Y, N, Y, N, N],
    ['participant invited by email (no other role)',  Y, N, Y, Y, N, N, N, N, N, N, N, N, Y, N, N, Y, Y, N, N, Y, N],
    ['non-member',                                    N, N, N, N, N, N, N, N, N, N, N, N, Y, N, N, Y, Y, N, N, N, N],
  ];

  it('covers every relation, with an answer for every rule', () => {
    expect(table.map((r) => r[0]).sort()).toEqual(Object.keys(relations).sort());
    for (const row of table) expect(row.length, row[0]).toBe(Object.keys(rules).length + 1);
  });

  it.each(table)('%s', (relation, ...expected) => {
    const { access: a, declaration } = relations[relation];
    const answers = Object.fromEntries((Object.keys(rules) as Rule[]).map((rule) => [rule, rules[rule](a, declaration)]));
    const wanted = Object.fromEntries((Object.keys(rules) as Rule[]).map((rule, i) => [rule, expected[i]]));
    expect(answers).toEqual(wanted);
  });
});
