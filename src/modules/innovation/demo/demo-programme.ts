import crypto from 'node:crypto';
import type { Database } from '../../../platform/db/database.ts';
import type { Actor, Role } from '../../../platform/actor.ts';
import { createUserWithMembership } from '../../identity/index.ts';
import { conflictOn } from '../scoring/conflicts.ts';
import { addMember, createProgramme, moveStage, programmeAccess } from '../programmes/programmes.service.ts';
import { getProgramme } from '../programmes/programmes.repository.ts';
import { commentOnIdea, moveIdea, submitIdea, suggestIdea, toggleSupport } from '../ideas/ideas.service.ts';
import { formTeam } from '../teams/teams.service.ts';
import { arrangeSessions, recordSession } from '../sessions/sessions.service.ts';
import { markMet, matchOffer, pledgeOffer, postNeed } from '../needs-offers/needs-offers.service.ts';
import { saveCase } from '../cases/cases.service.ts';
import { declareInterest, scoreCase } from '../scoring/scoring.service.ts';
import { listCriteria } from '../programmes/programmes.repository.ts';
import { findProgrammeIdByName, findUser, findUserIdByEmail, insertDemoOrganisation, listTeamOrganisations } from './demo-programme.repository.ts';

const DEMO_PROGRAMME_NAME = 'Wyndale Ideas Fund 2026';

type Options = { partnershipId: string; managerUserId?: string; panelUserId?: string; password?: string };

async function actorFor(db: Database, userId: string, organisationId: string, role: Role | null): Promise<Actor> {
  const user = await findUser(db, userId);
  return { userId, name: user.name, email: user.email, via: 'session', memberships: role ? [{ organisationId, organisationName: '', role }] : [] };
}

/** Organisations for the demo teams: three from the directory when it has them, else made here. */
async function demoOrganisations(db: Database, partnershipId: string): Promise<string[]> {
  const ids = await listTeamOrganisations(db, partnershipId);
  for (const name of ['Wyndale Demo Carers Network', 'Wyndale Demo Surgery', 'Wyndale Demo Council Adult Social Care'].slice(ids.length)) ids.push(await insertDemoOrganisation(db, name));
  return ids;
}

/**
 * The synthetic demo programme "Wyndale Ideas Fund 2026" (£50,000) at its Investment Day: ideas
 * (one from the community awaiting a check), three teams from different organisations, a workshop
 * held and a support group every two months, needs and offers (one met), three investment cases,
 * the scoring criteria, and some scores, with conflicts of interest found from the panel's organisations; the demo panel member chairs and has still to score. The cases ask for more than the
 * fund holds. No decisions yet: the demo user makes them. Every person and organisation in it is made up. Returns the programme's id.
 */
