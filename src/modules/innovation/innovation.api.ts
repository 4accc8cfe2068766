import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http/app.ts';
import type { Database } from '../../platform/db/database.ts';
import { forbidden, HttpProblem, notFound } from '../../platform/http/errors.ts';
import { requireApiActor } from '../identity/index.ts';
import { isUuid } from '../../platform/ids.ts';
import { canViewProgramme } from './innovation.policy.ts';
import { DecisionForm } from './innovation.schemas.ts';
import { formatPence } from '../../platform/money.ts';
import { fundPosition, getProgramme } from './programmes/programmes.repository.ts';
import { programmeAccess, programmesFor } from './programmes/programmes.service.ts';
import { ideasFor } from './ideas/ideas.service.ts';
import { listBudgetLines, listCases } from './cases/cases.repository.ts';
import { listDecisions } from './decisions/decisions.repository.ts';
import { decide } from './decisions/decisions.service.ts';
import { stages } from './stages.ts';

const tags = ['Innovation'];
const security = [{ apiToken: [] }];
const Pence = z.number().int().describe('Whole pence (exact): 123456 is £1,234.56');
const Id = z.object({ id: z.string().describe('Programme id (uuid)') });

const FundSchema = z.object({
  fundPence: Pence,
  awardedPence: Pence,
  heldForVotePence: Pence,
  remainingPence: Pence,
  fund: z.string().describe('The fund, as £1,234.56'),
  awarded: z.string(),
  heldForVote: z.string(),
  remaining: z.string(),
  decisions: z.number().int(),
});
const ProgrammeSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  purpose: z.string(),
  stage: z.enum(stages),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  caseDeadline: z.string().nullable().describe('ISO 8601; cases cannot change after it'),
  fund: FundSchema,
});
const IdeaSchema = z.object({
  id: z.string().uuid(),
  title: z.string(),
  problem: z.string(),
  whoBenefits: z.string(),
  idea: z.string(),
  roughCostPence: Pence.nullable(),
  howWeKnow: z.string(),
  status: z.enum(['awaiting_moderation', 'submitted', 'shortlisted', 'declined']),
  source: z.enum(['participant', 'public']),
  supporters: z.number().int(),
  comments: z.number().int(),
  teamId: z.string().uuid().nullable(),
  createdAt: z.string(),
});
const CaseSchema = z.object({
  id: z.string().uuid(),
  teamId: z.string().uuid(),
  teamName: z.string(),
  requestedPence: Pence,
  summary: z.string(),
  outcomes: z.string(),
  evaluationPlan: z.string(),
  risks: z.string(),
  budgetLines: z.array(z.object({ description: z.string(), amountPence: Pence })),
  updatedAt: z.string(),
});
const DecisionSchema = z.object({
  id: z.string().uuid(),
  caseId: z.string().uuid(),
  teamName: z.string(),
  outcome: z.enum(['fund_full', 'fund_part', 'not_now']),
  requestedPence: Pence,
  awardedPence: Pence,
  feedback: z.string(),
  source: z.enum(['panel', 'community_vote']),
  decidedAt: z.string(),
});

function fundJson(p: Awaited<ReturnType<typeof fundPosition>>) {
  return { ...p, fund: formatPence(p.fundPence), awarded: formatPence(p.awardedPence), heldForVote: formatPence(p.heldForVotePence), remaining: formatPence(p.remainingPence) };
}

async function open(db: Database, request: FastifyRequest, reply: FastifyReply, id: string) {
  const actor = requireApiActor(request, reply);
  if (!isUuid(id)) throw notFound('Programme');
  const programme = await getProgramme(db, id);
  if (!programme) throw notFound('Programme');
  const access = await programmeAccess(db, actor, programme);
  if (!canViewProgramme(access)) throw forbidden('You are not taking part in this programme.');
  return { actor, programme, access };
}

