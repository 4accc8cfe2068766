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
import { decide } from '../decisions/decisions.service.ts';
import { addMeasure, addMilestone, addUpdate, markMilestone, recordResult } from '../projects/projects.service.ts';
import { listMeasures, listMilestones, listProjects } from '../projects/projects.repository.ts';
import { addDays, ukToday } from '../../../platform/dates.ts';
import { findProgrammeIdByName, findTeamMember, findUser, findUserIdByEmail, hasIdeas, insertDemoOrganisation, listCaseTeams, listParticipants, listTeamOrganisations } from './demo-programme.repository.ts';

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

const TAKING_IDEAS_NAME = 'Wyndale Ageing Well Fund';

/**
 * The demo partnership's two programmes: the Ideas Fund past its Investment Day, its three teams
 * funded and delivering (milestones met and due, progress updates, measures with first results),
 * and a new fund taking ideas now, with a few already in. Dates count from today.
 */
export async function loadDemoProgrammes(db: Database, options: Options & { now?: Date }): Promise<{ delivering: string; takingIdeas: string }> {
  const delivering = await loadDemoProgramme(db, options);
  const today = ukToday(options.now ?? new Date());
  const managerId = options.managerUserId ?? (await findUserIdByEmail(db, 'programme-manager@demo-innovation.invalid'))!;
  const manager = await actorFor(db, managerId, options.partnershipId, 'programme_manager');
  const current = async (id: string) => (await getProgramme(db, id))!;

  if ((await current(delivering)).stage === 'investment_day') {
    // The chair scores last, then records the decisions (only the chair decides, once scoring is complete).
    const chairId = options.panelUserId ?? (await findUserIdByEmail(db, 'panel-member@demo-innovation.invalid'))!;
    const chair = await actorFor(db, chairId, options.partnershipId, 'panel_member');
    const access = await programmeAccess(db, chair, await current(delivering));
    const cases = await listCaseTeams(db, delivering);
    const caseOf = (team: string) => cases.find((c) => c.team === team)!.id;
    const criteria = await listCriteria(db, delivering);
    for (const c of cases) {
      await declareInterest(db, chair, access, await current(delivering), c.id, { conflicted: false, reason: '' });
      await scoreCase(db, chair, access, await current(delivering), c.id, criteria.map((k, i) => ({ criterionId: k.id, score: [4, 4, 4, 3][i % 4], comment: 'Scored by the chair at the demo Investment Day.' })));
    }
    await decide(db, chair, access, await current(delivering), caseOf('Breathing Space'), { outcome: 'fund_full', feedback: 'The panel liked the carers’ own evidence and the link workers’ offer to refer. Funded in full.' });
    await decide(db, chair, access, await current(delivering), caseOf('Steady Steps'), { outcome: 'fund_full', feedback: 'A clear, low-cost plan with a good measure. Funded in full.' });
    await decide(db, chair, access, await current(delivering), caseOf('Welcome Home'), { outcome: 'fund_part', amount: 20_000_00, feedback: 'Funded in part: start with 120 kits and review the coordinator role after six months.' });
    await moveStage(db, manager, await programmeAccess(db, manager, await current(delivering)), await current(delivering), 'delivery');

    const plans: Record<string, { milestones: [string, number, boolean][]; update: [number, string, string]; measure: [string, string, string, string, string | null] }> = {
      'Breathing Space': {
        milestones: [['Venue agreed and volunteers trained', -60, true], ['First cafe held', -35, true], ['Sixth cafe held', 40, false]],
        update: [45, 'Two cafes held, 23 carers came; sitting support for 9 people.', 'Two volunteers have left; recruiting through the carers network.'],
        measure: ['Carers’ wellbeing (ONS life satisfaction)', 'score out of 10', '4.2', '6', '5.1'],
      },
      'Steady Steps': {
        milestones: [['Walk leaders trained', -50, true], ['Weekly walks started', -30, true], ['Balance retests', 30, false]],
        update: [55, 'Weekly walks running from the surgery, 14 regular walkers.', 'Winter weather may cut numbers; indoor route agreed with the leisure centre.'],
        measure: ['Falls reported by walkers', 'falls in 3 months', '9', '4', null],
      },
      'Welcome Home': {
        milestones: [['Kits designed with the discharge team', -45, true], ['First 40 kits delivered', -10, false], ['Readmissions compared', 90, false]],
        update: [30, '26 kits delivered with a check-in call the next day.', 'The first 40 kits are late: a supplier delay with the heaters.'],
        measure: ['Readmissions within 30 days', 'people', '18', '12', null],
      },
    };
    const programme = await current(delivering);
    for (const project of await listProjects(db, delivering)) {
      const plan = plans[project.teamName];
      if (!plan) continue;
      const member = await findTeamMember(db, project.teamId);
      const teamActor = member ? await actorFor(db, member.userId, member.organisationId ?? options.partnershipId, 'organisation_editor') : manager;
      const teamAccess = await programmeAccess(db, teamActor, programme);
      for (const [title, days] of plan.milestones) await addMilestone(db, teamActor, teamAccess, programme, project.id, { title, dueOn: addDays(today, days) });
      for (const m of await listMilestones(db, project.id)) {
        if (plan.milestones.find(([title]) => title === m.title)?.[2]) await markMilestone(db, teamActor, teamAccess, programme, project.id, m.id, true);
      }
      const [progressPercent, summary, risks] = plan.update;
      await addUpdate(db, teamActor, teamAccess, programme, project.id, { progressPercent, summary, risks });
      const [name, unit, baseline, target, result] = plan.measure;
      await addMeasure(db, teamActor, teamAccess, programme, project.id, { name, unit, baseline, target });
      if (result) for (const m of await listMeasures(db, project.id)) await recordResult(db, teamActor, teamAccess, programme, project.id, m.id, result);
    }
  }

  const takingIdeas =
    (await findProgrammeIdByName(db, TAKING_IDEAS_NAME)) ??
    (await createProgramme(db, manager, {
      name: TAKING_IDEAS_NAME,
      purpose: 'Ideas from anyone in Wyndale that help older people stay connected, active and well at home.',
      startsOn: addDays(today, -14),
      endsOn: addDays(today, 330),
      fund: 40_000_00,
      caseDeadlineDate: undefined,
      caseDeadlineTime: undefined,
      publicIdeas: true,
    }));
  if (!(await hasIdeas(db, takingIdeas))) {
    const programme = await current(takingIdeas);
    const access = await programmeAccess(db, manager, programme);
    const members = await listParticipants(db, delivering, 2);
    for (const m of members) await addMember(db, manager, access, programme, { email: (await findUser(db, m.userId)).email, organisationId: m.organisationId, role: 'participant' });
    const ideas = [
      { title: 'Tea and tech at the library', problem: 'Older people who live alone have no one to ask about their new phone.', whoBenefits: 'Older people living alone in Eastmoor and Millbrook.', idea: 'A weekly drop-in at the library pairing volunteers with people learning to use their phones.', roughCost: 6_000_00, howWeKnow: 'People who can make a video call after four visits.' },
      { title: 'Seated dance for people with dementia', problem: 'People living with dementia and their partners lose the chance to go out together.', whoBenefits: 'Couples living with dementia.', idea: 'A monthly seated dance afternoon with live music.', roughCost: 5_500_00, howWeKnow: 'Wellbeing of both partners, before and after.' },
    ];
    for (const [n, m] of members.entries()) {
      const actor = await actorFor(db, m.userId, m.organisationId, 'organisation_editor');
      await submitIdea(db, actor, await programmeAccess(db, actor, programme), programme, ideas[n]);
    }
    await suggestIdea(db, programme, { title: 'Bench buddies in the park', problem: 'My mum walks to the park but has no one to talk to there.', whoBenefits: 'Older people who walk alone.', idea: 'Friendly volunteers at set benches at set times.', roughCost: 1_500_00, howWeKnow: 'Count the people who stop to chat.', submitterName: 'A Wyndale resident' });
  }
  return { delivering, takingIdeas };
}