export async function loadDemoProgramme(db: Database, options: Options): Promise<string> {
  const existing = await findProgrammeIdByName(db, DEMO_PROGRAMME_NAME);
  if (existing) return existing;
  const password = options.password ?? crypto.randomBytes(18).toString('base64url');
  const [carers, surgery, council] = await demoOrganisations(db, options.partnershipId);
  // People taking part have an account and no role of their own elsewhere: they take part for their organisation through the programme.
  const person = async (name: string, email: string, organisationId: string, role: Role | null) =>
    (await findUserIdByEmail(db, email)) ?? createUserWithMembership(db, { name, email, password, organisationId, role });

  const managerId = options.managerUserId ?? (await person('Demo Programme Manager', 'programme-manager@demo-innovation.invalid', options.partnershipId, 'programme_manager'));
  const manager = await actorFor(db, managerId, options.partnershipId, 'programme_manager');
  const participants = [
    { id: await person('Robin Carer-Support', 'robin@demo-innovation.invalid', carers, null), org: carers },
    { id: await person('Sam Practice-Nurse', 'sam@demo-innovation.invalid', surgery, 'link_worker'), org: surgery },
    { id: await person('Jo Reablement', 'jo@demo-innovation.invalid', council, null), org: council },
    { id: await person('Kit Volunteer-Lead', 'kit@demo-innovation.invalid', carers, null), org: carers },
  ];
  const panel = [
    // The demo panel member chairs the investment team, for the partnership (no team's organisation).
    { id: options.panelUserId ?? (await person('Demo Panel Member', 'panel-member@demo-innovation.invalid', options.partnershipId, 'panel_member')), org: options.partnershipId },
    { id: await person('Alex Investment-Team', 'alex@demo-innovation.invalid', surgery, 'panel_member'), org: surgery },
    { id: await person('Ray Investment-Team', 'ray@demo-innovation.invalid', carers, 'panel_member'), org: carers },
  ];

  const programmeId = await createProgramme(db, manager, {
    name: DEMO_PROGRAMME_NAME,
    purpose: 'Finding and growing the ideas of front-line staff and community members in Wyndale, so that more people live well at home for longer.',
    startsOn: '2026-01-12',
    endsOn: '2026-12-18',
    fund: 50_000_00,
    caseDeadlineDate: undefined,
    caseDeadlineTime: undefined,
    publicIdeas: true,
  });
  const current = async () => (await getProgramme(db, programmeId))!;
  const managerAccess = await programmeAccess(db, manager, await current());
  const userEmail = async (id: string) => (await findUser(db, id)).email;
  for (const p of participants) await addMember(db, manager, managerAccess, await current(), { email: await userEmail(p.id), organisationId: p.org, role: 'participant' });
  for (const [n, p] of panel.entries()) await addMember(db, manager, managerAccess, await current(), { email: await userEmail(p.id), organisationId: p.org, role: n === 0 ? 'chair' : 'panel' });
  const as = async (p: { id: string; org: string }, role: Role | null = null) => {
    const actor = await actorFor(db, p.id, p.org, role);
    return { actor, access: await programmeAccess(db, actor, await current()) };
  };

  const ideas = [
    { by: 0, title: 'Carers’ breathing space cafe', problem: 'Unpaid carers tell us they have nowhere to go for an hour’s break and a chat.', whoBenefits: 'Around 200 unpaid carers in north Wyndale.', idea: 'A monthly cafe with sitting support for the person cared for.', roughCost: 12_000_00, howWeKnow: 'Carers’ wellbeing scores before and after six months.' },
    { by: 1, title: 'Falls-prevention walking group', problem: 'Falls are the most common reason older patients come back to the practice.', whoBenefits: 'People over 70 at risk of falls.', idea: 'A weekly strength-and-balance walk led by trained volunteers.', roughCost: 8_500_00, howWeKnow: 'Falls reported by walkers, and their balance test results.' },
    { by: 2, title: 'Home from hospital kit', problem: 'People go home from hospital to a cold house with no food in.', whoBenefits: 'People discharged home alone.', idea: 'A volunteer-delivered welcome-home kit and a check-in call.', roughCost: 15_000_00, howWeKnow: 'Readmissions within 30 days, compared with last year.' },
    { by: 3, title: 'Digital buddies', problem: 'Many older people cannot book appointments online.', whoBenefits: 'Older residents without internet skills.', idea: 'Volunteer buddies who help people use online services.', roughCost: 4_000_00, howWeKnow: 'People confident to book online after three sessions.' },
  ];
  const ideaIds: string[] = [];
  for (const i of ideas) {
    const { actor, access } = await as(participants[i.by]);
    ideaIds.push(await submitIdea(db, actor, access, await current(), i));
  }
  await suggestIdea(db, await current(), { title: 'Dementia-friendly swimming', problem: 'My dad loved swimming but the pool is too busy and loud now.', whoBenefits: 'People living with dementia and their families.', idea: 'A quiet weekly session with trained staff.', roughCost: 3_000_00, howWeKnow: 'Ask the families.', submitterName: 'A Wyndale resident' });
  for (const [n, p] of participants.entries()) {
    const { actor, access } = await as(p);
    await toggleSupport(db, actor, access, await current(), ideaIds[(n + 1) % ideaIds.length]);
  }
  {
    const { actor, access } = await as(participants[1], 'link_worker');
    await commentOnIdea(db, actor, access, await current(), ideaIds[0], 'Our link workers could refer carers to this. Could it run near the surgery?');
  }
  for (const id of ideaIds.slice(0, 3)) await moveIdea(db, manager, managerAccess, await current(), id, 'shortlist');

  await moveStage(db, manager, managerAccess, await current(), 'teams_forming');
  const teamIds = [
    await formTeam(db, manager, managerAccess, await current(), { ideaId: ideaIds[0], name: 'Breathing Space', memberIds: [participants[0].id, participants[3].id, participants[1].id] }),
    await formTeam(db, manager, managerAccess, await current(), { ideaId: ideaIds[1], name: 'Steady Steps', memberIds: [participants[1].id, participants[2].id] }),
    await formTeam(db, manager, managerAccess, await current(), { ideaId: ideaIds[2], name: 'Welcome Home', memberIds: [participants[2].id, participants[0].id] }),
  ];

  await moveStage(db, manager, managerAccess, await current(), 'development');
  const [workshop] = await arrangeSessions(db, manager, managerAccess, await current(), { kind: 'workshop', title: 'From idea to test of change', date: '2026-03-04', time: '10:00', location: 'Wyndale Community Hall' });
  await recordSession(db, manager, managerAccess, await current(), workshop, { attendeeIds: [...participants.map((p) => p.id), panel[0].id], notes: 'Teams mapped who benefits and drafted one measure each. The investment team joined the afternoon.', held: true });
  await arrangeSessions(db, manager, managerAccess, await current(), { kind: 'support_group', title: 'Peer support group', date: '2026-04-15', time: '14:00', location: 'Online', repeatEveryMonths: 2, repeatTimes: 4 });
  await arrangeSessions(db, manager, managerAccess, await current(), { kind: 'mentoring', title: 'Mentoring: evaluation plan', date: '2026-04-22', time: '11:00', location: 'Online', teamId: teamIds[1] });

  {
    const { actor, access } = await as(participants[0]);
    const need = await postNeed(db, actor, access, await current(), { teamId: teamIds[0], title: 'Affordable dementia-awareness training for volunteers', description: 'Eight volunteers need a half-day session before the cafe opens.' });
    const helper = await as(participants[2]);
    const offer = await pledgeOffer(db, helper.actor, helper.access, await current(), need, { description: 'Our council dementia adviser can run a free half-day session.' });
    await matchOffer(db, actor, access, await current(), need, offer);
    await markMet(db, actor, access, await current(), need);
    const venue = await postNeed(db, actor, access, await current(), { teamId: teamIds[0], title: 'A venue with a quiet room', description: 'Monthly, weekday afternoons.' });
    const surgeryHelp = await as(participants[1], 'link_worker');
    const venueOffer = await pledgeOffer(db, surgeryHelp.actor, surgeryHelp.access, await current(), venue, { description: 'The surgery’s community room is free on Wednesday afternoons.' });
    await matchOffer(db, actor, access, await current(), venue, venueOffer);
  }
  {
    const { actor, access } = await as(participants[2]);
    await postNeed(db, actor, access, await current(), { teamId: teamIds[2], title: 'An evaluation tool for readmissions', description: 'A simple way to compare readmissions with last year.' });
    await postNeed(db, actor, access, await current(), { teamId: teamIds[1], title: 'Funding routes for a second year', description: '' });
  }

  const cases = [
    // Together they ask for £51,500 from a £50,000 fund, so the panel's last decision meets the fund's edge.
    { team: 0, by: participants[0], lines: [['Sitting support (12 sessions)', 9_600_00], ['Venue refreshments', 2_400_00], ['Volunteer training and expenses', 4_000_00]] },
    { team: 1, by: participants[1], lines: [['Volunteer walk-leader training', 3_400_00], ['Balance assessments', 5_600_00], ['Publicity and transport', 2_500_00]] },
    { team: 2, by: participants[2], lines: [['Welcome-home kits (150)', 15_000_00], ['Volunteer coordinator (part time)', 9_000_00]] },
  ] as const;
  const caseIds: string[] = [];
  for (const c of cases) {
    const { actor, access } = await as(c.by);
    const budgetLines = c.lines.map(([description, amountPence]) => ({ description, amountPence }));
    caseIds.push(
      await saveCase(db, actor, access, await current(), teamIds[c.team], {
        requestedPence: budgetLines.reduce((s, l) => s + l.amountPence, 0),
        summary: ideas[c.team].idea,
        outcomes: `${ideas[c.team].whoBenefits} are better supported, measured as described.`,
        evaluationPlan: ideas[c.team].howWeKnow,
        risks: 'Volunteer numbers may be lower than planned; we have a waiting list from the carers network.',
        budgetLines,
      }),
    );
  }

  await moveStage(db, manager, managerAccess, await current(), 'investment_day');
  const criteria = await listCriteria(db, programmeId);
  const scoreSheet = [
    [4, 4, 3, 4],
    [3, 5, 4, 3],
  ];
  for (const [n, member] of panel.slice(1).entries()) {
    const { actor, access } = await as(member, 'panel_member');
    for (const [k, caseId] of caseIds.entries()) {
      // Alex (the surgery) and Ray (the carers network) take part for organisations in some teams: conflicts found automatically.
      if ((await conflictOn(db, programmeId, caseId, member.id))?.automatic) continue;
      await declareInterest(db, actor, access, await current(), caseId, { conflicted: false, reason: '' });
      await scoreCase(db, actor, access, await current(), caseId, criteria.map((c, i) => ({ criterionId: c.id, score: Math.max(0, scoreSheet[n][i] - (k === 2 ? 1 : 0)), comment: 'Scored at the demo Investment Day.' })));
    }
  }
  return programmeId;
}