export function registerInnovationApi(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/programmes', { schema: { summary: 'List programmes', description: 'Every programme for programme managers and partnership admins; otherwise those you take part in.', tags, security, response: { 200: z.object({ items: z.array(ProgrammeSchema) }) } } }, async (request, reply) => {
    const actor = requireApiActor(request, reply);
    const rows = await programmesFor(db, actor);
    return {
      items: await Promise.all(rows.map(async (p) => ({ id: p.id, name: p.name, purpose: p.purpose, stage: p.stage, startsOn: p.starts_on, endsOn: p.ends_on, caseDeadline: p.case_deadline ? new Date(p.case_deadline).toISOString() : null, fund: fundJson(await fundPosition(db, p)) }))),
    };
  });

  app.get('/api/v1/programmes/:id', { schema: { summary: 'Get a programme', tags, security, params: Id, response: { 200: ProgrammeSchema } } }, async (request, reply) => {
    const { programme: p } = await open(db, request, reply, request.params.id);
    return { id: p.id, name: p.name, purpose: p.purpose, stage: p.stage, startsOn: p.starts_on, endsOn: p.ends_on, caseDeadline: p.case_deadline ? new Date(p.case_deadline).toISOString() : null, fund: fundJson(await fundPosition(db, p)) };
  });

  app.get('/api/v1/programmes/:id/fund', { schema: { summary: 'Fund remaining', description: 'The fund, the total awarded, any part held for a community vote, and what remains. Read live on Investment Day.', tags, security, params: Id, response: { 200: FundSchema } } }, async (request, reply) => {
    const { programme } = await open(db, request, reply, request.params.id);
    reply.header('cache-control', 'no-store');
    return fundJson(await fundPosition(db, programme));
  });

  app.get('/api/v1/programmes/:id/ideas', { schema: { summary: 'List a programme’s ideas', description: 'Ideas you can see: managers see all, others see accepted ideas and their own.', tags, security, params: Id, response: { 200: z.object({ items: z.array(IdeaSchema) }) } } }, async (request, reply) => {
    const { programme, access, actor } = await open(db, request, reply, request.params.id);
    const ideas = await ideasFor(db, access, actor, programme.id);
    return {
      items: ideas.map((i) => ({ id: i.id, title: i.title, problem: i.problem, whoBenefits: i.who_benefits, idea: i.idea, roughCostPence: i.rough_cost_pence, howWeKnow: i.how_we_know, status: i.status, source: i.source, supporters: i.supports, comments: i.comments, teamId: i.team_id, createdAt: new Date(i.created_at).toISOString() })),
    };
  });

  app.get('/api/v1/programmes/:id/cases', { schema: { summary: 'List a programme’s investment cases', tags, security, params: Id, response: { 200: z.object({ items: z.array(CaseSchema) }) } } }, async (request, reply) => {
    const { programme } = await open(db, request, reply, request.params.id);
    const cases = await listCases(db, programme.id);
    const lines = await listBudgetLines(db, cases.map((c) => c.id));
    return {
      items: cases.map((c) => ({
        id: c.id, teamId: c.team_id, teamName: c.team_name, requestedPence: c.requested_pence, summary: c.summary, outcomes: c.outcomes, evaluationPlan: c.evaluation_plan, risks: c.risks,
        budgetLines: lines.filter((l) => l.case_id === c.id).map((l) => ({ description: l.description, amountPence: l.amount_pence })),
        updatedAt: new Date(c.updated_at).toISOString(),
      })),
    };
  });

  const decisionJson = (d: Awaited<ReturnType<typeof listDecisions>>[number]) => ({ id: d.id, caseId: d.case_id, teamName: d.team_name, outcome: d.outcome, requestedPence: d.requested_pence, awardedPence: d.awarded_pence, feedback: d.feedback, source: d.source, decidedAt: new Date(d.updated_at).toISOString() });

  app.get('/api/v1/programmes/:id/decisions', { schema: { summary: 'List Investment Day decisions', tags, security, params: Id, response: { 200: z.object({ items: z.array(DecisionSchema) }) } } }, async (request, reply) => {
    const { programme } = await open(db, request, reply, request.params.id);
    return { items: (await listDecisions(db, programme.id)).map(decisionJson) };
  });

  app.post(
    '/api/v1/programmes/:id/cases/:caseId/decision',
    {
      schema: {
        summary: 'Record a decision on a case',
        description: 'Fund in full, fund in part (amount as "£1,234.56" or "1234.56"), or not now, with feedback. Refused with 409 when the amount is more than the fund remaining, 403 for someone with a conflict of interest on the case.',
        tags,
        security,
        params: z.object({ id: z.string(), caseId: z.string() }),
        body: z.object({ outcome: z.enum(['fund_full', 'fund_part', 'not_now']), amount: z.string().optional(), feedback: z.string().min(1).max(5000) }),
        response: { 201: DecisionSchema },
      },
    },
    async (request, reply) => {
      const { programme, access, actor } = await open(db, request, reply, request.params.id);
      if (!isUuid(request.params.caseId)) throw notFound('Investment case');
      const parsed = DecisionForm.safeParse(request.body);
      if (!parsed.success) {
        throw new HttpProblem(422, 'Your decision has problems', undefined, parsed.error.issues.map((i) => ({ name: i.path.join('.') || 'body', reason: i.message })));
      }
      await decide(db, actor, access, programme, request.params.caseId, parsed.data, request.ip);
      const d = (await listDecisions(db, programme.id)).find((x) => x.case_id === request.params.caseId)!;
      return reply.status(201).send(decisionJson(d));
    },
  );
}
