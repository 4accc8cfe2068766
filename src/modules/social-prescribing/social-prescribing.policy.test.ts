import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/actor.ts';
import {
  canAnonymise,
  canAnswerForOrganisation,
  canExportPerson,
  canManageMeasures,
  canMergePeople,
  canRefer,
  canReviewAccess,
  canSeePcn,
  canSeeReportOf,
  canSeeReports,
  canUseCaseload,
  canUseInbox,
  caseloadScope,
  reportScope,
} from './social-prescribing.policy.ts';

/*
 * Every role and relation social prescribing knows, and what each may do. A person's record
 * belongs to their PCN ("our PCN"); a referral is sent to a receiving organisation ("our
 * organisation"). A change to a rule shows here as a changed row.
 */

const OUR_PCN = 'pcn-ours';
const OTHER_PCN = 'pcn-other';
const OUR_ORG = 'org-receiving';
const OTHER_ORG = 'org-other';

function actor(role: Role, organisationId: string): Actor {
  return { userId: `u-${role}`, name: role, email: `${role}@example.org`, memberships: [{ organisationId, organisationName: organisationId, role }], via: 'session' };
}

type Who = { who: string; actor: Actor | null };
const people: Record<string, Who> = {
  ourLinkWorker: { who: 'link worker of our PCN', actor: actor('link_worker', OUR_PCN) },
  otherLinkWorker: { who: 'link worker of another PCN', actor: actor('link_worker', OTHER_PCN) },
  receivingEditor: { who: 'editor of the receiving organisation', actor: actor('organisation_editor', OUR_ORG) },
  otherEditor: { who: 'editor of another organisation', actor: actor('organisation_editor', OTHER_ORG) },
  admin: { who: 'partnership admin', actor: actor('partnership_admin', 'partnership') },
  ig: { who: 'information governance lead', actor: actor('ig_lead', 'partnership') },
  analyst: { who: 'analyst', actor: actor('analyst', 'partnership') },
  programmeManager: { who: 'programme manager', actor: actor('programme_manager', 'partnership') },
  panelMember: { who: 'panel member', actor: actor('panel_member', 'partnership') },
  noMembership: { who: 'signed in, no organisation', actor: { userId: 'u-none', name: 'None', email: 'none@example.org', memberships: [], via: 'session' } },
  anonymous: { who: 'anonymous', actor: null },
};

type Row = [keyof typeof people, boolean];
const table = (name: string, rule: (a: Actor | null) => boolean, rows: Row[]) =>
  describe(name, () => {
    it.each(rows.map(([key, expected]) => ({ who: people[key].who, key, expected })))('$who → $expected', ({ key, expected }) => {
      expect(rule(people[key].actor)).toBe(expected);
    });
  });

// Every row names every person, so a rule that forgets someone shows as a missing row.
const all = (answers: Partial<Record<keyof typeof people, boolean>>): Row[] => (Object.keys(people) as (keyof typeof people)[]).map((k) => [k, answers[k] ?? false]);

table('canUseCaseload: the caseload, people, cases, plans, measures and cohorts', canUseCaseload, all({ ourLinkWorker: true, otherLinkWorker: true, admin: true }));
table('canSeePcn: a person, case or cohort of our PCN', (a) => canSeePcn(a, OUR_PCN), all({ ourLinkWorker: true, admin: true }));
table('canMergePeople: two records of a person of our PCN', (a) => canMergePeople(a, OUR_PCN), all({ ourLinkWorker: true, admin: true }));
table('canRefer: anyone working for an organisation', canRefer, all({ ourLinkWorker: true, otherLinkWorker: true, receivingEditor: true, otherEditor: true, admin: true, ig: true, analyst: true, programmeManager: true, panelMember: true }));
table('canUseInbox: the referrals received page', canUseInbox, all({ receivingEditor: true, otherEditor: true }));
table('canAnswerForOrganisation: a referral sent to our organisation', (a) => canAnswerForOrganisation(a, OUR_ORG), all({ receivingEditor: true }));
table('canReviewAccess: who looked at a person', canReviewAccess, all({ admin: true, ig: true }));
table('canExportPerson: a subject access export of a person of our PCN', (a) => canExportPerson(a, OUR_PCN), all({ ourLinkWorker: true, admin: true, ig: true }));
table('canAnonymise: records past retention', canAnonymise, all({ admin: true, ig: true }));
table('canManageMeasures: loading licensed measures', canManageMeasures, all({ admin: true }));
table('canSeeReports: counts, never people', canSeeReports, all({ ourLinkWorker: true, otherLinkWorker: true, admin: true, analyst: true, programmeManager: true }));
table('canSeeReportOf: the report of our PCN', (a) => canSeeReportOf(a, OUR_PCN), all({ ourLinkWorker: true, admin: true, analyst: true, programmeManager: true }));

describe('scopes', () => {
  it.each([
    ['link worker of our PCN', people.ourLinkWorker.actor, [OUR_PCN]],
    ['partnership admin', people.admin.actor, 'all'],
    ['analyst', people.analyst.actor, []],
    ['anonymous', null, []],
  ] as const)('caseloadScope: %s → %j', (_who, a, expected) => {
    expect(caseloadScope(a)).toEqual(expected);
  });

  it.each([
    ['link worker of our PCN', people.ourLinkWorker.actor, [OUR_PCN]],
    ['partnership admin', people.admin.actor, 'all'],
    ['analyst', people.analyst.actor, 'all'],
    ['programme manager', people.programmeManager.actor, 'all'],
    ['information governance lead', people.ig.actor, []],
    ['anonymous', null, []],
  ] as const)('reportScope: %s → %j', (_who, a, expected) => {
    expect(reportScope(a)).toEqual(expected);
  });
});
