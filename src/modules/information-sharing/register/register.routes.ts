import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import { ukToday } from '../../../platform/dates.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { canReadAgreements } from '../information-sharing.policy.ts';
import { identifiability, identifiabilityColour } from '../catalogue.ts';
import { MapQuery, RegisterQuery, RegisterSchema } from './register.schemas.ts';
import { paginate, withQuery } from '../../../platform/http/pagination.ts';

const REGISTER_PAGE_SIZE = 20;
import { flowMap, publicRegister, registerColumns, registerRows } from './register.service.ts';

/** The public register (page, JSON, CSV) and the data-flow map. */
export function registerRegisterRoutes(app: FastifyInstance, { db }: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/sharing/register', { schema: { hide: true, querystring: RegisterQuery } }, async (request, reply) => {
    const all = await publicRegister(db);
    const page = Math.min(request.query.page ?? 1, Math.max(1, Math.ceil(all.length / REGISTER_PAGE_SIZE)));
    const agreements = all.slice((page - 1) * REGISTER_PAGE_SIZE, page * REGISTER_PAGE_SIZE);
    return reply.page('information-sharing/register.njk', {
      title: 'Register of information sharing agreements',
      width: 'full',
      agreements,
      total: all.length,
      flows: all.reduce((n, a) => n + a.flows.length, 0),
      today: ukToday(),
      pagination: paginate(all.length, page, REGISTER_PAGE_SIZE, (p) => withQuery('/sharing/register', { page: p })),
    });
  });

  r.get(
    '/sharing/register.json',
    {
      schema: {
        summary: 'The public register of information sharing agreements',
        description: 'Every information sharing agreement active today, its parties (by name) and its data flows. Open to anyone; no personal contact details.',
        tags: ['Information sharing'],
        response: { 200: RegisterSchema },
      },
    },
    async () => ({ generatedOn: ukToday(), agreements: await publicRegister(db) }),
  );

  r.get('/sharing/register.csv', { schema: { hide: true } }, async (_request, reply) => {
    const rows = registerRows(await publicRegister(db)).map((row) => row.map(spreadsheetSafe));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="information-sharing-register-${ukToday()}.csv"`)
      .send(stringify(rows, { header: true, columns: registerColumns }));
  });

  r.get('/sharing/map', { preHandler: allow(canReadAgreements, 'Only people working for an organisation in the partnership can see the data-flow map.'), schema: { hide: true, querystring: MapQuery } }, async (request, reply) => {
    const which = request.query.show ?? 'active';
    const map = await flowMap(db, actorOf(request), which);
    return reply.page('information-sharing/map.njk', {
      title: 'Data-flow map',
      width: 'full',
      ...map,
      which,
      key: Object.entries(identifiability).map(([id, name]) => ({ name, colour: identifiabilityColour[id as keyof typeof identifiabilityColour] })),
    });
  });
}
