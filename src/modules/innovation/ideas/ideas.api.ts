import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { openProgramme } from '../innovation.http.ts';
import { ApiIdea } from './ideas.schemas.ts';
import { ProgrammeParams, apiSecurity as security, apiTags as tags } from '../innovation.schemas.ts';
import { ideasFor } from './ideas.service.ts';

export function registerIdeasApi(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/programmes/:id/ideas', { preHandler: signedIn, schema: { summary: 'List a programme’s ideas', description: 'Ideas you can see: managers see all, others see accepted ideas and their own.', tags, security, params: ProgrammeParams, response: { 200: z.object({ items: z.array(ApiIdea) }) } } }, async (request) => {
    const { programme, access, actor } = await openProgramme(db, request);
    const ideas = await ideasFor(db, access, actor, programme.id);
    return {
      items: ideas.map((i) => ({ id: i.id, title: i.title, problem: i.problem, whoBenefits: i.whoBenefits, idea: i.idea, roughCostPence: i.roughCostPence, howWeKnow: i.howWeKnow, status: i.status, source: i.source, supporters: i.supports, comments: i.comments, teamId: i.teamId, createdAt: new Date(i.createdAt).toISOString() })),
    };
  });
}
