import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../../platform/http/app.ts';
import { signedIn } from '../../../platform/http/access.ts';
import { ukToday } from '../../../platform/dates.ts';
import { formBody, submitForm, type ErrorAnchor, type FieldError } from '../../../platform/http/forms.ts';
import { openProgramme, programmePage, type ProgrammeContext } from '../innovation.http.ts';
import { DoneForm, EndProjectForm, MeasureForm, MeasureResultForm, MilestoneForm, ProjectUpdateForm } from './projects.schemas.ts';
import { MeasureParams, MilestoneParams, ProgrammeParams, ProjectParams } from '../innovation.schemas.ts';
import { listProjects } from './projects.repository.ts';
import * as service from './projects.service.ts';

const endNames = { scale: 'Scale', adapt: 'Adapt', stop: 'Stop' };

export function registerProjectsRoutes(appBase: FastifyInstance, { db }: AppContext) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get('/programmes/:id/projects', { preHandler: signedIn, schema: { hide: true, params: ProgrammeParams } }, async (request, reply) => {
    const ctx = await openProgramme(db, request);
    const projects = await listProjects(db, ctx.programme.id);
    return programmePage(reply, ctx, 'innovation/projects.njk', {
      title: 'Projects',
      projects: projects.map((p) => ({ ...p, step: service.progressStep(p.progressPercent) })),
      endNames,
    });
  });

  const renderProject = async (reply: FastifyReply, ctx: ProgrammeContext, projectId: string, form?: { name: string; values: Record<string, unknown>; errors: FieldError[] }) => {
    const { project, milestones, updates, measures, canUpdate } = await service.projectPage(db, ctx, projectId);
    const today = ukToday();
    return programmePage(reply, ctx, 'innovation/project.njk', {
      title: project.title,
      project: { ...project, step: service.progressStep(project.progressPercent) },
      milestones: milestones.map((m) => ({ ...m, overdue: !m.doneOn && m.dueOn < today })),
      updates,
      measures,
      endNames,
      canUpdate,
      form: form?.name,
      // A form refused for what was typed stays on the page, with the input, even if it would now be hidden.
      reopen: form && form.errors.some((e) => e.field !== form.name) ? form.name : undefined,
      values: form?.values ?? {},
      errors: form?.errors,
      backHref: `/programmes/${ctx.programme.id}/projects`,
    });
  };

  app.get('/programmes/:id/projects/:projectId', { preHandler: signedIn, schema: { hide: true, params: ProjectParams } }, async (request, reply) => renderProject(reply, await openProgramme(db, request), request.params.projectId));

  /** A form on the project page; `name` is its section, which refusals about the whole form link to. */
  async function projectForm<S extends z.ZodType>(
    request: FastifyRequest & { params: { id: string; projectId: string } },
    reply: FastifyReply,
    name: string,
    schema: S,
    save: (ctx: ProgrammeContext, data: z.infer<S>) => Promise<unknown>,
    anchor: ErrorAnchor = (field) => (field === 'form' ? name : field),
  ) {
    const ctx = await openProgramme(db, request);
    const { projectId } = request.params;
    await service.loadProject(db, ctx.programme.id, projectId);
    const input = formBody(request);
    return submitForm(reply, {
      schema,
      input,
      save: (f) => save(ctx, f),
      redisplay: (errors) => renderProject(reply, ctx, projectId, { name, values: input, errors }),
      done: () => ({ redirect: `/programmes/${ctx.programme.id}/projects/${projectId}#${name}` }),
      anchor,
    });
  }
  const project = { preHandler: signedIn, schema: { hide: true, params: ProjectParams } };

  app.post('/programmes/:id/projects/:projectId/milestones', project, async (request, reply) =>
    projectForm(request, reply, 'milestones', MilestoneForm, (ctx, f) => service.addMilestone(db, ctx.actor, ctx.access, ctx.programme, request.params.projectId, f, request.ip)),
  );
  app.post('/programmes/:id/projects/:projectId/milestones/:milestoneId', { preHandler: signedIn, schema: { hide: true, params: MilestoneParams } }, async (request, reply) =>
    projectForm(request, reply, 'milestones', DoneForm, (ctx, f) => service.markMilestone(db, ctx.actor, ctx.access, ctx.programme, request.params.projectId, request.params.milestoneId, f.done === 'yes', request.ip), () => 'milestones'),
  );
  app.post('/programmes/:id/projects/:projectId/updates', project, async (request, reply) =>
    projectForm(request, reply, 'updates', ProjectUpdateForm, (ctx, f) => service.addUpdate(db, ctx.actor, ctx.access, ctx.programme, request.params.projectId, f, request.ip)),
  );
  app.post('/programmes/:id/projects/:projectId/measures', project, async (request, reply) =>
    projectForm(request, reply, 'measures', MeasureForm, (ctx, f) => service.addMeasure(db, ctx.actor, ctx.access, ctx.programme, request.params.projectId, f, request.ip)),
  );
  app.post('/programmes/:id/projects/:projectId/measures/:measureId', { preHandler: signedIn, schema: { hide: true, params: MeasureParams } }, async (request, reply) =>
    projectForm(request, reply, 'measures', MeasureResultForm, (ctx, f) => service.recordResult(db, ctx.actor, ctx.access, ctx.programme, request.params.projectId, request.params.measureId, f.result, request.ip), (field) =>
      field === 'result' ? `result-${request.params.measureId}` : 'measures',
    ),
  );
  app.post('/programmes/:id/projects/:projectId/end', project, async (request, reply) =>
    projectForm(request, reply, 'end', EndProjectForm, (ctx, f) => service.endProject(db, ctx.actor, ctx.access, ctx.programme, request.params.projectId, f, request.ip)),
  );
}
