import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { searchOrganisations } from '../organisation-picker.ts';
import { signedIn } from './access.ts';

const autocompleteDist = path.dirname(fileURLToPath(import.meta.resolve('accessible-autocomplete/dist/accessible-autocomplete.min.js')));

/**
 * What the organisation picker needs from the web: the GOV.UK accessible-autocomplete's built
 * script and stylesheet, served from this site (the CSP allows scripts from 'self' only), and the
 * search it asks as a person types.
 */
export async function registerOrganisationPicker(appBase: FastifyInstance, db: Database): Promise<void> {
  await appBase.register(fastifyStatic, {
    root: autocompleteDist,
    prefix: '/vendor/accessible-autocomplete/',
    allowedPath: (p) => /^\/accessible-autocomplete\.min\.(css|js)$/.test(p),
    decorateReply: false,
  });
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/organisations/search',
    {
      preHandler: signedIn,
      schema: { hide: true, querystring: z.object({ q: z.string().max(200).default('') }) },
    },
    async (request) => searchOrganisations(db, request.query.q),
  );
}
