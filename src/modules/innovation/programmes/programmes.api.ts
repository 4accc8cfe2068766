import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../platform/db/database.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, signedIn } from '../../../platform/http/access.ts';
import { formatPence } from '../../../platform/money.ts';
import { openProgramme } from '../innovation.http.ts';
import { ApiFund, ApiProgramme } from './programmes.schemas.ts';
import { ProgrammeParams, apiSecurity as security, apiTags as tags } from '../innovation.schemas.ts';
import { fundPosition, type FundPosition, type Programme } from './programmes.repository.ts';
import { programmesFor } from './programmes.service.ts';

function fundJson(p: FundPosition): z.infer<typeof ApiFund> {
  return { ...p, fund: formatPence(p.fundPence), awarded: formatPence(p.awardedPence), heldForVote: formatPence(p.heldForVotePence), remaining: formatPence(p.remainingPence) };
}

async function programmeJson(db: Database, p: Programme): Promise<z.infer<typeof ApiProgramme>> {
  return { id: p.id, name: p.name, purpose: p.purpose, stage: p.stage, startsOn: p.startsOn, endsOn: p.endsOn, caseDeadline: p.caseDeadline ? new Date(p.caseDeadline).toISOString() : null, fund: fundJson(await fundPosition(db, p)) };
}

export function registerProgrammesApi(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/programmes', { preHandler: signedIn, schema: { summary: 'List programmes', description: 'Every programme for programme managers and partnership admins; otherwise those you take part in.', tags, security, response: { 200: z.object({ items: z.array(ApiProgramme) }) } } }, async (request) => {
    const rows = await programmesFor(db, actorOf(request));
    return { items: await Promise.all(rows.map((p) => programmeJson(db, p))) };
  });

  app.get('/api/v1/programmes/:id', { preHandler: signedIn, schema: { summary: 'Get a programme', tags, security, params: ProgrammeParams, response: { 200: ApiProgramme } } }, async (request) => {
    const { programme } = await openProgramme(db, request);
    return programmeJson(db, programme);
  });

  app.get('/api/v1/programmes/:id/fund', { preHandler: signedIn, schema: { summary: 'Fund remaining', description: 'The fund, the total awarded, any part held for a community vote, and what remains. Read live on Investment Day.', tags, security, params: ProgrammeParams, response: { 200: ApiFund } } }, async (request, reply) => {
    const { programme } = await openProgramme(db, request);
    reply.header('cache-control', 'no-store');
    return fundJson(await fundPosition(db, programme));
  });
}
