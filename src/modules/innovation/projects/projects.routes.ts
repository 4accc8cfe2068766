import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../../platform/http/app.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import { canActForTeam } from '../innovation.policy.ts';
import { body, childId, handleForm, keep, openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { EndProjectForm, MeasureForm, MeasureResultForm, MilestoneForm, ProjectUpdateForm } from '../innovation.schemas.ts';
import { z } from 'zod';
import { listMeasures, listMilestones, listProjects, listUpdates } from './projects.repository.ts';
import * as service from './projects.service.ts';

const endNames = { scale: 'Scale', adapt: 'Adapt', stop: 'Stop' };
const DoneForm = z.object({ done: z.enum(['yes', 'no']) });

export function registerProjectsRoutes(app: FastifyInstance, { db }: AppContext) {
  app.get('/programmes/:id/projects', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    if (!ctx) return reply;
    const projects = await listProjects(db, ctx.programme.id);
    return programmePage(reply, ctx, 'innovation/projects.njk', {
      title: 'Projects',
      projects: projects.map((p) => ({ ...p, step: service.progressStep(p.progress_percent) })),
      endNames,
    });
  });

  const renderProject = async (reply: FastifyReply, ctx: ProgrammeContext, projectId: string, form?: { name: string; values: Record<string, unknown>; errors: FieldError[] }) => {
    const project = await service.loadProject(db, ctx.programme.id, projectId);
    const [milestones, updates, measures] = await Promise.all([listMilestones(db, projectId), listUpdates(db, projectId), listMeasures(db, projectId)]);
    const today = new Date().toISOString().slice(0, 10);
    return programmePage(reply, ctx, 'innovation/project.njk', {
      title: project.title,
      project: { ...project, step: service.progressStep(project.progress_percent) },
      milestones: milestones.map((m) => ({ ...m, overdue: !m.done_on && m.due_on < today })),
      updates,
      measures,
      endNames,
      canUpdate: canActForTeam(ctx.access, project.team_id) && !project.end_decision,
      form: form?.name,
      // A form refused for what was typed stays on the page, with the input, even if it would now be hidden.
      reopen: form && form.errors.some((e) => e.field !== form.name) ? form.name : undefined,
      values: form?.values ?? {},
      errors: form?.errors,
      backHref: `/programmes/${ctx.programme.id}/projects`,
    });
  };

  app.get('/programmes/:id/projects/:projectId', { schema: { hide: true } }, async (request, reply) => {
    const ctx = await openProgramme(db, request, reply);
    return ctx ? renderProject(reply, ctx, childId(request, 'projectId', 'Project')) : reply;
  });

  /** A form on the project page; `name` is its section, which refusals about the whole form link to. */
  const post = <S extends z.ZodType>(
    path: string,
    name: string,
    schema: S,
    save: (ctx: ProgrammeContext, projectId: string, data: z.infer<S>, ip: string, childId: (n: string, w: string) => string) => Promise<unknown>,
    anchor: (field: string, params: Record<string, string>) => string = (field) => (field === 'form' ? name : field),
  ) =>
    app.post(`/programmes/:id/projects/:projectId${path}`, { schema: { hide: true } }, async (request, reply) => {
      const ctx = await openProgramme(db, request, reply);
      if (!ctx) return reply;
      const projectId = childId(request, 'projectId', 'Project');
      await service.loadProject(db, ctx.programme.id, projectId);
      const input = body(request);
      const r = await handleForm(reply, schema, input, (f) => save(ctx, projectId, f, request.ip, (n, w) => childId(request, n, w)), (errors) => renderProject(reply, ctx, projectId, { name, values: keep(input), errors }), (field) => anchor(field, request.params as Record<string, string>));
      return r.saved ? reply.redirect(`/programmes/${ctx.programme.id}/projects/${projectId}#${name}`, 303) : reply;
    });

  post('/milestones', 'milestones', MilestoneForm, (ctx, projectId, f, ip) => service.addMilestone(db, ctx.actor, ctx.access, ctx.programme, projectId, f, ip));
  post('/milestones/:milestoneId', 'milestones', DoneForm, (ctx, projectId, f, ip, child) => service.markMilestone(db, ctx.actor, ctx.access, ctx.programme, projectId, child('milestoneId', 'Milestone'), f.done === 'yes', ip), () => 'milestones');
  post('/updates', 'updates', ProjectUpdateForm, (ctx, projectId, f, ip) => service.addUpdate(db, ctx.actor, ctx.access, ctx.programme, projectId, f, ip));
  post('/measures', 'measures', MeasureForm, (ctx, projectId, f, ip) => service.addMeasure(db, ctx.actor, ctx.access, ctx.programme, projectId, f, ip));
  post('/measures/:measureId', 'measures', MeasureResultForm, (ctx, projectId, f, ip, child) => service.recordResult(db, ctx.actor, ctx.access, ctx.programme, projectId, child('measureId', 'Measure'), f.result, ip), (field, params) =>
    field === 'result' ? `result-${params.measureId}` : 'measures',
  );
  post('/end', 'end', EndProjectForm, (ctx, projectId, f, ip) => service.endProject(db, ctx.actor, ctx.access, ctx.programme, projectId, f, ip));
}
