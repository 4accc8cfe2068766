import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../../../platform/csv.ts';
import type { AppContext } from '../../../platform/http/app.ts';
import { actorOf, allow } from '../../../platform/http/access.ts';
import { formBody, submitForm, type FieldError } from '../../../platform/http/forms.ts';
import { z } from 'zod';
import { canImportOpenData } from '../grants.policy.ts';
import { grantsPage } from '../grants.http.ts';
import { FundingRoutesQuery, ThreeSixtyGivingPackage } from './open-data.schemas.ts';
import { fundingRoutes, importOpenData, organisationSizes, publishedPackage } from './open-data.service.ts';

const sizeItems = [{ value: '', text: 'Any size' }, ...Object.entries(organisationSizes).map(([value, s]) => ({ value, text: s.label }))];
import { csvColumns, grantRow } from './three-sixty-giving.ts';

const ImportForm = z.object({ file: z.instanceof(Buffer, { error: 'Choose a 360Giving file (JSON or CSV)' }).refine((b) => b.length > 0, 'The file is empty') });

export function registerOpenDataRoutes(appBase: FastifyInstance, { db, config }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/v1/grants/360giving.json',
    {
      schema: {
        summary: 'Published grants in the 360Giving Data Standard (JSON)',
        description:
          'Every grant its fund’s managers marked for publication, as a 360Giving 1.4 package: 360G- identifiers, org-id funder and recipient identifiers, planned dates with duration, grant programme, beneficiary location codes, paid tranches as disbursement transactions, dateModified and dataSource. Public; no sign-in.',
        tags: ['Grants'],
        response: { 200: ThreeSixtyGivingPackage },
      },
    },
    async (_request, reply) => {
      // Sent as text: thousands of grants need no second pass through the response schema (it documents the shape).
      const pkg = await publishedPackage(db, config.grants360Prefix, config.publicUrl);
      return reply.header('cache-control', 'public, max-age=300').type('application/json; charset=utf-8').send(JSON.stringify(pkg) as never);
    },
  );

  app.get(
    '/api/v1/grants/360giving.csv',
    {
      schema: {
        summary: 'Published grants in the 360Giving spreadsheet layout (CSV)',
        description: 'The same grants as the JSON, one a row, with the standard’s column titles (the first beneficiary location of each). Cells are spreadsheet-safe. Public.',
        tags: ['Grants'],
        produces: ['text/csv'],
      },
    },
    async (_request, reply) => {
      const pkg = await publishedPackage(db, config.grants360Prefix, config.publicUrl);
      const rows = pkg.grants.map((g) => {
        const row = grantRow(g);
        return csvColumns.map((c) => (typeof row[c] === 'number' ? row[c] : spreadsheetSafe(row[c])));
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="360giving.csv"')
        .header('cache-control', 'public, max-age=300')
        .send(stringify([Array.from(csvColumns), ...rows]));
    },
  );

  async function renderOpenData(reply: FastifyReply, query: z.infer<typeof FundingRoutesQuery>, errors?: FieldError[]) {
    const funders = await fundingRoutes(db, query);
    return grantsPage(reply, 'grants/open-data.njk', { title: 'Funding routes and 360Giving data', width: 'full', backHref: '/grants', values: query, errors, funders, sizeItems });
  }

  app.get('/grants/open-data', { preHandler: allow(canImportOpenData), schema: { hide: true, querystring: FundingRoutesQuery } }, async (request, reply) => renderOpenData(reply, request.query));

  app.post('/grants/open-data/import', { preHandler: allow(canImportOpenData), schema: { hide: true } }, async (request, reply) => {
    const input = formBody(request);
    return submitForm(reply, {
      schema: ImportForm,
      input,
      save: (form) => importOpenData(db, actorOf(request), { name: 'upload', content: form.file }, request.ip),
      redisplay: (errors) => renderOpenData(reply, {}, errors),
      done: (result) => ({ redirect: '/grants/open-data', flash: `Imported ${result.imported} grants; ${result.matched} matched organisations in the directory.` }),
      anchor: (field) => (field === 'form' ? 'file' : field),
    });
  });
}
