import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { forbidden, notFound } from '../../platform/http/errors.ts';
import { validateForm, type FieldError } from '../../platform/http/forms.ts';
import type { z } from 'zod';
import { requireSignIn } from '../identity/index.ts';
import { asFieldErrors } from './innovation.errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { canManageProgramme, canModerate, canViewProgramme, isPanel, type ProgrammeAccess } from './innovation.policy.ts';
import { formatPence, penceToInput } from '../../platform/money.ts';
import { getProgramme, type ProgrammeRow } from './programmes/programmes.repository.ts';
import { programmeAccess } from './programmes/programmes.service.ts';
import { activityNames, isOpen, stageNames, stages, type Activity } from './stages.ts';

/** Helpers shared by the innovation routes: open a programme for the signed-in person, render with its context. */

export type ProgrammeContext = { programme: ProgrammeRow; access: ProgrammeAccess; actor: Actor };

export function param(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, string>)[name] ?? '');
}

export function body(request: FastifyRequest): Record<string, unknown> {
  return (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
}

/** Signed in, a real programme, and taking part in it (or a manager); else sign-in, 404 or 403. */
export async function openProgramme(db: Database, request: FastifyRequest, reply: FastifyReply): Promise<ProgrammeContext | null> {
  if (!requireSignIn(request, reply)) return null;
  const id = param(request, 'id');
  if (!isUuid(id)) throw notFound('Programme');
  const programme = await getProgramme(db, id);
  if (!programme) throw notFound('Programme');
  const access = await programmeAccess(db, request.actor!, programme);
  if (!canViewProgramme(access)) throw forbidden('You are not taking part in this programme. Ask its programme manager to invite you.');
  return { programme, access, actor: request.actor! };
}

/** A child record's id from the URL: 404 unless it is a uuid. */
export function childId(request: FastifyRequest, name: string, what: string): string {
  const id = param(request, name);
  if (!isUuid(id)) throw notFound(what);
  return id;
}

export function programmeSections(ctx: ProgrammeContext) {
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
  if (canModerate(ctx.access)) items.push({ href: `${base}/moderation`, text: 'Moderation' });
  if (ctx.programme.vote_pot_pence > 0 || canManageProgramme(ctx.access)) items.push({ href: `${base}/vote`, text: 'Community vote' });
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
    access: ctx.access,
    isManager: canManageProgramme(ctx.access),
    isPanel: isPanel(ctx.access),
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

/**
 * Where a page's errors link to: the id of the form (or of what is shown instead of it) for a
 * refusal about the whole form (field 'form'), or a function giving each field's id on the page
 * (for a page with the same field in several forms).
 */
export type ErrorAnchor = string | ((field: string) => string);

/** Points errors at elements on the page, so every link in the error summary lands somewhere. */
export function anchorErrors(errors: FieldError[], anchor: ErrorAnchor): FieldError[] {
  return errors.map((e) => ({ ...e, field: typeof anchor === 'function' ? anchor(e.field) : e.field === 'form' ? anchor : e.field }));
}

/**
 * Runs a form's use-case: validates, calls the service, and on a refusal redisplays the form (422
 * with the NHS error summary and the input kept), its errors pointed at `anchor`.
 */
export async function handleForm<S extends z.ZodType, R>(
  reply: FastifyReply,
  schema: S,
  input: Record<string, unknown>,
  save: (data: z.infer<S>) => Promise<R>,
  redisplay: (errors: FieldError[]) => Promise<unknown> | unknown,
  anchor: ErrorAnchor = 'form',
): Promise<{ saved: true; result: R } | { saved: false }> {
  const form = validateForm(schema, input);
  if (!form.ok) {
    reply.status(422);
    await redisplay(anchorErrors(form.errors, anchor));
    return { saved: false };
  }
  try {
    return { saved: true, result: await save(form.data) };
  } catch (error) {
    const errors = asFieldErrors(error);
    reply.status(error instanceof Error && 'status' in error ? (error as { status: number }).status : 422);
    await redisplay(anchorErrors(errors, anchor));
    return { saved: false };
  }
}

/** Form values to show again: strings only (no CSRF token). */
export function keep(input: Record<string, unknown>): Record<string, unknown> {
  const { _csrf: _token, ...rest } = input;
  return rest;
}


const css = fs.readFileSync(path.join(import.meta.dirname, 'views/innovation.css'), 'utf8');
export function registerInnovationAssets(app: FastifyInstance) {
  app.get('/programmes/innovation.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
  );
}
