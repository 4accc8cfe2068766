import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import { actorOf } from '../../platform/http/access.ts';
import { formatPence, penceToInput } from '../../platform/money.ts';
import { openProgramme as open, type ProgrammeContext } from './programmes/programmes.service.ts';
import { activityNames, isOpen, stageNames, stages, type Activity } from './stages.ts';

/** What the innovation routes share: the programme a page is about, and what every programme page shows. */

export type { ProgrammeContext };

/**
 * The programme named by the route's validated `:id` (its params schema), opened for the
 * signed-in actor (the route declares `preHandler: signedIn`): 404 or 403 from the service.
 */
export function openProgramme(db: Database, request: FastifyRequest & { params: { id: string } }): Promise<ProgrammeContext> {
  return open(db, actorOf(request), request.params.id);
}

function programmeSections(ctx: ProgrammeContext) {
  const base = `/programmes/${ctx.programme.id}`;
  const items = [
    { href: base, text: 'Overview' },
    { href: `${base}/ideas`, text: 'Ideas' },
    { href: `${base}/teams`, text: 'Teams' },
    { href: `${base}/sessions`, text: 'Sessions' },
    { href: `${base}/needs`, text: 'Needs and offers' },
    { href: `${base}/cases`, text: 'Investment cases' },
    { href: `${base}/investment-day`, text: 'Investment Day' },
  ];
  if (ctx.may.moderate) items.push({ href: `${base}/moderation`, text: 'Moderation' });
  if (ctx.programme.votePotPence > 0 || ctx.may.manage) items.push({ href: `${base}/vote`, text: 'Community vote' });
  items.push({ href: `${base}/projects`, text: 'Projects' });
  items.push({ href: `${base}/report`, text: 'Report' });
  return items;
}

/** Renders a programme page with what every programme page shows. */
export function programmePage(reply: FastifyReply, ctx: ProgrammeContext, template: string, values: Record<string, unknown>) {
  const current = reply.request.url.split('?')[0];
  return reply.page(template, {
    // The section links run the full width; each template sets its own narrower column for reading and forms.
    width: 'full',
    ...values,
    programme: ctx.programme,
    isManager: ctx.may.manage,
    isPanel: ctx.may.panel,
    isMember: ctx.may.member,
    stageName: stageNames[ctx.programme.stage],
    sections: programmeSections(ctx).map((s) => ({ ...s, current: s.href === current })),
    open: (activity: Activity) => isOpen(ctx.programme.stage, activity),
    ...viewHelpers,
  });
}

export const viewHelpers = {
  money: formatPence,
  moneyInput: penceToInput,
  stageNames,
  stages,
  activityNames,
  one: (n: number, singular: string, plural?: string) => `${n} ${n === 1 ? singular : (plural ?? `${singular}s`)}`,
  percent: (n: number | null) => (n === null || n === undefined ? '' : `${Math.round(n)}%`),
  fixed: (n: number | null, digits = 2) => (n === null || n === undefined ? '–' : n.toFixed(digits)),
};

const css = fs.readFileSync(path.join(import.meta.dirname, 'views/innovation.css'), 'utf8');
export function registerInnovationAssets(app: FastifyInstance) {
  app.get('/programmes/innovation.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
}
